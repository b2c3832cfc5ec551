package org.edgeorch.platform;

import org.edgeorch.spi.PluginKind;

/**
 * A plugin present in this runtime, with the bundle that brought it.
 *
 * @param ranking the service ranking; among plugins of one kind the highest ranking is primary
 */
public record PluginInfo(String id, String name, String vendor, String version, PluginKind kind,
                         String bundle, String bundleVersion, int ranking) {
}
