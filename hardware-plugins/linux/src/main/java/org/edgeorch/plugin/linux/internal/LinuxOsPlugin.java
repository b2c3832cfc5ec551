package org.edgeorch.plugin.linux.internal;

import org.edgeorch.spi.OsInfo;
import org.edgeorch.spi.OsPlugin;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.PluginKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The package-managed Linux this runtime runs on. Shares its configuration with
 * {@link LinuxHardwarePlugin}, which carries the metatype designation for both.
 */
@Component(service = OsPlugin.class, configurationPid = LinuxPlugins.PID)
public final class LinuxOsPlugin implements OsPlugin {

    private final PluginDescriptor descriptor;
    private final LinuxOsReader reader;

    @Activate
    public LinuxOsPlugin(LinuxPluginConfig config) {
        this(new LinuxOsReader(LinuxPlugins.rootPath(config)));
    }

    LinuxOsPlugin(LinuxOsReader reader) {
        this.reader = reader;
        this.descriptor = new PluginDescriptor("linux-os", "Linux (os-release)", LinuxPlugins.VENDOR,
                LinuxPlugins.version(), PluginKind.OS);
    }

    @Override
    public PluginDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public OsInfo currentOs() throws PluginException {
        return reader.read();
    }
}
