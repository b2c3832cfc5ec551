package org.edgeorch.runtime.osgi.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.edgeorch.runtime.osgi.OsgiRuntime;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.apps.AppRuntime;
import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Offers {@link OsgiRuntime} as the node's OSGI runtime ({@code etc/org.edgeorch.runtime.osgi.cfg}, optional). It
 * holds no thread and writes nothing until a deployment of kind OSGI arrives.
 */
@Component(service = AppRuntime.class, configurationPid = OsgiRuntimeConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OsgiRuntimeConfig.class)
public class OsgiRuntimeComponent implements AppRuntime {

    private final OsgiRuntime runtime;

    @Activate
    public OsgiRuntimeComponent(BundleContext context, OsgiRuntimeConfig config, @Reference ConfigurationAdmin configuration) {
        Path store = config.storeDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "apps", "osgi")
                : Path.of(config.storeDir().strip());
        runtime = new OsgiRuntime(context, configuration, store, Duration.ofSeconds(Math.max(10, config.callTimeoutSeconds())),
                Duration.ofSeconds(Math.max(0, config.retrySeconds())));
    }

    @Deactivate
    void deactivate() {
        runtime.close();
    }

    @Override
    public String kind() {
        return runtime.kind();
    }

    @Override
    public PluginDescriptor descriptor() {
        return runtime.descriptor();
    }

    @Override
    public Availability availability() {
        return runtime.availability();
    }

    @Override
    public UnitStatus apply(AppUnit unit) throws PluginException {
        return runtime.apply(unit);
    }

    @Override
    public List<UnitStatus> installed() throws PluginException {
        return runtime.installed();
    }

    @Override
    public void remove(String deployment) throws PluginException {
        runtime.remove(deployment);
    }
}
