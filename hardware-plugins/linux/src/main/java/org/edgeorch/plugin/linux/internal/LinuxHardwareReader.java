package org.edgeorch.plugin.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwareInventory.Cpu;
import org.edgeorch.spi.HardwareInventory.Disk;
import org.edgeorch.spi.HardwareInventory.Gpu;
import org.edgeorch.spi.HardwareInventory.Memory;
import org.edgeorch.spi.HardwareInventory.Nic;
import org.edgeorch.spi.HardwareInventory.SystemInfo;
import org.edgeorch.spi.HardwareInventory.Usb;
import org.edgeorch.spi.PluginException;

/**
 * Builds a {@link HardwareInventory} from procfs, sysfs and DMI under a root folder: {@code /} on a
 * real host, a fixture tree in tests; GPU names from the PCI id database under the same root. Values
 * that cannot be read are {@code null} (or 0 for the primitive counts and sizes), never invented.
 * Stateless, so safe from several threads.
 */
final class LinuxHardwareReader {

    /** {@code /sys/block/X/size} always counts 512-byte sectors, whatever the device's block size. */
    private static final long SECTOR_BYTES = 512;

    /** Kernel block devices that are not disks: loop mounts and RAM disks. */
    private static final List<String> VIRTUAL_DISK_PREFIXES = List.of("loop", "ram", "zram");

    /** Keys that name the processor, best first: x86 and most, old ARM, MIPS, POWER. */
    private static final List<String> CPU_MODEL_KEYS = List.of("model name", "Processor", "cpu model", "cpu");

    /** PCI base class of display controllers (VGA, XGA, 3D, other) in a device's 24-bit class code. */
    private static final int PCI_CLASS_DISPLAY = 0x03;

    private final Path root;
    private final String architecture;

    /** Reads under {@code root}, taking the architecture from the running JVM. */
    LinuxHardwareReader(Path root) {
        this(root, System.getProperty("os.arch"));
    }

    /**
     * @param root     folder holding {@code proc}, {@code sys} and {@code etc}
     * @param javaArch the architecture as Java names it ({@code os.arch}); reported as uname does
     */
    LinuxHardwareReader(Path root, String javaArch) {
        this.root = Objects.requireNonNull(root, "root");
        this.architecture = unameArchitecture(javaArch);
    }

    /**
     * Reads the inventory now.
     *
     * @throws PluginException when neither {@code proc/cpuinfo} nor {@code proc/meminfo} can be read,
     *                         which means the root is not a Linux file system with procfs mounted
     */
    HardwareInventory read() throws PluginException {
        Path cpuinfoFile = root.resolve("proc/cpuinfo");
        Path meminfoFile = root.resolve("proc/meminfo");
        String cpuinfo = SysFiles.read(cpuinfoFile);
        String meminfo = SysFiles.read(meminfoFile);
        if (cpuinfo == null && meminfo == null) {
            throw new PluginException("Cannot read " + cpuinfoFile + " nor " + meminfoFile
                    + ": the root path '" + root + "' must be the root of a Linux file system with procfs"
                    + " mounted at proc (check rootPath in configuration " + LinuxPlugins.PID + ")");
        }
        return new HardwareInventory(system(), parseCpu(cpuinfo, architecture), parseMemory(meminfo), disks(),
                nics(), usb(), gpus());
    }

    /** Maps Java's {@code os.arch} to what {@code uname -m} prints. */
    static String unameArchitecture(String javaArch) {
        if (javaArch == null || javaArch.isBlank()) {
            return null;
        }
        return switch (javaArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            case "arm64", "aarch64" -> "aarch64";
            default -> javaArch;
        };
    }

    private SystemInfo system() {
        Path dmi = root.resolve("sys/class/dmi/id");
        return new SystemInfo(
                SysFiles.readTrimmed(dmi.resolve("sys_vendor")),
                SysFiles.readTrimmed(dmi.resolve("product_name")),
                SysFiles.readTrimmed(dmi.resolve("product_serial")),
                SysFiles.readTrimmed(dmi.resolve("product_uuid")),
                SysFiles.readTrimmed(dmi.resolve("bios_version")),
                SysFiles.readTrimmed(root.resolve("proc/sys/kernel/hostname")));
    }

    /**
     * Parses {@code /proc/cpuinfo}. Threads are the {@code processor} entries, sockets the distinct
     * {@code physical id}s (at least one), cores the sum of {@code cpu cores} over sockets, else the
     * distinct (physical id, core id) pairs, else the thread count.
     *
     * @param cpuinfo the file's content, or {@code null} when it could not be read
     */
    static Cpu parseCpu(String cpuinfo, String architecture) {
        if (cpuinfo == null) {
            return new Cpu(null, architecture, 0, 0, 0);
        }
        List<Map<String, String>> blocks = blocks(cpuinfo);
        int threads = 0;
        Set<String> sockets = new HashSet<>();
        Map<String, Integer> coresPerSocket = new LinkedHashMap<>();
        Set<String> physicalCores = new HashSet<>();
        for (Map<String, String> block : blocks) {
            if (!block.containsKey("processor")) {
                continue; // header or trailer block (ARM's "Hardware", "Serial")
            }
            threads++;
            String socket = block.getOrDefault("physical id", "");
            if (!socket.isEmpty()) {
                sockets.add(socket);
            }
            Integer cpuCores = parseInt(block.get("cpu cores"));
            if (cpuCores != null && cpuCores > 0) {
                coresPerSocket.putIfAbsent(socket, cpuCores);
            }
            String coreId = block.get("core id");
            if (coreId != null && !coreId.isEmpty()) {
                physicalCores.add(socket + '/' + coreId);
            }
        }
        int cores;
        if (!coresPerSocket.isEmpty()) {
            cores = coresPerSocket.values().stream().mapToInt(Integer::intValue).sum();
        } else if (!physicalCores.isEmpty()) {
            cores = physicalCores.size();
        } else {
            cores = threads;
        }
        // with CPUs taken offline "cpu cores" still counts them; never report more cores than threads
        cores = Math.min(cores, threads);
        return new Cpu(cpuModel(blocks), architecture, Math.max(1, sockets.size()), cores, threads);
    }

    private static String cpuModel(List<Map<String, String>> blocks) {
        for (String key : CPU_MODEL_KEYS) {
            for (Map<String, String> block : blocks) {
                String value = block.get(key);
                if (value != null && !value.isEmpty()) {
                    return value;
                }
            }
        }
        return null;
    }

    /** Splits cpuinfo into blank-line separated blocks of "key : value" lines. */
    private static List<Map<String, String>> blocks(String cpuinfo) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    blocks.add(current);
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                current.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return blocks;
    }

    /**
     * Parses {@code /proc/meminfo}: {@code MemTotal} and {@code MemAvailable}, given in kB (KiB).
     *
     * @param meminfo the file's content, or {@code null} when it could not be read (both sizes 0)
     */
    static Memory parseMemory(String meminfo) {
        if (meminfo == null) {
            return new Memory(0, 0);
        }
        long total = 0;
        long available = 0;
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            if (key.equals("MemTotal")) {
                total = bytes(line.substring(colon + 1));
            } else if (key.equals("MemAvailable")) {
                available = bytes(line.substring(colon + 1));
            }
        }
        return new Memory(total, available);
    }

    /** "  16318412 kB" to bytes; 0 when not a number. */
    private static long bytes(String value) {
        String[] parts = value.trim().split("\\s+");
        try {
            long amount = Long.parseLong(parts[0]);
            return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? amount * 1024 : amount;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whole disks from {@code /sys/block}, which lists no partitions; loop and RAM disks and empty drives left out. */
    private List<Disk> disks() {
        Path blockDir = root.resolve("sys/block");
        List<Disk> disks = new ArrayList<>();
        for (String name : SysFiles.list(blockDir)) {
            if (VIRTUAL_DISK_PREFIXES.stream().anyMatch(name::startsWith)) {
                continue;
            }
            Path dir = blockDir.resolve(name);
            Long sectors = SysFiles.readLong(dir.resolve("size"));
            if (sectors == null || sectors <= 0) {
                continue; // an optical drive without a disc, an unused nbd/md slot
            }
            disks.add(new Disk(name, sectors * SECTOR_BYTES,
                    "1".equals(SysFiles.readTrimmed(dir.resolve("queue/rotational"))),
                    "1".equals(SysFiles.readTrimmed(dir.resolve("removable"))),
                    SysFiles.readTrimmed(dir.resolve("device/model")),
                    SysFiles.readTrimmed(dir.resolve("device/serial"))));
        }
        return disks;
    }

    /** Physical NICs from {@code /sys/class/net}: virtual devices (bridges, veth, tun, lo) have no {@code device} link. */
    private List<Nic> nics() {
        Path netDir = root.resolve("sys/class/net");
        List<Nic> nics = new ArrayList<>();
        for (String name : SysFiles.list(netDir)) {
            Path dir = netDir.resolve(name);
            if (name.equals("lo") || !Files.exists(dir.resolve("device"))) {
                continue;
            }
            Long mtu = SysFiles.readLong(dir.resolve("mtu"));
            Long speed = SysFiles.readLong(dir.resolve("speed"));
            nics.add(new Nic(name,
                    SysFiles.readTrimmed(dir.resolve("address")),
                    mtu == null ? 0 : mtu.intValue(),
                    speed == null || speed <= 0 ? null : speed, // -1 while the link is down
                    SysFiles.readTrimmed(dir.resolve("operstate"))));
        }
        return nics;
    }

    /**
     * USB devices from {@code /sys/bus/usb/devices}. Only entries with an {@code idVendor} are devices;
     * the others ({@code 1-1:1.0}) are their interfaces. Root hubs ({@code usb1}) are left out: every
     * host controller has one or two, and they describe the kernel, not anything plugged in.
     */
    private List<Usb> usb() {
        Path devicesDir = root.resolve("sys/bus/usb/devices");
        List<Usb> devices = new ArrayList<>();
        for (String name : SysFiles.list(devicesDir)) {
            Path dir = devicesDir.resolve(name);
            String vendorId = hexId(SysFiles.readTrimmed(dir.resolve("idVendor")));
            if (vendorId == null || name.startsWith("usb")) {
                continue;
            }
            devices.add(new Usb(name, vendorId,
                    hexId(SysFiles.readTrimmed(dir.resolve("idProduct"))),
                    SysFiles.readTrimmed(dir.resolve("manufacturer")),
                    SysFiles.readTrimmed(dir.resolve("product")),
                    SysFiles.readTrimmed(dir.resolve("serial")),
                    parseDouble(SysFiles.readTrimmed(dir.resolve("speed")))));
        }
        return devices;
    }

    /**
     * Display controllers from {@code /sys/bus/pci/devices}: those whose class code has base class
     * 0x03. GPUs off PCI, like a system-on-chip's (Jetson, Raspberry Pi), are not found this way.
     */
    private List<Gpu> gpus() {
        Path devicesDir = root.resolve("sys/bus/pci/devices");
        record Found(String address, String vendorId, String deviceId, String driver) {
        }
        List<Found> found = new ArrayList<>();
        for (String address : SysFiles.list(devicesDir)) {
            Path dir = devicesDir.resolve(address);
            Integer classCode = parseHex(SysFiles.readTrimmed(dir.resolve("class")));
            if (classCode == null || classCode >>> 16 != PCI_CLASS_DISPLAY) {
                continue;
            }
            found.add(new Found(address, hexId(SysFiles.readTrimmed(dir.resolve("vendor"))),
                    hexId(SysFiles.readTrimmed(dir.resolve("device"))), driver(dir)));
        }
        if (found.isEmpty()) {
            return List.of();
        }
        PciIds names = PciIds.read(pciIdsFile(),
                found.stream().map(Found::vendorId).filter(Objects::nonNull).collect(Collectors.toSet()));
        List<Gpu> gpus = new ArrayList<>(found.size());
        for (Found f : found) {
            gpus.add(new Gpu(f.address(), f.vendorId(), f.deviceId(), names.vendor(f.vendorId()),
                    names.device(f.vendorId(), f.deviceId()), f.driver()));
        }
        return gpus;
    }

    /** Where distributions install the PCI id database: hwdata (Fedora, newer Debian), then pciutils. */
    private Path pciIdsFile() {
        for (String candidate : List.of("usr/share/hwdata/pci.ids", "usr/share/misc/pci.ids")) {
            Path file = root.resolve(candidate);
            if (Files.isReadable(file)) {
                return file;
            }
        }
        return null;
    }

    /**
     * The bound driver: the name the {@code driver} link points to, else the {@code DRIVER} the
     * device's {@code uevent} names; {@code null} when no driver is bound.
     */
    private static String driver(Path deviceDir) {
        try {
            Path target = Files.readSymbolicLink(deviceDir.resolve("driver")).getFileName();
            if (target != null) {
                return target.toString();
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no link: no driver bound, or a tree that cannot hold links; uevent says the same
        }
        String uevent = SysFiles.read(deviceDir.resolve("uevent"));
        if (uevent != null) {
            for (String line : uevent.split("\n")) {
                if (line.startsWith("DRIVER=") && line.length() > "DRIVER=".length()) {
                    return line.substring("DRIVER=".length()).trim();
                }
            }
        }
        return null;
    }

    /** "0x10DE" or "10de" to "10de"; {@code null} when not hex. */
    static String hexId(String value) {
        if (value == null) {
            return null;
        }
        String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
        return !digits.isEmpty() && digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                ? digits.toLowerCase(Locale.ROOT) : null;
    }

    private static Integer parseHex(String value) {
        String digits = hexId(value);
        if (digits == null || digits.length() > 8) {
            return null;
        }
        return (int) Long.parseLong(digits, 16);
    }

    private static Double parseDouble(String value) {
        if (value == null) {
            return null;
        }
        try {
            double parsed = Double.parseDouble(value);
            return Double.isFinite(parsed) && parsed > 0 ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer parseInt(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
