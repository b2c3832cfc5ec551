package org.edgeorch.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.edgeorch.agent.Agent;
import org.edgeorch.agent.simulated.SimulatedUpdater;
import org.edgeorch.agent.AgentService;
import org.edgeorch.agent.AppHandler;
import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwarePlugin;
import org.edgeorch.spi.PluginException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the node's agent with the configuration of {@code etc/org.edgeorch.agent.cfg} and the hardware plugins present. */
@Component(immediate = true, configurationPid = AgentConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AgentConfig.class)
public class AgentComponent implements AgentService {

    private static final Logger LOG = LoggerFactory.getLogger(AgentComponent.class);

    /** Plugins by (ranking desc, service id asc). */
    private final Map<String, HardwarePlugin> plugins = new ConcurrentSkipListMap<>();
    private volatile String preferred = "";
    private ScheduledExecutorService scheduler;
    private Agent agent;

    /** The platform update agent (bundle org.edgeorch.agent.update) when it runs; the agent is remade when it comes or goes. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    UpdateHandler updateAgent;

    /** The app agent (bundle org.edgeorch.agent.apps) when it runs; the agent is remade when it comes or goes. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    AppHandler appAgent;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPlugin(HardwarePlugin plugin, Map<String, Object> props) {
        plugins.put(key(props), plugin);
    }

    void removePlugin(HardwarePlugin plugin, Map<String, Object> props) {
        plugins.remove(key(props));
    }

    private static String key(Map<String, Object> props) {
        int ranking = props.get("service.ranking") instanceof Integer i ? i : 0;
        long id = (Long) props.get("service.id");
        return String.format("%011d-%019d", (long) Integer.MAX_VALUE - ranking, id);
    }

    @Activate
    void activate(AgentConfig config) throws IOException {
        preferred = config.hardwarePlugin().strip();
        if (config.orchestratorUrl().isBlank()) {
            LOG.info("The agent is idle: no orchestratorUrl in {}.cfg", AgentConfig.PID);
            return;
        }
        Path dir = config.dataDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "agent") : Path.of(config.dataDir());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeorch-agent");
            t.setDaemon(true);
            return t;
        });
        UpdateHandler updater = updateAgent;
        if ("simulated".equals(config.updater().strip())) {
            java.util.Set<String> unhealthy = java.util.Arrays.stream(config.simulatedUnhealthyVersions().split(","))
                    .map(String::strip).filter(v -> !v.isEmpty()).collect(java.util.stream.Collectors.toSet());
            if (updateAgent != null) {
                LOG.warn("updater = simulated: the A/B update agent that runs here is not used");
            }
            updater = new SimulatedUpdater(dir.resolve("update"), config.simulatedOsVersion().strip(), v -> !unhealthy.contains(v),
                    Duration.ofSeconds(2));
        } else if (!config.updater().isBlank()) {
            throw new IllegalArgumentException("updater '" + config.updater() + "' is not known; use '' or 'simulated'");
        }
        agent = new Agent(new Agent.Settings(URI.create(config.orchestratorUrl().strip()), blank(config.enrolmentToken()),
                blank(config.caFingerprint()), dir, null, null, null, Duration.ofSeconds(config.maxBackoffSeconds()),
                Duration.ofSeconds(config.callDeadlineSeconds())),
                this::inventory, scheduler, null, null, updater, appAgent, this::telemetry);
        agent.start(Duration.ZERO);
        LOG.info("Agent started for {} (data in {}, OS updates: {}, applications: {})", config.orchestratorUrl(), dir,
                updater == null ? "none" : updater.getClass().getSimpleName(), appAgent == null ? "none" : "app agent");
    }

    @Deactivate
    void deactivate() {
        if (agent != null) {
            agent.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private HardwareInventory inventory() {
        HardwarePlugin plugin = plugin();
        try {
            return plugin.inventory();
        } catch (PluginException e) {
            throw new IllegalStateException(plugin.descriptor().id() + ": " + e.getMessage(), e);
        }
    }

    private org.edgeorch.spi.Telemetry telemetry() {
        HardwarePlugin plugin = plugin();
        try {
            return plugin.telemetry();
        } catch (PluginException e) {
            throw new IllegalStateException(plugin.descriptor().id() + ": " + e.getMessage(), e);
        }
    }

    private HardwarePlugin plugin() {
        return plugins.values().stream()
                .filter(p -> preferred.isEmpty() || p.descriptor().id().equals(preferred))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(preferred.isEmpty() ? "no hardware plugin"
                        : "no hardware plugin '" + preferred + "'"));
    }

    @Override
    public Optional<Agent.Status> status() {
        return agent == null ? Optional.empty() : Optional.of(agent.status());
    }

    @Override
    public void report(String kind, String detail) {
        if (agent == null) {
            LOG.warn("Report {} dropped: the agent is not configured", kind);
        } else {
            agent.report(kind, detail);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
