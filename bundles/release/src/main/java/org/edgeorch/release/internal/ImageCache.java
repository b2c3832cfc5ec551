package org.edgeorch.release.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.edgeorch.release.ImageDelivery.CachedImage;
import org.edgeorch.oci.DigestMismatchException;
import org.edgeorch.oci.OciClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's copy of release images: {@code sha256/<hex>} files, each written from the registry
 * once (concurrent requests for the same image wait for the one download: a single flight), hashed once
 * while written (the registry client's digest check is the cache's), forced to disk and moved into place
 * only when the SHA-256 and size match. An interrupted download is resumed from its
 * {@code .part} file with an HTTP Range request. Least recently used images are evicted above the limit.
 */
final class ImageCache {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** The registry served bytes that do not hash to the digest asked for. */
    static final class TamperedImageException extends IOException {
        private static final long serialVersionUID = 1L;

        TamperedImageException(String message) {
            super(message);
        }
    }

    private final Path images;
    private final Path partial;
    private final long maxBytes;
    private final Clock clock;
    private final Map<String, CompletableFuture<CachedImage>> downloads = new ConcurrentHashMap<>();

    ImageCache(Path dir, long maxBytes, Clock clock) throws IOException {
        this.images = Files.createDirectories(dir.resolve("sha256"));
        this.partial = Files.createDirectories(dir.resolve("partial"));
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** The cached image, if it is complete in the cache. */
    CachedImage cached(String digest, long size) throws IOException {
        Path file = images.resolve(hex(digest));
        if (Files.isRegularFile(file) && Files.size(file) == size) {
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
            return new CachedImage(digest, file, size);
        }
        return null;
    }

    /** The image, downloaded from {@code repository} first unless it is cached. */
    CachedImage fetch(OciClient registry, String repository, String digest, long size) throws IOException {
        CachedImage hit = cached(digest, size);
        if (hit != null) {
            return hit;
        }
        CompletableFuture<CachedImage> mine = new CompletableFuture<>();
        CompletableFuture<CachedImage> running = downloads.putIfAbsent(digest, mine);
        if (running != null) {
            return await(running);
        }
        try {
            // Another request may have finished the download between the lookup above and this one winning.
            CachedImage done = cached(digest, size);
            CachedImage image = done != null ? done : download(registry, repository, digest, size);
            mine.complete(image);
            return image;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            downloads.remove(digest, mine);
        }
    }

    private static CachedImage await(CompletableFuture<CachedImage> download) throws IOException {
        try {
            return download.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the image download", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private CachedImage download(OciClient registry, String repository, String digest, long size) throws IOException {
        String hex = hex(digest);
        Path part = partial.resolve(hex + ".part");
        MessageDigest prefix = null;
        long offset = 0;
        if (Files.exists(part)) {
            offset = Files.size(part);
            if (offset >= size) {
                Files.delete(part);
                offset = 0;
            } else if (offset > 0) {
                prefix = sha256();
                try (InputStream in = Files.newInputStream(part)) {
                    digestAll(in, prefix);
                }
                LOG.info("Resuming {} from byte {} of {}", digest, offset, size);
            }
        }
        long written;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.truncate(offset).position(offset);
            // One SHA-256 pass: the registry client's digest check is the cache's own.
            written = offset + registry.download(repository, digest, offset, size - offset, channel, prefix);
            channel.force(true);
        } catch (DigestMismatchException e) {
            Files.deleteIfExists(part);
            throw new TamperedImageException("the registry served bytes for " + digest + " that do not hash to it: "
                    + e.getMessage());
        }
        if (written != size) {
            // Cannot happen with a matching digest unless the release manifest states a wrong size.
            Files.deleteIfExists(part);
            throw new TamperedImageException("the registry served " + written + " bytes for " + digest + ", not the " + size
                    + " the release manifest states");
        }
        Path file = images.resolve(hex);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        evict(file);
        return new CachedImage(digest, file, size);
    }

    /** Deletes least recently used images until the cache fits, never the one just written. */
    private void evict(Path keep) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = new ArrayList<>(s.toList());
        }
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        files.sort(Comparator.comparing(ImageCache::modified));
        for (Path f : files) {
            if (total <= maxBytes) {
                break;
            }
            if (!f.equals(keep)) {
                total -= Files.size(f);
                Files.deleteIfExists(f);
                LOG.info("Evicted {} from the image cache", f.getFileName());
            }
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static String hex(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("'" + digest + "' is not a sha256 digest");
        }
        return digest.substring("sha256:".length());
    }

    private static void digestAll(InputStream in, MessageDigest sha256) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha256.update(buffer, 0, n);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
