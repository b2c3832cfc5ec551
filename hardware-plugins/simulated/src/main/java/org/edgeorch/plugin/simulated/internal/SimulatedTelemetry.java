package org.edgeorch.plugin.simulated.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.Telemetry.Sample;

/**
 * Believable figures for the simulated host of a seed, a pure function of the seed and the time: each seed has its
 * own base load, a daily swing (busiest mid-afternoon UTC), noise that changes each minute, memory and disks that
 * follow the inventory, network counters growing at the seed's rate, and a CPU temperature that follows the load.
 */
final class SimulatedTelemetry {

    private final long seed;
    private final HardwareInventory inventory;
    private final Clock clock;
    private final double baseCpu;
    private final double baseMemory;
    private final double rootUse;
    private final double dataUse;
    private final long rxPerSecond;
    private final long txPerSecond;

    SimulatedTelemetry(long seed, HardwareInventory inventory, Clock clock) {
        this.seed = seed;
        this.inventory = inventory;
        this.clock = clock;
        SplittableRandom r = new SplittableRandom(seed);
        baseCpu = 5 + r.nextDouble() * 35;
        baseMemory = 25 + r.nextDouble() * 40;
        rootUse = 20 + r.nextDouble() * 50;
        dataUse = 10 + r.nextDouble() * 70;
        rxPerSecond = 2_000 + r.nextLong(200_000);
        txPerSecond = 500 + r.nextLong(50_000);
    }

    Telemetry read() {
        Instant now = clock.instant();
        long seconds = now.getEpochSecond();
        SplittableRandom minute = new SplittableRandom(seed * 31 + seconds / 60);
        double daily = Math.sin((seconds % 86_400) / 86_400.0 * 2 * Math.PI - Math.PI / 2 - Math.PI / 6);
        double cpu = clamp(baseCpu + 15 * daily + minute.nextDouble(-5, 5), 0.5, 100);
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(Telemetry.CPU_USAGE, "", round(cpu)));
        int cores = Math.max(1, inventory.cpu() == null ? 4 : inventory.cpu().threads());
        double load1 = round(cores * cpu / 100 + minute.nextDouble(0, 0.2));
        samples.add(new Sample(Telemetry.LOAD_1, "", load1));
        samples.add(new Sample(Telemetry.LOAD_5, "", round(cores * (baseCpu + 15 * daily) / 100)));
        samples.add(new Sample(Telemetry.LOAD_15, "", round(cores * baseCpu / 100)));
        double memory = clamp(baseMemory + 5 * daily + minute.nextDouble(-2, 2), 1, 99);
        long total = inventory.memory() == null ? 8L << 30 : inventory.memory().totalBytes();
        samples.add(new Sample(Telemetry.MEMORY_USED_PERCENT, "", round(memory)));
        samples.add(new Sample(Telemetry.MEMORY_USED_BYTES, "", Math.round(total * memory / 100)));
        // disks fill slowly: a tenth of a percent a day
        double days = seconds / 86_400.0 % 300;
        samples.add(new Sample(Telemetry.FS_USED_PERCENT, "/", round(clamp(rootUse + days * 0.1, 0, 100))));
        samples.add(new Sample(Telemetry.FS_USED_PERCENT, "/data", round(clamp(dataUse + days * 0.1, 0, 100))));
        long uptime = seconds % 2_592_000; // "rebooted" every 30 days: counters restart
        samples.add(new Sample(Telemetry.NET_RX_BYTES, "eth0", uptime * rxPerSecond));
        samples.add(new Sample(Telemetry.NET_TX_BYTES, "eth0", uptime * txPerSecond));
        samples.add(new Sample(Telemetry.TEMPERATURE, "cpu", round(38 + cpu * 0.35 + minute.nextDouble(-1, 1))));
        return new Telemetry(now, samples);
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
