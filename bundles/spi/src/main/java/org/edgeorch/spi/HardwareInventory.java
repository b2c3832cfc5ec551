package org.edgeorch.spi;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a host's hardware, as one hardware plugin sees it. Values a plugin cannot read are
 * {@code null} (or empty lists), never invented.
 */
public record HardwareInventory(SystemInfo system, Cpu cpu, Memory memory, List<Disk> disks, List<Nic> nics) {

    public HardwareInventory {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
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
}
