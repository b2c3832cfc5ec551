package org.edgeorch.oci.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Files for the registry tests of the modules that push and pull. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Random content (incompressible, so nothing on the way can shrink it): {@code size} pseudo-random bytes (seeded by the size, so the same size gives the same bytes), 1 MiB at a time. */
    public static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
    }
}
