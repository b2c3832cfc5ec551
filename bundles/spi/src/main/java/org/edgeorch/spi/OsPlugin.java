package org.edgeorch.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A vendor's view of the host operating system. Found by whiteboard like {@link HardwarePlugin}.
 */
@ConsumerType
public interface OsPlugin {

    PluginDescriptor descriptor();

    /**
     * Describes the running operating system.
     *
     * @throws PluginException when it cannot be determined
     */
    OsInfo currentOs() throws PluginException;
}
