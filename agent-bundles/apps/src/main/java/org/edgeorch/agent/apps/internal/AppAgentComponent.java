package org.edgeorch.agent.apps.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.edgeorch.agent.AppHandler;
import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.agent.apps.AppAgent;
import org.edgeorch.agent.update.ReleaseVerifier;
import org.edgeorch.spi.apps.AppRuntime;
import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.DesiredApp;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the app agent and offers it to the node agent as its {@link AppHandler}. Runtimes are found by whiteboard: one
 * that appears (a bundle dropped into deploy/) is used at the next pass, one that goes is no longer asked.
 */
@Component(immediate = true, configurationPid = AppAgentConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {AppHandler.class, AppAgentComponent.class})
@Designate(ocd = AppAgentConfig.class)
public class AppAgentComponent implements AppHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AppAgentComponent.class);

    /** Runtimes by (ranking desc, service id asc). */
    private final Map<String, AppRuntime> runtimes = new ConcurrentSkipListMap<>();
    private volatile AppAgent agent;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRuntime(AppRuntime runtime, Map<String, Object> props) {
        runtimes.put(key(props), runtime);
        AppAgent a = agent;
        if (a != null) {
            a.poke();
        }
    }

    void removeRuntime(AppRuntime runtime, Map<String, Object> props) {
        runtimes.remove(key(props));
    }

    private static String key(Map<String, Object> props) {
        int ranking = props.get("service.ranking") instanceof Integer i ? i : 0;
        long id = (Long) props.get("service.id");
        return String.format("%011d-%019d", (long) Integer.MAX_VALUE - ranking, id);
    }

    @Activate
    void activate(AppAgentConfig config) throws IOException {
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        Path trust = config.trustFile().isBlank() ? etc.resolve("edgeorch-release-trust.pem") : Path.of(config.trustFile());
        ReleaseVerifier verifier = null;
        if (Files.exists(trust)) {
            verifier = ReleaseVerifier.fromPem(trust);
        } else {
            LOG.warn("No release trust file {}: this node will install no application", trust);
        }
        agent = new AppAgent(verifier, () -> List.copyOf(runtimes.values()),
                Duration.ofSeconds(Math.max(1, config.resyncSeconds())), Clock.systemUTC());
        agent.start();
        LOG.info("App agent started; runtimes: {}", runtimes.isEmpty() ? "none yet"
                : runtimes.values().stream().map(r -> r.kind() + " (" + r.descriptor().id() + ")").toList());
    }

    @Deactivate
    void deactivate() {
        if (agent != null) {
            agent.close();
        }
    }

    AppAgent agent() {
        return agent;
    }

    @Override
    public void attach(UpdateHandler.Link link) {
        agent.attach(link);
    }

    @Override
    public List<AppReport> current() {
        return agent.current();
    }

    @Override
    public void desired(List<DesiredApp> apps) {
        agent.desired(apps);
    }

    @Override
    public void close() {
        // the node agent closes; this agent lives as long as its component
    }
}
