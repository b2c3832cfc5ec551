package org.edgeorch.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A vendor's view of the host hardware. Register an implementation as an OSGi service; the runtime
 * picks it up while running and drops it when its bundle goes away. When several plugins are
 * present, the one with the highest {@code service.ranking} is the host's primary inventory source.
 */
@ConsumerType
public interface HardwarePlugin {

    PluginDescriptor descriptor();

    /**
     * Reads the inventory now. Implementations may take some milliseconds (file system reads) and
     * must be safe to call from several threads.
     *
     * @throws PluginException when the hardware cannot be read at all
     */
    HardwareInventory inventory() throws PluginException;
}
