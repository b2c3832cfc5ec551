package org.edgeorch.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The dashboard's files, read once from the bundle and kept in memory with their ETag and, for text, a gzip copy.
 * Paths are relative to {@code ui/}; anything that is not a plain relative path of safe characters is not found,
 * so no request can climb out of the folder. A path without a file extension is a page of the single-page
 * application and answers {@code index.html}, so every page has its own URL.
 */
final class StaticAssets {

    /** An asset ready to send. {@code gzip} is null when compressing would not help. */
    record Asset(String path, String contentType, byte[] bytes, byte[] gzip, String etag, boolean immutable) {
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("geojson", "application/geo+json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private final Function<String, InputStream> loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /** @param loader opens {@code ui/<path>}, or answers null when there is no such file */
    StaticAssets(Function<String, InputStream> loader) {
        this.loader = loader;
    }

    /** The asset for a request path below {@code /ui/} (without the leading slash); empty when not found. */
    Optional<Asset> find(String path) {
        if (path == null || path.isEmpty()) {
            path = "index.html";
        }
        if (path.length() > 2000) {
            return Optional.empty();
        }
        // Only these folders hold files; every other path is a page (a host name may well contain a dot).
        boolean isFile = path.startsWith("js/") || path.startsWith("css/") || path.startsWith("lib/")
                || path.startsWith("img/") || path.startsWith("geo/") || path.equals("index.html");
        String file = isFile ? path : "index.html";
        if (!SAFE.matcher(file).matches()) {
            return Optional.empty();
        }
        Optional<Asset> known = cache.get(file);
        if (known != null) {
            return known;
        }
        // Only files that exist are kept, so requests for made-up names cannot grow the cache.
        Optional<Asset> loaded = load(file);
        loaded.ifPresent(a -> cache.putIfAbsent(file, Optional.of(a)));
        return loaded;
    }

    private Optional<Asset> load(String file) {
        String ext = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.apply(file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            byte[] gzip = type.startsWith("image/png") ? null : gzip(bytes);
            if (gzip != null && gzip.length >= bytes.length) {
                gzip = null;
            }
            // Libraries live under lib/<name>-<version>/: a new version is a new URL, so browsers may keep them.
            return Optional.of(new Asset(file, type, bytes, gzip, etag(bytes), file.startsWith("lib/")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ui/" + file + " from the dashboard bundle", e);
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
