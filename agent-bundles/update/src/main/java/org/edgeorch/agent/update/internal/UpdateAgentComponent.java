package org.edgeorch.agent.update.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.agent.update.AbUpdater;
import org.edgeorch.agent.update.ExecutableChecks;
import org.edgeorch.agent.update.HealthCheck;
import org.edgeorch.agent.update.ReleaseVerifier;
import org.edgeorch.agent.update.UpdateAgent;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.AbBootloader;
import org.edgeorch.spi.ab.Rebooter;
import org.edgeorch.spi.ab.SlotDevice;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the A/B update agent when the node has an A/B OS plugin (its bootloader, slots and rebooter), and offers
 * it to the node agent as its {@link UpdateHandler}.
 */
@Component(immediate = true, configurationPid = UpdateAgentConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {UpdateHandler.class, UpdateAgent.class})
@Designate(ocd = UpdateAgentConfig.class)
public class UpdateAgentComponent implements UpdateHandler, UpdateAgent {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateAgentComponent.class);

    @Reference
    AbBootloader bootloader;
    @Reference
    SlotDevice slots;
    @Reference
    Rebooter rebooter;

    private AbUpdater updater;

    @Activate
    void activate(UpdateAgentConfig config, BundleContext context) throws IOException, PluginException {
        Path dir = config.dataDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "update") : Path.of(config.dataDir());
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        Path trust = config.trustFile().isBlank() ? etc.resolve("edgeorch-release-trust.pem") : Path.of(config.trustFile());
        ReleaseVerifier verifier = null;
        if (Files.exists(trust)) {
            verifier = ReleaseVerifier.fromPem(trust);
        } else {
            LOG.warn("No release trust file {}: this node will install no OS update", trust);
        }
        Duration timeout = Duration.ofSeconds(config.checkTimeoutSeconds());
        ExecutableChecks executables = new ExecutableChecks(config.checksDir().isBlank() ? etc.resolve("health-checks")
                : Path.of(config.checksDir()), timeout);
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(new RuntimeCheck(context, timeout));
        checks.add(executables.asHealthCheck());
        updater = new AbUpdater(new AbUpdater.Settings(dir, verifier, Duration.ofMinutes(config.preDownloadMinutes()),
                timeout, config.initialVersion(), config.checkpointMegabytes() * (1L << 20)),
                bootloader, slots, rebooter, checks, new FaultFile(dir), Clock.systemUTC(), new Random());
        updater.start();
    }

    @Deactivate
    void deactivate() {
        if (updater != null) {
            updater.stop();
        }
    }

    @Override
    public String runningVersion() {
        return updater.runningVersion();
    }

    @Override
    public org.edgeorch.spi.southbound.UpdateReport current() {
        return updater.current();
    }

    @Override
    public void desired(org.edgeorch.spi.southbound.DesiredOs os, List<org.edgeorch.spi.southbound.WindowSpec> windows,
                        ImageSource images) {
        updater.desired(os, windows, images);
    }

    @Override
    public void attach(Link agent) {
        updater.attach(agent);
    }

    @Override
    public void close() {
        updater.close();
    }

    @Override
    public AbUpdater.View view() {
        return updater.view();
    }

    /**
     * The bundles that should be active and are not: every bundle but fragments and those nobody asked to start
     * (not persistently started, such as the node's SSH server, which its first connection starts).
     */
    static List<String> notActive(Bundle[] bundles) {
        List<String> inactive = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getState() == Bundle.ACTIVE || b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            BundleStartLevel startLevel = b.adapt(BundleStartLevel.class);
            if (startLevel != null && !startLevel.isPersistentlyStarted()) {
                continue;
            }
            inactive.add(b.getSymbolicName());
        }
        return inactive;
    }

    /** Built in: the runtime came up, every bundle that should run (see {@link #notActive}) active. */
    private record RuntimeCheck(BundleContext context, Duration timeout) implements HealthCheck {
        @Override
        public String name() {
            return "runtime up";
        }

        @Override
        public String check(Trial trial) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> inactive;
            do {
                inactive = notActive(context.getBundles());
                if (inactive.isEmpty()) {
                    return null;
                }
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);
            return "bundles not active: " + inactive;
        }
    }
}
