package org.edgeorch.plugin.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwareInventory.Cpu;
import org.edgeorch.spi.HardwareInventory.Disk;
import org.edgeorch.spi.HardwareInventory.Gpu;
import org.edgeorch.spi.HardwareInventory.Memory;
import org.edgeorch.spi.HardwareInventory.Nic;
import org.edgeorch.spi.HardwareInventory.SystemInfo;
import org.edgeorch.spi.HardwareInventory.Usb;
import org.edgeorch.spi.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class LinuxHardwareReaderTest {

    private static HardwareInventory fixtureInventory() throws PluginException {
        return new LinuxHardwareReader(Fixtures.host(), "amd64").read();
    }

    @Test
    void countsSocketsCoresAndThreadsOfTwoSocketHost() throws PluginException {
        assertEquals(new Cpu("Intel(R) Xeon(R) Silver 4208 CPU @ 2.10GHz", "x86_64", 2, 4, 8),
                fixtureInventory().cpu());
    }

    @Test
    void readsMemoryInBytes() throws PluginException {
        assertEquals(new Memory(32_768_000L * 1024, 20_480_000L * 1024), fixtureInventory().memory());
    }

    @Test
    void listsWholeDisksSkippingLoopAndEmptyDrives() throws PluginException {
        assertEquals(List.of(
                new Disk("nvme0n1", 976_773_168L * 512, false, false, "Samsung SSD 970 EVO Plus 500GB",
                        "S4EVNX0N123456"),
                new Disk("sda", 3_907_029_168L * 512, true, false, "ST2000DM008-2FR102", null)),
                fixtureInventory().disks());
    }

    @Test
    void listsPhysicalNicsSkippingLoopbackAndVirtual() throws PluginException {
        assertEquals(List.of(
                new Nic("eth0", "52:54:00:12:34:56", 9000, 1000L, "up"),
                new Nic("wlan0", "a4:c3:f0:85:1e:2b", 1500, null, "down")),
                fixtureInventory().nics());
    }

    @Test
    void listsUsbDevicesSkippingRootHubsAndInterfaces() throws PluginException {
        assertEquals(List.of(
                new Usb("1-1", "0424", "2514", null, null, null, 480.0),
                new Usb("1-1.2", "1199", "9071", "Sierra Wireless, Incorporated", "EM7455", "LF71234567010203", 480.0),
                new Usb("3-2", "046d", "c31c", "Logitech", "USB Keyboard", null, 1.5)),
                fixtureInventory().usb());
    }

    @Test
    void listsDisplayControllersWithNamesFromPciIds() throws PluginException {
        assertEquals(List.of(
                new Gpu("0000:00:02.0", "8086", "9a49", "Intel Corporation", "TigerLake-LP GT2 [Iris Xe Graphics]",
                        "i915"),
                new Gpu("0000:01:00.0", "10de", "2236", "NVIDIA Corporation", null, "nvidia"),
                new Gpu("0000:03:00.0", "1a03", "2000", null, null, null)),
                fixtureInventory().gpus());
    }

    @Test
    void gpuDriverIsTheDriverLinksName(@TempDir Path temp) throws Exception {
        Path root = Fixtures.copyHostTo(temp);
        Path device = root.resolve("sys/bus/pci/devices/0000:03:00.0");
        Path driverDir = Files.createDirectories(root.resolve("sys/bus/pci/drivers/ast"));
        Files.createSymbolicLink(device.resolve("driver"), device.relativize(driverDir));

        HardwareInventory inventory = new LinuxHardwareReader(root, "amd64").read();

        assertEquals("ast", inventory.gpus().get(2).driver());
    }

    @Test
    void gpuNamesAreNullWithoutPciIds(@TempDir Path temp) throws Exception {
        Path root = Fixtures.copyHostTo(temp);
        Files.delete(root.resolve("usr/share/misc/pci.ids"));

        HardwareInventory inventory = new LinuxHardwareReader(root, "amd64").read();

        assertEquals(new Gpu("0000:00:02.0", "8086", "9a49", null, null, "i915"), inventory.gpus().get(0));
    }

    @Test
    void hwdataPciIdsIsPreferredToPciutils(@TempDir Path temp) throws Exception {
        Path root = Fixtures.copyHostTo(temp);
        Path hwdata = Files.createDirectories(root.resolve("usr/share/hwdata")).resolve("pci.ids");
        Files.writeString(hwdata, "8086  Intel Corp.\n\t9a49  Iris Xe\n");

        Gpu intel = new LinuxHardwareReader(root, "amd64").read().gpus().get(0);

        assertEquals("Intel Corp.", intel.vendor());
        assertEquals("Iris Xe", intel.model());
    }

    @Test
    void readsDmiIdentityAndHostname() throws PluginException {
        assertEquals(new SystemInfo("Dell Inc.", "PowerEdge R440", "7XK2QW3", "4c4c4544-0058-4b10-8032-b7c04f515733",
                "2.19.1", "edge-01"), fixtureInventory().system());
    }

    @Test
    void mapsJavaArchitectureNamesToUnameNames() {
        assertEquals("x86_64", LinuxHardwareReader.unameArchitecture("amd64"));
        assertEquals("aarch64", LinuxHardwareReader.unameArchitecture("aarch64"));
        assertEquals("riscv64", LinuxHardwareReader.unameArchitecture("riscv64"));
        assertNull(LinuxHardwareReader.unameArchitecture(null));
    }

    @Test
    void unreadableDmiFileAndMissingSpeedAreNull(@TempDir Path temp) throws Exception {
        Path root = Fixtures.copyHostTo(temp);
        // root-only files fail with an IOException like a directory does, even when the test runs as root
        Path serial = root.resolve("sys/class/dmi/id/product_serial");
        Files.delete(serial);
        Files.createDirectory(serial);
        Files.delete(root.resolve("sys/class/dmi/id/product_uuid"));
        Files.delete(root.resolve("sys/class/net/eth0/speed"));

        HardwareInventory inventory = new LinuxHardwareReader(root, "amd64").read();

        assertNull(inventory.system().serialNumber());
        assertNull(inventory.system().uuid());
        assertEquals("Dell Inc.", inventory.system().vendor());
        assertNull(inventory.nics().get(0).speedMbps());
    }

    @Test
    void hostWithOnlyProcfsHasEmptyDevicesAndNullIdentity(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.copy(Fixtures.host().resolve("proc/meminfo"), root.resolve("proc/meminfo"));

        HardwareInventory inventory = new LinuxHardwareReader(root, "aarch64").read();

        assertEquals(new Cpu(null, "aarch64", 0, 0, 0), inventory.cpu());
        assertEquals(32_768_000L * 1024, inventory.memory().totalBytes());
        assertEquals(new SystemInfo(null, null, null, null, null, null), inventory.system());
        assertTrue(inventory.disks().isEmpty());
        assertTrue(inventory.nics().isEmpty());
        assertTrue(inventory.usb().isEmpty());
        assertTrue(inventory.gpus().isEmpty());
    }

    @Test
    void failsNamingThePathWhenProcfsIsMissing(@TempDir Path root) {
        PluginException e = assertThrows(PluginException.class, () -> new LinuxHardwareReader(root, "amd64").read());
        assertTrue(e.getMessage().contains(root.resolve("proc/cpuinfo").toString()), e.getMessage());
    }

    @Test
    void armCpuinfoWithoutTopologyCountsEachThreadAsCore() {
        String cpuinfo = """
                processor	: 0
                BogoMIPS	: 108.00
                CPU implementer	: 0x41
                CPU part	: 0xd08

                processor	: 1
                BogoMIPS	: 108.00
                CPU implementer	: 0x41
                CPU part	: 0xd08

                Hardware	: BCM2835
                Model		: Raspberry Pi 4 Model B Rev 1.4
                """;
        assertEquals(new Cpu(null, "aarch64", 1, 2, 2), LinuxHardwareReader.parseCpu(cpuinfo, "aarch64"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsTheRealHost() throws PluginException {
        HardwareInventory inventory = new LinuxHardwareReader(Path.of("/")).read();

        assertTrue(inventory.cpu().threads() >= 1, inventory.cpu().toString());
        assertTrue(inventory.memory().totalBytes() > 0, inventory.memory().toString());
        assertNotNull(inventory.cpu().architecture());
    }
}
