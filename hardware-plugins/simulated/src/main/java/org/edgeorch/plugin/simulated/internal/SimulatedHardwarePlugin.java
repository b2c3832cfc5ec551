package org.edgeorch.plugin.simulated.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwarePlugin;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** Reports the simulated host of the configured seed; the inventory never changes, so it is built once. */
@Component(service = HardwarePlugin.class, configurationPid = SimulatedHardwarePlugin.PID)
@Designate(ocd = SimulatedPluginConfig.class)
public final class SimulatedHardwarePlugin implements HardwarePlugin {

    static final String PID = "org.edgeorch.plugin.simulated";

    /** Used when the bundle was built without resource filtering (for example inside an IDE). */
    private static final String FALLBACK_VERSION = "0.1.0";

    private final PluginDescriptor descriptor;
    private final HardwareInventory inventory;
    private final SimulatedTelemetry telemetry;

    @Activate
    public SimulatedHardwarePlugin(SimulatedPluginConfig config) {
        this(config.seed());
    }

    SimulatedHardwarePlugin(long seed) {
        this.descriptor = new PluginDescriptor("simulated", "Simulated hardware", "Edge Orchestrator", version(),
                PluginKind.HARDWARE);
        this.inventory = SimulatedHardware.forHost(seed);
        this.telemetry = new SimulatedTelemetry(seed, inventory, java.time.Clock.systemUTC());
    }

    @Override
    public PluginDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public HardwareInventory inventory() {
        return inventory;
    }

    @Override
    public org.edgeorch.spi.Telemetry telemetry() {
        return telemetry.read();
    }

    /**
     * The plugin version: {@code plugin.properties} is filtered by Maven with the project version;
     * the package's Implementation-Version is the second choice.
     */
    static String version() {
        try (InputStream in = SimulatedHardwarePlugin.class.getResourceAsStream("plugin.properties")) {
            if (in != null) {
                Properties props = new Properties();
                props.load(in);
                String version = props.getProperty("version", "").trim();
                if (!version.isEmpty() && !version.contains("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through to the other sources; a version is not worth failing the plugin for
        }
        String implementation = SimulatedHardwarePlugin.class.getPackage().getImplementationVersion();
        return implementation == null || implementation.isBlank() ? FALLBACK_VERSION : implementation;
    }
}
