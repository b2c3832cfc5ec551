package org.edgeorch.plugin.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.Telemetry.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry from a procfs/sysfs tree written by the test, and from this machine's own. */
class LinuxTelemetryReaderTest {

    @TempDir
    Path root;

    private void write(String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static double value(Telemetry t, String name, String device) {
        return t.samples().stream().filter(s -> s.name().equals(name) && s.device().equals(device)).mapToDouble(Sample::value)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " " + device + " in " + t.samples()));
    }

    @Test
    void readsCpuSinceThePreviousReadLoadMemoryFileSystemsNetworkAndTemperatures() throws Exception {
        write("proc/stat", "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 100 0 100 700 100 0 0 0 0 0\n");
        write("proc/loadavg", "0.52 0.40 0.31 1/123 4567\n");
        write("proc/meminfo", "MemTotal:        1000000 kB\nMemFree:          100000 kB\nMemAvailable:     250000 kB\n");
        write("proc/mounts", "/dev/sda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\ntmpfs /run tmpfs rw 0 0\n");
        write("proc/net/dev", "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes\n"
                + "    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0\n  eth0: 1234 10 0 0 0 0 0 0 5678 20 0 0 0 0 0 0\n");
        write("sys/class/thermal/thermal_zone0/temp", "47500\n");
        write("sys/class/thermal/thermal_zone0/type", "x86_pkg_temp\n");
        LinuxTelemetryReader reader = new LinuxTelemetryReader(root, Clock.systemUTC());

        Telemetry first = reader.read();
        assertTrue(first.samples().stream().noneMatch(s -> s.name().equals(Telemetry.CPU_USAGE)), "no rate on the first read");
        assertEquals(0.52, value(first, Telemetry.LOAD_1, ""));
        assertEquals(0.31, value(first, Telemetry.LOAD_15, ""));
        assertEquals(75.0, value(first, Telemetry.MEMORY_USED_PERCENT, ""));
        assertEquals(750_000 * 1024.0, value(first, Telemetry.MEMORY_USED_BYTES, ""));
        double fs = value(first, Telemetry.FS_USED_PERCENT, "/");
        assertTrue(fs > 0 && fs <= 100, "the root's file store: " + fs);
        assertFalse(first.samples().stream().anyMatch(s -> s.device().equals("/run")), "tmpfs is not a disk");
        assertEquals(1234, value(first, Telemetry.NET_RX_BYTES, "eth0"));
        assertEquals(5678, value(first, Telemetry.NET_TX_BYTES, "eth0"));
        assertFalse(first.samples().stream().anyMatch(s -> s.device().equals("lo")));
        assertEquals(47.5, value(first, Telemetry.TEMPERATURE, "x86_pkg_temp/thermal_zone0"));

        // 1000 more jiffies, 250 of them busy (user 150, system 100), the rest idle and iowait
        write("proc/stat", "cpu  250 0 200 1300 250 0 0 0 0 0\n");
        assertEquals(25.0, value(reader.read(), Telemetry.CPU_USAGE, ""));
    }

    @Test
    void aRootWithoutProcfsIsAPluginError() {
        assertThrows(PluginException.class, () -> new LinuxTelemetryReader(root, Clock.systemUTC()).read());
    }

    @Test
    void readsThisMachine() throws Exception {
        LinuxTelemetryReader reader = new LinuxTelemetryReader(Path.of("/"), Clock.systemUTC());
        reader.read();
        List<Sample> samples = reader.read().samples();
        double cpu = samples.stream().filter(s -> s.name().equals(Telemetry.CPU_USAGE)).mapToDouble(Sample::value)
                .findFirst().orElse(0);
        assertTrue(cpu >= 0 && cpu <= 100, "CPU use " + cpu);
        assertTrue(samples.stream().anyMatch(s -> s.name().equals(Telemetry.MEMORY_USED_PERCENT)), samples.toString());
    }
}
