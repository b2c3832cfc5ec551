package org.edgeorch.bench.update;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import org.edgeorch.agent.Agent;
import org.edgeorch.agent.update.AbUpdater;
import org.edgeorch.agent.update.ReleaseVerifier;
import org.edgeorch.plugin.grub.internal.GrubAbBootloader;
import org.edgeorch.plugin.grub.internal.GrubBootEmulator;
import org.edgeorch.plugin.grub.internal.GrubEnvironment;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.PathSlotDevice;

/**
 * One host of the simulated fleet with an A/B disk: a GRUB environment block and two slot image files in its
 * folder, the boot emulator as its rebooter, and the real node agent and update agent, made anew at every
 * emulated reboot (as a node runtime restarts), sharing the fleet's threads.
 */
final class EmulatedAbHost {

    private final Path dir;
    private final Agent.Settings settings;
    private final long seed;
    private final ReleaseVerifier verifier;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService http;
    private final ExecutorService reboots;
    private final GrubAbBootloader boot;
    private final PathSlotDevice slots;
    private final GrubBootEmulator emulator;
    private volatile Agent agent;
    private volatile AbUpdater updater;
    private volatile boolean stopped;

    EmulatedAbHost(Path dir, URI southbound, String secret, String fingerprint, long seed, ReleaseVerifier verifier,
                   ScheduledExecutorService scheduler, ExecutorService http, ExecutorService reboots) throws IOException, PluginException {
        this.dir = Files.createDirectories(dir);
        this.settings = new Agent.Settings(southbound, secret, fingerprint, dir.resolve("agent"), null, null, null, Duration.ofSeconds(10));
        this.seed = seed;
        this.verifier = verifier;
        this.scheduler = scheduler;
        this.http = http;
        this.reboots = reboots;
        Path env = dir.resolve("grubenv");
        Path cmdline = dir.resolve("cmdline");
        Map<String, String> factory = new LinkedHashMap<>();
        factory.put("ORDER", "A B");
        factory.put("A_OK", "1");
        factory.put("A_TRY", "0");
        factory.put("B_OK", "0");
        factory.put("B_TRY", "0");
        GrubEnvironment.write(env, factory);
        slots = new PathSlotDevice(dir.resolve("slot-a.img"), dir.resolve("slot-b.img"), 0);
        Files.writeString(slots.path(org.edgeorch.spi.ab.Slot.A), "factory image 1.0.0");
        boot = new GrubAbBootloader(env, cmdline);
        emulator = new GrubBootEmulator(env, cmdline, this::restart);
        emulator.powerOn();
    }

    /** The node runtime starts: the update agent from its journal, then the node agent. */
    synchronized void start() throws IOException, PluginException {
        AbUpdater u = new AbUpdater(new AbUpdater.Settings(dir.resolve("update"), verifier, Duration.ZERO, Duration.ofSeconds(60),
                "1.0.0", 16L << 20), boot, slots, emulator, List.of(), AbUpdater.CrashPoints.NONE, Clock.systemUTC(), new Random(seed));
        u.start();
        updater = u;
        agent = new Agent(settings, () -> SimulatedHardware.forHost(seed), scheduler, http, null, u);
        agent.start(Duration.ZERO);
    }

    /** The emulated reboot: the old runtime goes, a new one starts in the slot the emulator chose. */
    private void restart() {
        reboots.execute(() -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                agent.close();
                updater.stop();
                try {
                    start();
                } catch (IOException | PluginException e) {
                    throw new IllegalStateException("host in " + dir + " did not come back: " + e.getMessage(), e);
                }
            }
        });
    }

    String runningVersion() {
        return updater.runningVersion();
    }

    synchronized void stop() {
        stopped = true;
        agent.close();
        updater.stop();
    }
}
