package org.edgeorch.platform.internal;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.edgeorch.platform.ComponentHealth;
import org.edgeorch.platform.HealthContributor;
import org.edgeorch.platform.PlatformStatus;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.StatusService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

@Component(service = StatusService.class)
public class StatusServiceImpl implements StatusService {

    /** Framework property naming the runtime, set by each distribution's config.properties. */
    public static final String RUNTIME_PROPERTY = "edgeorch.runtime";
    static final String PRODUCT = "Edge Orchestrator";

    private final PluginRegistry plugins;
    private final String version;
    private final String runtime;
    private final Instant startedAt;
    private final Clock clock;
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();

    @Activate
    public StatusServiceImpl(@Reference PluginRegistry plugins, BundleContext context) {
        this(plugins, context.getBundle().getVersion().toString(),
                String.valueOf(context.getProperty(RUNTIME_PROPERTY)),
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), Clock.systemUTC());
    }

    StatusServiceImpl(PluginRegistry plugins, String version, String runtime, Instant startedAt, Clock clock) {
        this.plugins = plugins;
        this.version = version;
        this.runtime = runtime;
        this.startedAt = startedAt;
        this.clock = clock;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContributor(HealthContributor contributor) {
        contributors.add(contributor);
    }

    void removeContributor(HealthContributor contributor) {
        contributors.remove(contributor);
    }

    @Override
    public PlatformStatus status() {
        List<ComponentHealth> health = contributors.stream()
                .map(HealthContributor::health)
                .sorted(Comparator.comparing(ComponentHealth::name))
                .toList();
        long uptime = Math.max(0, Duration.between(startedAt, clock.instant()).toSeconds());
        return new PlatformStatus(PRODUCT, version, runtime, startedAt, uptime, health, plugins.plugins());
    }
}
