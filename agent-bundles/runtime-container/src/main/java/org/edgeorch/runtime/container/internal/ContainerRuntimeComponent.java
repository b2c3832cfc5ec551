package org.edgeorch.runtime.container.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.edgeorch.runtime.container.Podman;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.apps.AppRuntime;
import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers {@link Podman} as the node's CONTAINER runtime with the settings of {@code etc/org.edgeorch.runtime.container.cfg}.
 * Registered whether or not podman is installed: the app agent asks {@link #availability()} and says why not.
 */
@Component(service = AppRuntime.class, configurationPid = ContainerRuntimeConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ContainerRuntimeConfig.class)
public class ContainerRuntimeComponent implements AppRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntimeComponent.class);
    private final Podman podman;

    @Activate
    public ContainerRuntimeComponent(ContainerRuntimeConfig config) {
        List<String> command = new ArrayList<>();
        command.add(config.podman().strip());
        Arrays.stream(config.globalOptions().strip().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        Path work = config.workDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "apps", "container")
                : Path.of(config.workDir().strip());
        podman = new Podman(new Podman.Settings(command, config.containersConf().isBlank() ? null
                : Path.of(config.containersConf().strip()), work, Duration.ofSeconds(Math.max(0, config.stopTimeoutSeconds())),
                Duration.ofSeconds(Math.max(10, config.callTimeoutSeconds())), Duration.ofSeconds(Math.max(0, config.healthSeconds())),
                Duration.ofSeconds(Math.max(0, config.retrySeconds()))));
        LOG.info("Container runtime: {}", String.join(" ", command));
    }

    @Override
    public String kind() {
        return podman.kind();
    }

    @Override
    public PluginDescriptor descriptor() {
        return podman.descriptor();
    }

    @Override
    public Availability availability() {
        return podman.availability();
    }

    @Override
    public UnitStatus apply(AppUnit unit) throws PluginException {
        return podman.apply(unit);
    }

    @Override
    public List<UnitStatus> installed() throws PluginException {
        return podman.installed();
    }

    @Override
    public void remove(String deployment) throws PluginException {
        podman.remove(deployment);
    }
}
