package org.edgeorch.release.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.edgeorch.release.ImageDelivery.CachedImage;
import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.testing.RegistryHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image cache against a real docker-registry: one fetch per image, one hash pass that refuses bad bytes, resume. */
class ImageCacheTest {

    private static final String REPO = "os/cache-test";
    private static RegistryHarness registry;
    private static OciClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryHarness.start();
        client = registry.client();
    }

    @AfterAll
    static void stopRegistry() {
        client.close();
        registry.close();
    }

    @Test
    void hundredConcurrentMissesFetchTheImageOnceFromTheRegistry() throws Exception {
        byte[] image = random(24 << 20, 1);
        Descriptor blob = push(image);
        ImageCache cache = new ImageCache(dir, 1L << 30, Clock.systemUTC());
        int requests = 100;
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CachedImage>> results = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.fetch(client, REPO, blob.digest(), blob.size());
                }));
            }
            start.countDown();
            for (Future<CachedImage> f : results) {
                CachedImage got = f.get(2, TimeUnit.MINUTES);
                assertEquals(blob.digest(), got.digest());
                assertEquals(image.length, got.size());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, registry.requestCount("GET", "/v2/" + REPO + "/blobs/" + blob.digest()),
                "100 cache misses for one image make exactly one registry fetch; the registry's log says:\n" + registry.logText());
        assertArrayEquals(image, Files.readAllBytes(results.get(0).get().file()));
        assertEquals(List.of(), partials(), "no partial download is left behind");
    }

    @Test
    void bytesWhoseDigestIsWrongAreRefusedAfterTheSinglePass() throws Exception {
        byte[] image = random(6 << 20, 2);
        Descriptor blob = push(image);
        // The registry serves whatever its storage holds: one byte changed behind its back, size unchanged.
        Path stored = registry.blobFile(blob.digest());
        byte[] tampered = image.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(stored, tampered);
        ImageCache cache = new ImageCache(dir, 1L << 30, Clock.systemUTC());

        ImageCache.TamperedImageException e = assertThrows(ImageCache.TamperedImageException.class,
                () -> cache.fetch(client, REPO, blob.digest(), blob.size()));
        assertTrue(e.getMessage().contains(blob.digest()), e.getMessage());
        assertEquals(null, cache.cached(blob.digest(), blob.size()), "nothing is cached");
        assertEquals(List.of(), partials(), "the refused bytes are deleted");
        assertEquals(List.of(), cachedFiles());

        // Once the registry serves the right bytes again, the same cache takes them.
        Files.write(stored, image);
        CachedImage good = cache.fetch(client, REPO, blob.digest(), blob.size());
        assertArrayEquals(image, Files.readAllBytes(good.file()));
    }

    @Test
    void aLongerBlobThanTheManifestStatesIsRefused() throws Exception {
        byte[] image = random(3 << 20, 3);
        Descriptor blob = push(image);
        ImageCache cache = new ImageCache(dir, 1L << 30, Clock.systemUTC());
        assertThrows(ImageCache.TamperedImageException.class, () -> cache.fetch(client, REPO, blob.digest(), blob.size() - 1));
        assertEquals(List.of(), partials());
        assertEquals(List.of(), cachedFiles());
    }

    @Test
    void anInterruptedDownloadResumesWithRangeAndHashesTheWhole() throws Exception {
        byte[] image = random(5 << 20, 4);
        Descriptor blob = push(image);
        ImageCache cache = new ImageCache(dir, 1L << 30, Clock.systemUTC());
        Path part = dir.resolve("partial").resolve(blob.digest().substring("sha256:".length()) + ".part");
        int have = 2 << 20;
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(image, 0, have));
        }
        long before = registry.requestCount("GET", "/v2/" + REPO + "/blobs/" + blob.digest());
        CachedImage got = cache.fetch(client, REPO, blob.digest(), blob.size());
        assertArrayEquals(image, Files.readAllBytes(got.file()));
        assertEquals(before + 1, registry.requestCount("GET", "/v2/" + REPO + "/blobs/" + blob.digest()));
        assertFalse(Files.exists(part));
    }

    @Test
    void aWrongPrefixLeftByACrashIsRefusedNotServed() throws Exception {
        byte[] image = random(2 << 20, 5);
        Descriptor blob = push(image);
        ImageCache cache = new ImageCache(dir, 1L << 30, Clock.systemUTC());
        Path part = dir.resolve("partial").resolve(blob.digest().substring("sha256:".length()) + ".part");
        byte[] garbage = random(1 << 20, 6);
        Files.write(part, garbage);
        assertThrows(ImageCache.TamperedImageException.class, () -> cache.fetch(client, REPO, blob.digest(), blob.size()));
        assertFalse(Files.exists(part));
        CachedImage got = cache.fetch(client, REPO, blob.digest(), blob.size());
        assertArrayEquals(image, Files.readAllBytes(got.file()));
    }

    private Descriptor push(byte[] image) throws IOException {
        Path file = dir.resolve("upload-" + System.nanoTime());
        Files.write(file, image);
        Descriptor d = client.pushBlob(REPO, file, "application/octet-stream", n -> { });
        Files.delete(file);
        return d;
    }

    private List<Path> partials() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("partial"))) {
            return s.toList();
        }
    }

    private List<Path> cachedFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("sha256"))) {
            return s.toList();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
