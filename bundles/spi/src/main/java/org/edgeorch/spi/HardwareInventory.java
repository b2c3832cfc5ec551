package org.edgeorch.spi;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a host's hardware, as one hardware plugin sees it. Values a plugin cannot read are
 * {@code null} (or empty lists), never invented.
 */
public record HardwareInventory(SystemInfo system, Cpu cpu, Memory memory, List<Disk> disks, List<Nic> nics,
                                List<Usb> usb, List<Gpu> gpus) {

    public HardwareInventory {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        usb = List.copyOf(usb);
        gpus = List.copyOf(gpus);
    }

    /**
     * An inventory without USB devices and GPUs, for plugins that cannot read them. Kept so plugins
     * built against version 1.0 of this package, which had no such lists, still link.
     */
    public HardwareInventory(SystemInfo system, Cpu cpu, Memory memory, List<Disk> disks, List<Nic> nics) {
        this(system, cpu, memory, disks, nics, List.of(), List.of());
    }

    /** Identity of the machine from DMI/SMBIOS. */
    public record SystemInfo(String vendor, String product, String serialNumber, String uuid,
                             String biosVersion, String hostname) {
    }

    /** Processor model and how many execution units the host has. */
    public record Cpu(String model, String architecture, int sockets, int cores, int threads) {
    }

    /** Physical memory in bytes. */
    public record Memory(long totalBytes, long availableBytes) {
    }

    /** A whole block device (not a partition). */
    public record Disk(String name, long sizeBytes, boolean rotational, boolean removable, String model,
                       String serialNumber) {
    }

    /** A network interface; loopback and virtual devices are not listed. */
    public record Nic(String name, String macAddress, int mtu, Long speedMbps, String operState) {
    }

    /**
     * A USB device plugged into the host, hubs included. Root hubs, which stand for the host
     * controllers rather than for anything plugged in, are not listed; nor are a device's interfaces.
     *
     * @param port         where the device is plugged in, as the kernel names it: bus number, then the
     *                     port on each hub from the root down, e.g. {@code "1-1.2"}
     * @param vendorId     USB vendor id, four lower-case hex digits, e.g. {@code "046d"}
     * @param productId    USB product id, four lower-case hex digits, e.g. {@code "c31c"}
     * @param manufacturer the manufacturer string the device reports, if any
     * @param product      the product string the device reports, if any
     * @param serialNumber the serial number string the device reports, if any
     * @param speedMbps    the negotiated signalling rate in Mb/s: 1.5, 12, 480, 5000, 10000 or 20000
     */
    public record Usb(String port, String vendorId, String productId, String manufacturer, String product,
                      String serialNumber, Double speedMbps) {
    }

    /**
     * A display controller: a graphics card, a compute accelerator of the PCI display class, a BMC's
     * video chip, or a system-on-chip's integrated GPU.
     *
     * @param pciAddress PCI domain, bus, device and function, e.g. {@code "0000:01:00.0"}; {@code null}
     *                   for a GPU that is not on PCI, like a system-on-chip's
     * @param vendorId   PCI vendor id, four lower-case hex digits, e.g. {@code "10de"}
     * @param deviceId   PCI device id, four lower-case hex digits, e.g. {@code "1eb8"}
     * @param vendor     the vendor's name, when known (from the PCI id database on Linux)
     * @param model      the model's name, when known (from the PCI id database on Linux)
     * @param driver     the kernel driver bound to the device, e.g. {@code "nvidia"}; {@code null}
     *                   when none is
     */
    public record Gpu(String pciAddress, String vendorId, String deviceId, String vendor, String model,
                      String driver) {
    }
}
