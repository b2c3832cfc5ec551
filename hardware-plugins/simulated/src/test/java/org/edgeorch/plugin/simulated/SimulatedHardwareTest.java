package org.edgeorch.plugin.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwareInventory.Disk;
import org.edgeorch.spi.HardwareInventory.Gpu;
import org.edgeorch.spi.HardwareInventory.Nic;
import org.edgeorch.spi.HardwareInventory.Usb;
import org.junit.jupiter.api.Test;

class SimulatedHardwareTest {

    private static final Pattern SERIAL = Pattern.compile("SIM-[0-9A-F]{10}");
    private static final Pattern LOCAL_MAC = Pattern.compile("02(:[0-9a-f]{2}){5}");
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{4}");
    private static final Pattern USB_PORT = Pattern.compile("[12]-[0-9]+");
    private static final int HOSTS = 2_000;

    @Test
    void sameSeedGivesEqualInventory() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            assertEquals(SimulatedHardware.forHost(seed), SimulatedHardware.forHost(seed), "seed " + seed);
        }
    }

    @Test
    void differentSeedsGiveDifferentIdentities() {
        Set<String> serials = new HashSet<>();
        Set<String> uuids = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (long seed = 0; seed < HOSTS; seed++) {
            HardwareInventory inventory = SimulatedHardware.forHost(seed);
            assertTrue(serials.add(inventory.system().serialNumber()), "serial repeats at seed " + seed);
            assertTrue(uuids.add(inventory.system().uuid()), "uuid repeats at seed " + seed);
            for (Nic nic : inventory.nics()) {
                assertTrue(macs.add(nic.macAddress()), "MAC repeats at seed " + seed);
            }
        }
        assertNotEquals(SimulatedHardware.forHost(1), SimulatedHardware.forHost(2));
    }

    @Test
    void catalogueIsUsedBeyondOnePlatform() {
        Set<String> products = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            products.add(SimulatedHardware.forHost(seed).system().product());
        }
        assertTrue(products.size() > 3, products.toString());
    }

    @Test
    void inventoriesArePlausible() {
        for (long seed = 0; seed < HOSTS; seed++) {
            HardwareInventory inventory = SimulatedHardware.forHost(seed);
            String host = "seed " + seed + ": " + inventory;

            assertEquals("sim-" + seed, inventory.system().hostname());
            assertTrue(SERIAL.matcher(inventory.system().serialNumber()).matches(), host);
            assertEquals(inventory.system().uuid(), UUID.fromString(inventory.system().uuid()).toString(), host);

            assertTrue(inventory.cpu().sockets() >= 1, host);
            assertTrue(inventory.cpu().cores() >= inventory.cpu().sockets(), host);
            assertTrue(inventory.cpu().cores() <= inventory.cpu().threads(), host);
            assertTrue(List.of("x86_64", "aarch64").contains(inventory.cpu().architecture()), host);

            assertTrue(inventory.memory().totalBytes() > 0, host);
            assertTrue(inventory.memory().availableBytes() > 0, host);
            assertTrue(inventory.memory().availableBytes() <= inventory.memory().totalBytes(), host);

            assertFalse(inventory.disks().isEmpty(), host);
            Set<String> diskNames = new HashSet<>();
            for (Disk disk : inventory.disks()) {
                assertTrue(disk.sizeBytes() > 0, host);
                assertTrue(diskNames.add(disk.name()), host);
            }

            assertFalse(inventory.nics().isEmpty(), host);
            for (Nic nic : inventory.nics()) {
                assertTrue(LOCAL_MAC.matcher(nic.macAddress()).matches(), host);
                assertTrue(nic.mtu() > 0, host);
            }
            assertEquals("up", inventory.nics().get(0).operState(), host);
        }
    }

    @Test
    void hostsKeepTheValuesTheyHadBeforeUsbAndGpusWereSimulated() {
        HardwareInventory inventory = SimulatedHardware.forHost(42);

        assertEquals("SIM-33B266F103", inventory.system().serialNumber());
        assertEquals(34_016_137_216L, inventory.memory().totalBytes());
        assertEquals(List.of(new Disk("mmcblk0", 62_537_072_640L, false, false, "DG4064", "SIMDB8770B3D7DD5")),
                inventory.disks());
        assertEquals(List.of(new Nic("eth0", "02:38:29:7f:77:ae", 1500, 10_000L, "up")), inventory.nics());
    }

    @Test
    void jetsonHasItsIntegratedGpuAndNoPciAddress() {
        HardwareInventory jetson = SimulatedHardware.forHost(42);

        assertEquals(List.of(new Gpu(null, null, null, "NVIDIA Corporation", "Orin (nvgpu)", "nvgpu")),
                jetson.gpus());
        assertEquals("0bda", jetson.usb().get(0).vendorId());
    }

    @Test
    void usbDevicesAndGpusArePlausible() {
        for (long seed = 0; seed < HOSTS; seed++) {
            HardwareInventory inventory = SimulatedHardware.forHost(seed);
            String host = "seed " + seed + ": " + inventory;

            Set<String> ports = new HashSet<>();
            for (Usb usb : inventory.usb()) {
                assertTrue(USB_PORT.matcher(usb.port()).matches(), host);
                assertTrue(ports.add(usb.port()), host);
                assertTrue(HEX_ID.matcher(usb.vendorId()).matches(), host);
                assertTrue(HEX_ID.matcher(usb.productId()).matches(), host);
                assertTrue(usb.speedMbps() > 0, host);
                assertEquals(usb.speedMbps() >= 5000, usb.port().startsWith("2-"), host);
            }

            assertFalse(inventory.gpus().isEmpty(), host);
            Set<String> addresses = new HashSet<>();
            for (Gpu gpu : inventory.gpus()) {
                assertNotNull(gpu.model(), host);
                assertNotNull(gpu.driver(), host);
                if (gpu.pciAddress() != null) {
                    assertTrue(addresses.add(gpu.pciAddress()), host);
                    assertTrue(HEX_ID.matcher(gpu.vendorId()).matches(), host);
                    assertTrue(HEX_ID.matcher(gpu.deviceId()).matches(), host);
                }
            }
        }
    }

    @Test
    void optionalDevicesAreOnSomeHostsOnlyWithTheirOwnSerials() {
        int withDataCentreGpu = 0;
        int xr11 = 0;
        Set<String> modemSerials = new HashSet<>();
        for (long seed = 0; seed < HOSTS; seed++) {
            HardwareInventory inventory = SimulatedHardware.forHost(seed);
            if (inventory.system().product().equals("PowerEdge XR11")) {
                xr11++;
                withDataCentreGpu += inventory.gpus().stream().anyMatch(g -> "nvidia".equals(g.driver())) ? 1 : 0;
            }
            for (Usb usb : inventory.usb()) {
                if (usb.product() != null && usb.product().equals("EM7455")) {
                    assertTrue(modemSerials.add(usb.serialNumber()), "modem serial repeats at seed " + seed);
                }
            }
        }
        assertTrue(withDataCentreGpu > 0 && withDataCentreGpu < xr11, withDataCentreGpu + " of " + xr11);
        assertTrue(modemSerials.size() > 10, modemSerials.toString());
    }
}
