package org.edgeorch.spi.ab;

import org.edgeorch.spi.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Restarts the host so the bootloader chooses a slot. On a host it calls the system's reboot and does not
 * return; a boot emulator applies the bootloader's selection rules to the real environment and restarts the
 * node runtime into the chosen slot.
 */
@ConsumerType
public interface Rebooter {

    /**
     * Reboots.
     *
     * @throws PluginException when the reboot could not be started, or no slot is bootable
     */
    void reboot() throws PluginException;
}
