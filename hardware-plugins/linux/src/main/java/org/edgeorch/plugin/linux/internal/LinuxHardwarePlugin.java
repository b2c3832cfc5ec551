package org.edgeorch.plugin.linux.internal;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwarePlugin;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.PluginKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** Hardware inventory of the Linux host this runtime runs on, read fresh on every call (reads are cheap). */
@Component(service = HardwarePlugin.class, configurationPid = LinuxPlugins.PID)
@Designate(ocd = LinuxPluginConfig.class)
public final class LinuxHardwarePlugin implements HardwarePlugin {

    private final PluginDescriptor descriptor;
    private final LinuxHardwareReader reader;
    private final LinuxTelemetryReader telemetry;

    @Activate
    public LinuxHardwarePlugin(LinuxPluginConfig config) {
        this(new LinuxHardwareReader(LinuxPlugins.rootPath(config)),
                new LinuxTelemetryReader(LinuxPlugins.rootPath(config), java.time.Clock.systemUTC()));
    }

    LinuxHardwarePlugin(LinuxHardwareReader reader, LinuxTelemetryReader telemetry) {
        this.reader = reader;
        this.telemetry = telemetry;
        this.descriptor = new PluginDescriptor("linux", "Linux (procfs/sysfs/DMI)", LinuxPlugins.VENDOR,
                LinuxPlugins.version(), PluginKind.HARDWARE);
    }

    @Override
    public PluginDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public HardwareInventory inventory() throws PluginException {
        return reader.read();
    }

    @Override
    public Telemetry telemetry() throws PluginException {
        return telemetry.read();
    }
}
