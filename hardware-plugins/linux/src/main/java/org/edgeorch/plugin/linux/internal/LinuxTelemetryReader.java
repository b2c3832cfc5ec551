package org.edgeorch.plugin.linux.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.Telemetry.Sample;

/**
 * The host's figures from procfs and sysfs under a root folder: CPU use since the previous read ({@code proc/stat}),
 * load ({@code proc/loadavg}), memory ({@code proc/meminfo}, used = total - available), each mounted block-device
 * file system ({@code proc/mounts}, sizes from the file store), network bytes per interface but loopback
 * ({@code proc/net/dev}) and thermal zones ({@code sys/class/thermal/thermal_zone*}, millidegrees).
 */
final class LinuxTelemetryReader {

    private static final Set<String> FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "f2fs",
            "zfs", "jfs", "reiserfs", "exfat", "ntfs", "ntfs3", "overlay");

    private final Path root;
    private final Clock clock;
    private long[] previousCpu;

    LinuxTelemetryReader(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    synchronized Telemetry read() throws PluginException {
        String stat = SysFiles.read(root.resolve("proc/stat"));
        String meminfo = SysFiles.read(root.resolve("proc/meminfo"));
        if (stat == null || meminfo == null) {
            throw new PluginException("cannot read proc/stat and proc/meminfo under '" + root + "'");
        }
        List<Sample> samples = new ArrayList<>();
        cpu(stat, samples);
        load(SysFiles.readTrimmed(root.resolve("proc/loadavg")), samples);
        memory(meminfo, samples);
        fileSystems(SysFiles.read(root.resolve("proc/mounts")), samples);
        network(SysFiles.read(root.resolve("proc/net/dev")), samples);
        temperatures(samples);
        return new Telemetry(clock.instant(), samples);
    }

    private void cpu(String stat, List<Sample> samples) {
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long[] now = new long[2]; // busy, total
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    now[1] += v;
                    if (i != 4 && i != 5) { // idle, iowait
                        now[0] += v;
                    }
                }
                if (previousCpu != null && now[1] > previousCpu[1]) {
                    samples.add(new Sample(Telemetry.CPU_USAGE, "",
                            round(100.0 * (now[0] - previousCpu[0]) / (now[1] - previousCpu[1]))));
                }
                previousCpu = now;
                return;
            }
        }
    }

    private static void load(String loadavg, List<Sample> samples) {
        if (loadavg == null) {
            return;
        }
        String[] f = loadavg.split("\\s+");
        if (f.length >= 3) {
            samples.add(new Sample(Telemetry.LOAD_1, "", Double.parseDouble(f[0])));
            samples.add(new Sample(Telemetry.LOAD_5, "", Double.parseDouble(f[1])));
            samples.add(new Sample(Telemetry.LOAD_15, "", Double.parseDouble(f[2])));
        }
    }

    private static void memory(String meminfo, List<Sample> samples) {
        long total = -1;
        long available = -1;
        for (String line : meminfo.split("\n")) {
            String[] f = line.split("\\s+");
            if (f.length >= 2 && f[0].equals("MemTotal:")) {
                total = Long.parseLong(f[1]) * 1024;
            } else if (f.length >= 2 && f[0].equals("MemAvailable:")) {
                available = Long.parseLong(f[1]) * 1024;
            }
        }
        if (total > 0 && available >= 0) {
            samples.add(new Sample(Telemetry.MEMORY_USED_BYTES, "", total - available));
            samples.add(new Sample(Telemetry.MEMORY_USED_PERCENT, "", round(100.0 * (total - available) / total)));
        }
    }

    private void fileSystems(String mounts, List<Sample> samples) {
        if (mounts == null) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String line : mounts.split("\n")) {
            String[] f = line.split("\\s+");
            if (f.length < 3 || !FILE_SYSTEMS.contains(f[2]) || !seen.add(f[1])) {
                continue;
            }
            String mountPoint = f[1].replace("\\040", " ");
            Path path = root.resolve(mountPoint.substring(1));
            try {
                if (!Files.isDirectory(path)) {
                    continue;
                }
                FileStore store = Files.getFileStore(path);
                long total = store.getTotalSpace();
                long used = total - store.getUnallocatedSpace();
                if (total > 0) {
                    samples.add(new Sample(Telemetry.FS_USED_BYTES, mountPoint, used));
                    samples.add(new Sample(Telemetry.FS_USED_PERCENT, mountPoint, round(100.0 * used / total)));
                }
            } catch (IOException | SecurityException e) {
                // a mount point that went away or that this user may not see: left out
            }
        }
    }

    private static void network(String dev, List<Sample> samples) {
        if (dev == null) {
            return;
        }
        for (String line : dev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 9) {
                continue;
            }
            samples.add(new Sample(Telemetry.NET_RX_BYTES, name, Long.parseLong(f[0])));
            samples.add(new Sample(Telemetry.NET_TX_BYTES, name, Long.parseLong(f[8])));
        }
    }

    private void temperatures(List<Sample> samples) {
        Path thermal = root.resolve("sys/class/thermal");
        for (String zone : SysFiles.list(thermal)) {
            if (!zone.startsWith("thermal_zone")) {
                continue;
            }
            Long milli = SysFiles.readLong(thermal.resolve(zone).resolve("temp"));
            String type = SysFiles.readTrimmed(thermal.resolve(zone).resolve("type"));
            if (milli != null) {
                samples.add(new Sample(Telemetry.TEMPERATURE, type == null ? zone : type + "/" + zone, milli / 1000.0));
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
