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

    /**
     * Reads the host's figures now (CPU use, load, memory, file systems, network bytes, temperatures). A rate such as
     * CPU use is measured since the previous call; the first call may leave it out. Safe to call from several threads.
     * The default measures nothing.
     *
     * @throws PluginException when the figures cannot be read at all
     * @since 1.3
     */
    default Telemetry telemetry() throws PluginException {
        return new Telemetry(java.time.Instant.now(), java.util.List.of());
    }
}
