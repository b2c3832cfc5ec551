package org.edgeorch.runtime.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fetches an app artifact (an OCI manifest whose layers are bundles) from a registry by digest, checking every byte:
 * the manifest against the digest the signed app manifest pins, each layer against the digest that manifest names.
 * Layers are kept by digest under {@code store}, so a version is fetched once and a retry or a restart costs nothing.
 */
final class Artifacts {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final long MAX_MANIFEST = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path store;
    private final Duration timeout;
    /** Made on the first fetch: a JDK client starts a selector thread, and a node with no OSGI app needs none. */
    private HttpClient http;

    Artifacts(Path store, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return http;
    }

    /** The layers of the artifact {@code repository@digest} as local files, in the manifest's order. */
    List<Path> fetch(String registry, String repository, String digest) throws IOException {
        String base = registry.strip().replaceAll("/+$", "");
        byte[] manifest = get(URI.create(base + "/v2/" + repository + "/manifests/" + digest), MAX_MANIFEST);
        if (!digest.equals(sha256(manifest))) {
            throw new IOException("the manifest of " + repository + "@" + digest + " does not match its digest");
        }
        JsonNode layers = JSON.readTree(manifest).path("layers");
        List<Path> out = new ArrayList<>();
        for (JsonNode layer : layers) {
            String d = layer.path("digest").asText("");
            if (!DIGEST.matcher(d).matches()) {
                throw new IOException("a layer of " + repository + "@" + digest + " has no sha256 digest");
            }
            out.add(blob(base, repository, d));
        }
        if (out.isEmpty()) {
            throw new IOException(repository + "@" + digest + " has no layer");
        }
        return out;
    }

    private Path blob(String base, String repository, String digest) throws IOException {
        Path file = store.resolve(digest.substring("sha256:".length()) + ".jar");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(store);
        Path part = Files.createTempFile(store, "blob-", ".part");
        try {
            HttpResponse<InputStream> r = send(URI.create(base + "/v2/" + repository + "/blobs/" + digest));
            MessageDigest sha = sha();
            try (InputStream in = new DigestInputStream(r.body(), sha)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            String got = "sha256:" + HexFormat.of().formatHex(sha.digest());
            if (!got.equals(digest)) {
                throw new IOException("layer " + digest + " of " + repository + " arrived as " + got + "; refused");
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private byte[] get(URI uri, long max) throws IOException {
        try (InputStream in = send(uri).body()) {
            byte[] bytes = in.readNBytes((int) max + 1);
            if (bytes.length > max) {
                throw new IOException(uri.getPath() + " is larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    private HttpResponse<InputStream> send(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", OCI_MANIFEST).GET().build();
        HttpResponse<InputStream> r;
        try {
            r = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("GET " + uri.getPath() + " answered HTTP " + r.statusCode());
        }
        return r;
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha().digest(bytes));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
