package org.edgeorch.spi.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathSlotDeviceTest {

    @TempDir
    Path dir;

    @Test
    void imageFilesHoldTheConfiguredCapacityOrTheRoomOnTheirFileSystem() throws Exception {
        PathSlotDevice limited = new PathSlotDevice(dir.resolve("a.img"), dir.resolve("b.img"), 4096);
        assertEquals(4096, limited.capacity(Slot.B));
        PathSlotDevice free = new PathSlotDevice(dir.resolve("a.img"), dir.resolve("b.img"), 0);
        assertEquals(Files.getFileStore(dir).getUsableSpace(), free.capacity(Slot.B), 64L << 20);
    }

    @Test
    void aWriteIsKeptSoThatItCanResume() throws Exception {
        PathSlotDevice slots = new PathSlotDevice(dir.resolve("a.img"), dir.resolve("b.img"), 0);
        try (FileChannel ch = slots.openForWrite(Slot.B)) {
            ch.write(ByteBuffer.wrap("first half ".getBytes()));
        }
        try (FileChannel ch = slots.openForWrite(Slot.B)) {
            ch.position(ch.size()).write(ByteBuffer.wrap("second half".getBytes()));
        }
        assertEquals("first half second half", Files.readString(dir.resolve("b.img")));
    }

    @Test
    void aDeviceHasTheSizeTheKernelGives() throws Exception {
        Path sys = Files.createDirectories(dir.resolve("sys/null"));
        Files.writeString(sys.resolve("size"), "2048\n");
        PathSlotDevice slots = new PathSlotDevice(Path.of("/dev/null"), dir.resolve("b.img"), 0, dir.resolve("sys"));
        assertTrue(PathSlotDevice.isBlockDevice(Path.of("/dev/null")));
        assertEquals(2048L * 512, slots.capacity(Slot.A));
    }

    @Test
    void theSameFileCannotBeBothSlots() {
        assertThrows(IllegalArgumentException.class, () -> new PathSlotDevice(dir.resolve("x"), dir.resolve("./x"), 0));
    }
}
