package org.edgeorch.plugin.simulated;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwareInventory.Cpu;
import org.edgeorch.spi.HardwareInventory.Disk;
import org.edgeorch.spi.HardwareInventory.Gpu;
import org.edgeorch.spi.HardwareInventory.Memory;
import org.edgeorch.spi.HardwareInventory.Nic;
import org.edgeorch.spi.HardwareInventory.SystemInfo;
import org.edgeorch.spi.HardwareInventory.Usb;

/**
 * Plausible hardware for simulated hosts, derived from a seed only: the same seed always gives an
 * equal inventory, different seeds give different serial numbers, UUIDs and MAC addresses. Models
 * come from a small catalogue of real edge machines, each with its built-in USB devices and display
 * controllers (a BMC's video chip, an integrated GPU) and some optional ones (an LTE modem, a Coral
 * TPU, a data centre GPU) that a host has or not depending on its seed. No state, so any number of hosts can be
 * simulated in one JVM from any thread.
 */
public final class SimulatedHardware {

    private static final long GIB = 1L << 30;
    private static final long PAGE = 4096;

    private static final DiskModel NVME_DATACENTER =
            new DiskModel(Bus.NVME, "SAMSUNG MZQL2960HCJR-00A07", 960_197_124_096L, false);
    private static final DiskModel NVME_CLIENT =
            new DiskModel(Bus.NVME, "Samsung SSD 980 PRO 1TB", 1_000_204_886_016L, false);
    private static final DiskModel NVME_SMALL =
            new DiskModel(Bus.NVME, "WDC PC SN530 SDBPNPZ-512G-1006", 512_110_190_592L, false);
    private static final DiskModel SATA_SSD =
            new DiskModel(Bus.SATA, "Micron_5300_MTFDDAK480TDS", 480_103_981_056L, false);
    private static final DiskModel SATA_HDD =
            new DiskModel(Bus.SATA, "ST2000NM000A-2J2100", 2_000_398_934_016L, true);
    private static final DiskModel SD_CARD = new DiskModel(Bus.MMC, "SC64G", 63_864_569_856L, false);
    private static final DiskModel EMMC = new DiskModel(Bus.MMC, "DG4064", 62_537_072_640L, false);

    private static final UsbModel MICROCHIP_HUB = new UsbModel("0424", "2514", null, null, false, 480);
    private static final UsbModel SMSC_HUB = new UsbModel("0424", "2660", null, null, false, 480);
    private static final UsbModel VIA_HUB = new UsbModel("2109", "3431", null, "USB2.0 Hub", false, 480);
    private static final UsbModel REALTEK_HUB =
            new UsbModel("0bda", "5489", "Generic", "4-Port USB 2.0 Hub", false, 480);
    private static final UsbModel HPE_VIRTUAL_KEYBOARD =
            new UsbModel("03f0", "7029", "HP", "Virtual Keyboard", false, 12);
    private static final UsbModel ATEN_VIRTUAL_KEYBOARD =
            new UsbModel("0557", "2419", "ATEN International Co. Ltd", "Virtual Keyboard and Mouse", false, 12);
    private static final UsbModel LTE_MODEM =
            new UsbModel("1199", "9071", "Sierra Wireless, Incorporated", "EM7455", true, 480);
    private static final UsbModel CORAL_TPU = new UsbModel("18d1", "9302", null, null, false, 5000);
    private static final UsbModel KEYBOARD = new UsbModel("046d", "c31c", "Logitech", "USB Keyboard", false, 1.5);

    private static final String NVIDIA = "NVIDIA Corporation";
    private static final String MATROX = "Matrox Electronics Systems Ltd.";

    private static final Peripherals XR11 = new Peripherals(
            List.of(MICROCHIP_HUB), List.of(LTE_MODEM),
            List.of(new Gpu("0000:03:00.0", "102b", "0536", MATROX,
                    "Integrated Matrox G200eW3 Graphics Controller", "mgag200")),
            List.of(new Gpu("0000:17:00.0", "10de", "25b6", NVIDIA, "GA107GL [A2 / A16]", "nvidia")));
    private static final Peripherals DL360 = new Peripherals(
            List.of(SMSC_HUB, HPE_VIRTUAL_KEYBOARD), List.of(),
            List.of(new Gpu("0000:01:00.1", "102b", "0538", MATROX, "MGA G200eH3", "mgag200")),
            List.of(new Gpu("0000:5c:00.0", "10de", "1eb8", NVIDIA, "TU104GL [Tesla T4]", "nvidia")));
    private static final Peripherals E300 = new Peripherals(
            List.of(ATEN_VIRTUAL_KEYBOARD), List.of(LTE_MODEM, CORAL_TPU),
            List.of(new Gpu("0000:04:00.0", "1a03", "2000", "ASPEED Technology, Inc.", "ASPEED Graphics Family",
                    "ast")),
            List.of());
    private static final Peripherals SE30 = new Peripherals(
            List.of(), List.of(LTE_MODEM, CORAL_TPU),
            List.of(new Gpu("0000:00:02.0", "8086", "9a49", "Intel Corporation",
                    "TigerLake-LP GT2 [Iris Xe Graphics]", "i915")),
            List.of());
    /** The Raspberry Pi's and Jetson's GPUs are part of the system on chip, not PCI devices. */
    private static final Peripherals RPI4 = new Peripherals(
            List.of(VIA_HUB), List.of(KEYBOARD, CORAL_TPU),
            List.of(new Gpu(null, null, null, "Broadcom", "VideoCore VI", "vc4")),
            List.of());
    private static final Peripherals JETSON_ORIN = new Peripherals(
            List.of(REALTEK_HUB), List.of(LTE_MODEM),
            List.of(new Gpu(null, null, null, NVIDIA, "Orin (nvgpu)", "nvgpu")),
            List.of());

    private static final List<Platform> PLATFORMS = List.of(
            new Platform("Dell Inc.", "PowerEdge XR11", "1.10.2",
                    "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "x86_64", 16, 2, 1,
                    List.of(32, 64, 128), List.of(NVME_DATACENTER, SATA_SSD, SATA_HDD), 3, 2, 10_000, XR11),
            new Platform("HPE", "ProLiant DL360 Gen10", "U32",
                    "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", "x86_64", 20, 2, 2,
                    List.of(128, 256, 384), List.of(NVME_DATACENTER, SATA_SSD, SATA_HDD), 4, 4, 10_000, DL360),
            new Platform("Supermicro", "SYS-E300-9D-8CN8TP", "1.4",
                    "Intel(R) Xeon(R) D-2146NT CPU @ 2.30GHz", "x86_64", 8, 2, 1,
                    List.of(32, 64), List.of(NVME_CLIENT, SATA_SSD), 2, 4, 1_000, E300),
            new Platform("LENOVO", "ThinkEdge SE30", "M3EKT24A",
                    "11th Gen Intel(R) Core(TM) i5-1145GRE @ 2.60GHz", "x86_64", 4, 2, 1,
                    List.of(8, 16, 32), List.of(NVME_SMALL, NVME_CLIENT), 1, 2, 1_000, SE30),
            new Platform("Raspberry Pi Ltd", "Raspberry Pi 4 Model B Rev 1.5", null,
                    "Cortex-A72", "aarch64", 4, 1, 1,
                    List.of(2, 4, 8), List.of(SD_CARD), 1, 1, 1_000, RPI4),
            new Platform("NVIDIA", "Jetson AGX Orin Developer Kit", "36.3.0",
                    "Cortex-A78AE", "aarch64", 12, 1, 1,
                    List.of(32, 64), List.of(EMMC, NVME_SMALL), 2, 1, 10_000, JETSON_ORIN));

    private SimulatedHardware() {
    }

    /**
     * The inventory of the simulated host {@code seed}.
     *
     * @param seed identifies the host; its hostname is {@code "sim-" + seed}
     * @return an inventory equal to every other one returned for this seed
     */
    public static HardwareInventory forHost(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Platform platform = PLATFORMS.get(random.nextInt(PLATFORMS.size()));
        SystemInfo system = new SystemInfo(platform.vendor(), platform.product(),
                String.format("SIM-%010X", random.nextLong() & 0xFF_FFFF_FFFFL),
                UUID.nameUUIDFromBytes(("edgeorch-simulated-host:" + seed).getBytes(StandardCharsets.UTF_8))
                        .toString(),
                platform.biosVersion(), "sim-" + seed);
        Cpu cpu = cpu(platform, random);
        Memory memory = memory(platform, random);
        List<Disk> disks = disks(platform, random);
        List<Nic> nics = nics(platform, random);
        // drawn after the rest, so hosts keep the values they had before USB devices and GPUs were simulated
        List<Usb> usb = usb(platform.peripherals(), random);
        List<Gpu> gpus = gpus(platform.peripherals(), random);
        return new HardwareInventory(system, cpu, memory, disks, nics, usb, gpus);
    }

    private static Cpu cpu(Platform platform, SplittableRandom random) {
        int sockets = 1 + random.nextInt(platform.maxSockets());
        int cores = sockets * platform.coresPerSocket();
        return new Cpu(platform.cpuModel(), platform.architecture(), sockets, cores,
                cores * platform.threadsPerCore());
    }

    /** Like Linux: a few percent of the installed memory is reserved, the rest partly in use. */
    private static Memory memory(Platform platform, SplittableRandom random) {
        long installed = platform.memoryGib().get(random.nextInt(platform.memoryGib().size())) * GIB;
        long total = pages(installed * (97 + random.nextInt(3)) / 100);
        long available = pages(total * (30 + random.nextInt(61)) / 100);
        return new Memory(total, available);
    }

    private static long pages(long bytes) {
        return bytes / PAGE * PAGE;
    }

    private static List<Disk> disks(Platform platform, SplittableRandom random) {
        int count = 1 + random.nextInt(platform.maxDisks());
        int[] perBus = new int[Bus.values().length];
        List<Disk> disks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DiskModel model = platform.diskModels().get(random.nextInt(platform.diskModels().size()));
            int index = perBus[model.bus().ordinal()]++;
            disks.add(new Disk(model.bus().deviceName(index), model.sizeBytes(), model.rotational(), false,
                    model.model(), String.format("SIMD%012X", random.nextLong() & 0xFFFF_FFFF_FFFFL)));
        }
        return disks;
    }

    /** NIC MACs are consecutive from a random locally administered base, so they differ within a host. */
    private static List<Nic> nics(Platform platform, SplittableRandom random) {
        long base = random.nextLong() & 0xFF_FFFF_FFFFL;
        List<Nic> nics = new ArrayList<>(platform.nics());
        for (int i = 0; i < platform.nics(); i++) {
            boolean up = i == 0 || random.nextBoolean();
            nics.add(new Nic("eth" + i, mac((base + i) & 0xFF_FFFF_FFFFL), 1500,
                    up ? Long.valueOf(platform.nicSpeedMbps()) : null, up ? "up" : "down"));
        }
        return nics;
    }

    /**
     * The platform's built-in devices, then each optional one with a probability of one in three.
     * Ports are numbered in that order, SuperSpeed devices on their own bus as xHCI controllers do.
     */
    private static List<Usb> usb(Peripherals peripherals, SplittableRandom random) {
        List<UsbModel> present = new ArrayList<>(peripherals.usb());
        for (UsbModel optional : peripherals.optionalUsb()) {
            if (random.nextInt(3) == 0) {
                present.add(optional);
            }
        }
        int[] portsUsed = new int[2];
        List<Usb> devices = new ArrayList<>(present.size());
        for (UsbModel model : present) {
            int bus = model.speedMbps() >= 5000 ? 2 : 1;
            String serial = model.hasSerial()
                    ? String.format("SIMU%012X", random.nextLong() & 0xFFFF_FFFF_FFFFL) : null;
            devices.add(new Usb(bus + "-" + ++portsUsed[bus - 1], model.vendorId(), model.productId(),
                    model.manufacturer(), model.product(), serial, model.speedMbps()));
        }
        return devices;
    }

    /** The platform's built-in display controllers, then each optional one with a probability of one in three. */
    private static List<Gpu> gpus(Peripherals peripherals, SplittableRandom random) {
        List<Gpu> gpus = new ArrayList<>(peripherals.gpus());
        for (Gpu optional : peripherals.optionalGpus()) {
            if (random.nextInt(3) == 0) {
                gpus.add(optional);
            }
        }
        return gpus;
    }

    /** 02:xx:xx:xx:xx:xx, a unicast locally administered address, so it never clashes with a real vendor's. */
    private static String mac(long low40Bits) {
        byte[] octets = new byte[6];
        octets[0] = 0x02;
        for (int i = 5; i >= 1; i--) {
            octets[i] = (byte) (low40Bits >>> (8 * (5 - i)));
        }
        return HexFormat.ofDelimiter(":").formatHex(octets);
    }

    private enum Bus {
        NVME, SATA, MMC;

        String deviceName(int index) {
            return switch (this) {
                case NVME -> "nvme" + index + "n1";
                case SATA -> "sd" + (char) ('a' + index);
                case MMC -> "mmcblk" + index;
            };
        }
    }

    private record DiskModel(Bus bus, String model, long sizeBytes, boolean rotational) {
    }

    /** A USB device model; {@code hasSerial} when each unit reports its own serial number. */
    private record UsbModel(String vendorId, String productId, String manufacturer, String product,
                            boolean hasSerial, double speedMbps) {
    }

    /** What a platform has built in, and what some hosts of that platform have besides. */
    private record Peripherals(List<UsbModel> usb, List<UsbModel> optionalUsb, List<Gpu> gpus,
                               List<Gpu> optionalGpus) {
    }

    private record Platform(String vendor, String product, String biosVersion, String cpuModel,
                            String architecture, int coresPerSocket, int threadsPerCore, int maxSockets,
                            List<Integer> memoryGib, List<DiskModel> diskModels, int maxDisks, int nics,
                            long nicSpeedMbps, Peripherals peripherals) {
    }
}
