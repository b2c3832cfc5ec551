import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How many bytes a node that holds image OLD must fetch to build image NEW, by three ways of cutting images into
 * chunks identified by SHA-256 (bench/delta.sh, docs/delta-updates.md):
 * <ul>
 * <li>fixed 4 KiB blocks (RAUC's adaptive "block-hash-index": the file system's own block size);</li>
 * <li>fixed 64 KiB blocks;</li>
 * <li>content-defined chunks, casync's defaults: a 48-byte buzhash window, 16 KiB minimum, 64 KiB average, 256 KiB
 * maximum, so that an insertion shifts only the chunks around it.</li>
 * </ul>
 * For each it prints the chunks of NEW, the bytes of NEW's chunks that OLD does not have (what goes over the wire,
 * before compression), the same as a fraction of NEW, and the size of NEW's chunk index (32-byte hash and 4-byte
 * length per chunk), which the node fetches too.
 *
 * <pre>java bench/delta/DeltaCount.java OLD NEW</pre>
 */
public final class DeltaCount {

    private static final int WINDOW = 48;
    private static final int MIN = 16 << 10;
    private static final int AVG = 64 << 10;
    private static final int MAX = 256 << 10;
    private static final int[] TABLE = new int[256];

    static {
        SplittableRandom r = new SplittableRandom(0x5eed);
        for (int i = 0; i < 256; i++) {
            TABLE[i] = r.nextInt();
        }
    }

    interface Chunker {
        /** Calls sink for each chunk of the file, in order. */
        void chunks(byte[] data, int length, Sink sink) throws Exception;
    }

    interface Sink {
        void chunk(byte[] data, int from, int length) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path old = Path.of(args[0]);
        Path neu = Path.of(args[1]);
        System.out.printf(Locale.ROOT, "old %s: %,d bytes; new %s: %,d bytes%n", old, Files.size(old), neu, Files.size(neu));
        System.out.println("| chunking | chunks of new | bytes to fetch | of the new image | index |");
        System.out.println("|---|---|---|---|---|");
        report("fixed 4 KiB blocks (RAUC block-hash-index)", fixed(4 << 10), old, neu);
        report("fixed 64 KiB blocks", fixed(64 << 10), old, neu);
        report("content-defined, buzhash 16/64/256 KiB (casync)", DeltaCount::buzhash, old, neu);
    }

    private static void report(String name, Chunker chunker, Path old, Path neu) throws Exception {
        Map<String, Integer> have = new HashMap<>();
        index(old, chunker, (hash, len) -> have.put(hash, len));
        long[] count = new long[3];
        Map<String, Boolean> fetched = new HashMap<>();
        index(neu, chunker, (hash, len) -> {
            count[0]++;
            if (!have.containsKey(hash) && fetched.putIfAbsent(hash, true) == null) {
                count[1] += len;
            }
        });
        long size = Files.size(neu);
        long indexBytes = count[0] * 36;
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.2f %% | %,d bytes (%.3f %%) |%n", name, count[0], count[1],
                100.0 * count[1] / size, indexBytes, 100.0 * indexBytes / size);
    }

    interface Indexed {
        void add(String hash, int length);
    }

    private static void index(Path file, Chunker chunker, Indexed out) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        // Chunks are cut within windows of 64 MiB that end on a chunk boundary, so the whole image is not in memory.
        byte[] buffer = new byte[(64 << 20) + MAX];
        try (InputStream in = Files.newInputStream(file)) {
            int filled = 0;
            boolean eof = false;
            while (!eof || filled > 0) {
                while (!eof && filled < buffer.length) {
                    int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0) {
                        eof = true;
                    } else {
                        filled += n;
                    }
                }
                int[] last = {0};
                boolean finalWindow = eof;
                int limit = filled;
                chunker.chunks(buffer, limit, (data, from, length) -> {
                    // Keep the last chunk of a window that is not the end of the file: it may continue.
                    if (!finalWindow && from + length == limit) {
                        return;
                    }
                    sha.update(data, from, length);
                    out.add(HexFormat.of().formatHex(sha.digest()), length);
                    last[0] = from + length;
                });
                System.arraycopy(buffer, last[0], buffer, 0, filled - last[0]);
                filled -= last[0];
                if (eof && last[0] == 0 && filled > 0) {
                    throw new IllegalStateException("no progress");
                }
                if (eof) {
                    filled = 0;
                }
            }
        }
    }

    private static Chunker fixed(int size) {
        return (data, length, sink) -> {
            for (int from = 0; from < length; from += size) {
                sink.chunk(data, from, Math.min(size, length - from));
            }
        };
    }

    /** casync's chunker: a boundary where the rolling hash modulo the average is average - 1, within min and max. */
    private static void buzhash(byte[] data, int length, Sink sink) throws Exception {
        int start = 0;
        while (start < length) {
            int end = Math.min(length, start + MAX);
            int cut = end;
            if (end - start > MIN) {
                int h = 0;
                int i = start + MIN - WINDOW;
                for (int k = 0; k < WINDOW; k++) {
                    h = Integer.rotateLeft(h, 1) ^ TABLE[data[i + k] & 0xff];
                }
                for (int pos = start + MIN; pos < end; pos++) {
                    if (Integer.remainderUnsigned(h, AVG) == AVG - 1) {
                        cut = pos;
                        break;
                    }
                    h = Integer.rotateLeft(h, 1) ^ Integer.rotateLeft(TABLE[data[pos - WINDOW] & 0xff], WINDOW % 32)
                            ^ TABLE[data[pos] & 0xff];
                }
            }
            sink.chunk(data, start, cut - start);
            start = cut;
        }
    }
}
