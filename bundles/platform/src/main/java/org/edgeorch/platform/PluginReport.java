package org.edgeorch.platform;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.OsInfo;

/**
 * What one plugin reports right now. Exactly one of {@code hardware}, {@code os} and {@code error}
 * is set.
 */
public record PluginReport(PluginInfo plugin, HardwareInventory hardware, OsInfo os, String error) {
}
