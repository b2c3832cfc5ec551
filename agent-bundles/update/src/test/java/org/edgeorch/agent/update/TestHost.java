package org.edgeorch.agent.update;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.plugin.grub.internal.GrubAbBootloader;
import org.edgeorch.plugin.grub.internal.GrubBootEmulator;
import org.edgeorch.plugin.grub.internal.GrubEnvironment;
import org.edgeorch.plugin.uboot.internal.UbootAbBootloader;
import org.edgeorch.plugin.uboot.internal.UbootBootEmulator;
import org.edgeorch.plugin.uboot.internal.UbootEnvironment;
import org.edgeorch.spi.ab.AbBootloader;
import org.edgeorch.spi.ab.Rebooter;
import org.edgeorch.spi.ab.PathSlotDevice;
import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.WindowSpec;

/**
 * A host for the update agent without a machine: a real GRUB environment block, slot image files, the boot
 * emulator as its rebooter, and a node runtime that is an {@link AbUpdater} made anew at every (emulated) boot.
 * The "orchestrator" is this class: it keeps every report the agent would have sent and serves the images.
 * A crash point can cut the power: the updater's thread stops dead there, and {@link #powerCycle()} switches
 * the machine on again through the bootloader.
 */
final class TestHost implements UpdateHandler.Link {

    final Path dir;
    final Path env;
    final Path cmdline;
    final PathSlotDevice slots;
    final AbBootloader boot;
    /** The GRUB emulator, or null on a U-Boot host. */
    final GrubBootEmulator emulator;
    private final Rebooter rebooter;
    private final Callable<Slot> powerOn;
    final ReleaseVerifier verifier;
    final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    final List<UpdateReport> reports = Collections.synchronizedList(new ArrayList<>());
    final Map<String, byte[]> images = new ConcurrentHashMap<>();
    final List<Long> openedAt = new CopyOnWriteArrayList<>();
    final AtomicInteger reboots = new AtomicInteger();
    final AtomicInteger boots = new AtomicInteger();
    volatile String crashAt;
    /** Whether a crash point cuts the power (the bootloader chooses again) or only kills the runtime (restarted as it was). */
    volatile boolean powerLoss = true;
    volatile long breakStreamAfter = -1;
    volatile boolean reachable = true;
    volatile Duration preDownload = Duration.ZERO;
    private final AtomicBoolean crashed = new AtomicBoolean();
    private volatile DesiredOs desired;
    private volatile List<WindowSpec> windows = List.of();
    private volatile AbUpdater updater;
    private volatile Instant lastSync;

    /** A GRUB host. */
    TestHost(Path dir, ReleaseVerifier verifier) throws Exception {
        this(dir, verifier, false);
    }

    /**
     * @param uboot a U-Boot host with a redundant environment made by mkenvimage (env is its fw_env.config);
     *              otherwise a GRUB host (env is its grubenv)
     */
    TestHost(Path dir, ReleaseVerifier verifier, boolean uboot) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.verifier = verifier;
        cmdline = dir.resolve("cmdline");
        slots = new PathSlotDevice(dir.resolve("slot-a.img"), dir.resolve("slot-b.img"), 64L << 20);
        Files.write(slots.path(Slot.A), "factory image 1.0.0".getBytes());
        if (uboot) {
            Path text = Files.writeString(dir.resolve("env.txt"), "BOOT_ORDER=A B\nBOOT_A_LEFT=3\nBOOT_B_LEFT=0\n");
            Path first = dir.resolve("uboot-env1.bin");
            Path second = dir.resolve("uboot-env2.bin");
            Tools.run("mkenvimage", "-r", "-s", "0x4000", "-o", first.toString(), text.toString());
            Files.copy(first, second);
            env = Files.writeString(dir.resolve("fw_env.config"), first + " 0x0 0x4000\n" + second + " 0x0 0x4000\n");
            UbootEnvironment environment = UbootEnvironment.fromConfig(env);
            boot = new UbootAbBootloader(environment, cmdline);
            UbootBootEmulator u = new UbootBootEmulator(environment, cmdline, reboots::incrementAndGet);
            emulator = null;
            rebooter = u;
            powerOn = u::powerOn;
        } else {
            env = dir.resolve("grubenv");
            Map<String, String> factory = new java.util.LinkedHashMap<>();
            for (String v : List.of("ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0")) {
                factory.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
            }
            GrubEnvironment.write(env, factory);
            boot = new GrubAbBootloader(env, cmdline);
            emulator = new GrubBootEmulator(env, cmdline, reboots::incrementAndGet);
            rebooter = emulator;
            powerOn = emulator::powerOn;
        }
        powerOn.call();
        startRuntime();
    }

    /** The node runtime starts: a new updater on the same journal, then the agent's first sync. */
    void startRuntime() throws Exception {
        boots.incrementAndGet();
        crashed.set(false);
        AbUpdater u = new AbUpdater(new AbUpdater.Settings(dir.resolve("update"), verifier, preDownload, Duration.ofSeconds(2),
                "1.0.0", 64 << 10), boot, slots, rebooter, checks, this::reached, Clock.systemUTC(), new Random(7));
        u.attach(this);
        u.start();
        updater = u;
        sync();
    }

    /** The runtime dies where it stands (a power loss), then the machine is switched on again. */
    void powerCycle() throws Exception {
        updater.stop();
        powerOn.call();
        startRuntime();
    }

    /** An emulated reboot happened: the old runtime is stopped, the new one starts in the chosen slot. */
    void restartAfterReboot() throws Exception {
        updater.stop();
        startRuntime();
    }

    AbUpdater updater() {
        return updater;
    }

    void want(DesiredOs os, byte[] image, List<WindowSpec> w) {
        images.put(os.imageUrls().get(0), image);
        desired = os;
        windows = w;
        sync();
    }

    /** What the agent does on each sync: report, then hand over the desired state. */
    synchronized void sync() {
        AbUpdater u = updater;
        UpdateReport r = u.current();
        if (r != null && (reports.isEmpty() || !reports.get(reports.size() - 1).equals(r))) {
            reports.add(r);
        }
        if (reachable) {
            lastSync = Instant.now();
        }
        u.desired(desired, windows, this::open);
    }

    private InputStream open(String url, long offset) throws IOException {
        byte[] image = images.get(url);
        if (image == null) {
            throw new IOException("404 " + url);
        }
        openedAt.add(offset);
        InputStream in = new ByteArrayInputStream(image, (int) offset, image.length - (int) offset);
        long limit = breakStreamAfter;
        if (limit < 0) {
            return in;
        }
        breakStreamAfter = -1;
        return new FilterInputStream(in) {
            long sent;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent >= limit) {
                    throw new IOException("connection reset by peer");
                }
                int n = super.read(b, off, (int) Math.min(len, limit - sent));
                sent += Math.max(0, n);
                return n;
            }
        };
    }

    private void reached(String point) throws InterruptedException {
        String wanted = crashAt;
        if (wanted != null && (point.equals(wanted) || (wanted.endsWith("@") && point.startsWith(wanted)))) {
            crashAt = null;
            crashed.set(true);
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    boolean crashed() {
        return crashed.get();
    }

    @Override
    public void syncSoon() {
        sync();
    }

    @Override
    public Instant lastSyncAt() {
        return lastSync;
    }

    UpdateReport last() {
        return updater.current();
    }

    /**
     * Runs the host until the run is over: the agent syncs every 50 ms, an emulated reboot restarts the runtime,
     * a cut power is switched on again.
     */
    UpdateReport runUntilFinished(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seenReboots = reboots.get();
        while (System.nanoTime() < deadline) {
            if (crashed()) {
                if (powerLoss) {
                    powerCycle();
                } else {
                    restartAfterReboot();
                }
            } else if (reboots.get() != seenReboots) {
                seenReboots = reboots.get();
                restartAfterReboot();
            }
            sync();
            UpdateReport r = last();
            if (r != null && desired != null && r.runId().equals(desired.runId()) && r.status().finished()) {
                return r;
            }
            Thread.sleep(50);
        }
        fail("the run did not finish in " + timeout + "; reports " + reports);
        return null;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    void shutdown() {
        AbUpdater u = updater;
        if (u != null) {
            u.stop();
        }
    }
}
