package org.edgeorch.spi.ab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;

import org.edgeorch.spi.PluginException;

/**
 * Slots that are paths: block devices on a host ({@code /dev/disk/by-partlabel/rootfs-a}), or image files in
 * tests, simulators and loop-mounted setups. A block device's capacity is its size as the kernel gives it in
 * {@code /sys/class/block/NAME/size}; an image file's is the configured limit, or what its file system has room
 * for.
 */
public final class PathSlotDevice implements SlotDevice {

    private final Map<Slot, Path> paths = new EnumMap<>(Slot.class);
    private final long fileCapacity;
    private final Path sysBlock;

    /**
     * @param fileCapacity the most an image file may hold, in bytes; 0 for what its file system has room for
     */
    public PathSlotDevice(Path a, Path b, long fileCapacity) {
        this(a, b, fileCapacity, Path.of("/sys/class/block"));
    }

    PathSlotDevice(Path a, Path b, long fileCapacity, Path sysBlock) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("slots A and B are both " + a);
        }
        paths.put(Slot.A, a);
        paths.put(Slot.B, b);
        this.fileCapacity = fileCapacity;
        this.sysBlock = sysBlock;
    }

    @Override
    public Path path(Slot slot) {
        return paths.get(slot);
    }

    @Override
    public long capacity(Slot slot) throws PluginException {
        Path path = path(slot);
        try {
            if (isBlockDevice(path)) {
                Path real = path.toRealPath();
                Path size = sysBlock.resolve(real.getFileName().toString()).resolve("size");
                return Long.parseLong(Files.readString(size).strip()) * 512;
            }
            if (fileCapacity > 0) {
                return fileCapacity;
            }
            Path parent = path.toAbsolutePath().getParent();
            long existing = Files.exists(path) ? Files.size(path) : 0;
            return existing + Files.getFileStore(parent).getUsableSpace();
        } catch (IOException | NumberFormatException e) {
            throw new PluginException("cannot tell the capacity of slot " + slot + " (" + path + "): " + e.getMessage(), e);
        }
    }

    @Override
    public FileChannel openForWrite(Slot slot) throws PluginException {
        Path path = path(slot);
        try {
            return isBlockDevice(path) ? FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new PluginException("cannot open slot " + slot + " (" + path + ") for writing: " + e.getMessage(), e);
        }
    }

    /** Whether the path is a block device rather than an image file (or nothing yet). */
    public static boolean isBlockDevice(Path path) {
        return Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
    }
}
