package org.edgeorch.oci.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.edgeorch.oci.OciClient;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (distribution 2.8) started on a free
 * local port with its storage in a temporary directory, stopped and deleted on {@link #close()}.
 * Optionally it sends its notifications (webhook events) to endpoints the test runs.
 *
 * <pre>{@code
 * try (RegistryHarness registry = RegistryHarness.start()) {
 *     OciClient client = registry.client();
 *     ...
 * }
 * }</pre>
 *
 * <p>The binary is found on the {@code PATH} (or {@code /usr/bin}), or at the path in the system property
 * {@value #BINARY_PROPERTY}. When it is missing, {@link #start} fails with what to install: tests that need
 * a registry never skip silently. The registry's output (its warnings and access log) goes to
 * {@link #log()}, and is quoted when it fails to start.
 *
 * <p>Events as docker-registry 2.8 sends them: one POST per event, {@code Content-Type:
 * application/vnd.docker.distribution.events.v1+json}, body {@code {"events":[{…}]}} with {@code action}
 * {@code push} (or {@code pull}, on GETs) and a {@code target} with {@code mediaType}, {@code digest},
 * {@code size}, {@code repository}, {@code url} and, for a manifest put by tag, {@code tag}. Blob uploads
 * send events too ({@code mediaType application/octet-stream}, no tag), and so do reads: every GET or HEAD
 * of a manifest or blob is a {@code pull} event (filter with {@link Endpoint#ignoredActions()}); deleting a
 * manifest sends two {@code delete} events, one with the digest and one with the tag. See the test resource
 * {@code org/edgeorch/release/oci/registry-push-event.json} for a real one.
 */
public final class RegistryHarness implements AutoCloseable {

    public static final String BINARY_PROPERTY = "edgeorch.docker-registry";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final Path log;
    private final URI uri;
    private final Process process;

    private RegistryHarness(Path directory, Path log, URI uri, Process process) {
        this.directory = directory;
        this.log = log;
        this.uri = uri;
        this.process = process;
    }

    /**
     * Where the registry sends its events.
     *
     * @param name              the endpoint's name in the registry's configuration
     * @param url               where events are POSTed
     * @param headers           sent with every event, for example {@code Authorization: Bearer …}
     * @param ignoredActions    actions the registry sends no events for, for example {@code pull}: every
     *                          GET and HEAD of a manifest or blob is a pull event otherwise
     * @param ignoredMediaTypes target media types it sends no events for, for example
     *                          {@code application/octet-stream} to leave out blob uploads
     */
    public record Endpoint(String name, URI url, Map<String, String> headers, List<String> ignoredActions,
                           List<String> ignoredMediaTypes) {
        public Endpoint {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            ignoredActions = ignoredActions == null ? List.of() : List.copyOf(ignoredActions);
            ignoredMediaTypes = ignoredMediaTypes == null ? List.of() : List.copyOf(ignoredMediaTypes);
        }

        /** An endpoint that receives every event. */
        public Endpoint(String name, URI url, Map<String, String> headers) {
            this(name, url, headers, List.of(), List.of());
        }
    }

    /** Starts a registry without notifications. */
    public static RegistryHarness start() {
        return start(List.of());
    }

    /**
     * Starts a registry that notifies {@code endpoints} (timeout 2 s, threshold 3, backoff 1 s) and
     * returns once {@code GET /v2/} answers 200.
     *
     * @throws IllegalStateException when docker-registry is not installed or does not come up within 20 s
     */
    public static RegistryHarness start(List<Endpoint> endpoints) {
        String binary = binary();
        Path directory;
        try {
            directory = Files.createTempDirectory("registry-harness");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return attempt(binary, directory, endpoints, attempt);
            } catch (IllegalStateException e) {
                // Most likely the free port was taken between finding it and the registry binding it.
                failure = failure == null ? e : failure;
            }
        }
        deleteRecursively(directory);
        throw failure;
    }

    private static RegistryHarness attempt(String binary, Path directory, List<Endpoint> endpoints, int attempt) {
        int port = freePort();
        Path config = directory.resolve("config.yml");
        Path log = directory.resolve("registry-" + attempt + ".log");
        Path storage = directory.resolve("storage");
        try {
            Files.writeString(config, config(storage, port, endpoints), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process;
        try {
            process = new ProcessBuilder(binary, "serve", config.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        RegistryHarness harness = new RegistryHarness(directory, log, uri, process);
        try {
            harness.awaitReady();
            return harness;
        } catch (RuntimeException e) {
            harness.stop();
            throw e;
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(uri.resolve("v2/")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + " before answering on " + uri
                        + "; its output (" + log + "):\n" + logText());
            }
            try {
                HttpResponse<Void> response = http.send(ping, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for docker-registry", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for docker-registry", e);
            }
        }
        throw new IllegalStateException("docker-registry did not answer GET /v2/ with 200 on " + uri + " within " + STARTUP_TIMEOUT.toSeconds()
                + " s (last: " + last + "); its output (" + log + "):\n" + logText());
    }

    /** The registry's base URL, {@code http://127.0.0.1:<port>/}. */
    public URI uri() {
        return uri;
    }

    /** A client for this registry, without credentials. */
    public OciClient client() {
        return new OciClient(uri);
    }

    /**
     * Where the registry keeps a blob's bytes (filesystem driver layout), so tests can tamper with what it
     * serves behind its back.
     */
    public Path blobFile(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return directory.resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    /** The file the registry's output goes to. */
    public Path log() {
        return log;
    }

    /** The registry's output so far. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /**
     * How many requests the registry has logged whose request line starts with {@code method path}, for
     * example {@code ("POST", "/v2/os/a/blobs/uploads/")}. It logs a request after answering it, so this
     * first sends a marker request and waits (up to 5 s) until the marker is in the log.
     */
    public long requestCount(String method, String pathPrefix) {
        String marker = UUID.randomUUID().toString();
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("v2/?marker=" + marker)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String text = logText();
        while (!text.contains(marker) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            text = logText();
        }
        String needle = "\"" + method + " " + pathPrefix;
        return text.lines().filter(line -> line.contains(needle)).count();
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 5 s) and deletes its storage and configuration. */
    @Override
    public void close() {
        stop();
        deleteRecursively(directory);
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String config(Path storage, int port, List<Endpoint> endpoints) {
        StringBuilder yaml = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: warn\n")
                .append("storage:\n")
                .append("  filesystem:\n    rootdirectory: ").append(quote(storage.toString())).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: ").append(quote(UUID.randomUUID().toString())).append('\n');
        if (!endpoints.isEmpty()) {
            yaml.append("notifications:\n  endpoints:\n");
            for (Endpoint endpoint : endpoints) {
                yaml.append("    - name: ").append(quote(endpoint.name())).append('\n')
                        .append("      url: ").append(quote(endpoint.url().toString())).append('\n')
                        .append("      timeout: 2s\n      threshold: 3\n      backoff: 1s\n");
                if (!endpoint.headers().isEmpty()) {
                    yaml.append("      headers:\n");
                    // The registry reads headers as lists of values.
                    new LinkedHashMap<>(endpoint.headers()).forEach((name, value) ->
                            yaml.append("        ").append(quote(name)).append(": [").append(quote(value)).append("]\n"));
                }
                if (!endpoint.ignoredActions().isEmpty() || !endpoint.ignoredMediaTypes().isEmpty()) {
                    yaml.append("      ignore:\n");
                    list(yaml, "actions", endpoint.ignoredActions());
                    list(yaml, "mediatypes", endpoint.ignoredMediaTypes());
                }
            }
        }
        return yaml.toString();
    }

    private static void list(StringBuilder yaml, String key, List<String> values) {
        if (!values.isEmpty()) {
            yaml.append("        ").append(key).append(":\n");
            values.forEach(value -> yaml.append("          - ").append(quote(value)).append('\n'));
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String binary() {
        String configured = System.getProperty(BINARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                throw new IllegalStateException("-D" + BINARY_PROPERTY + "=" + configured + " is not an executable file");
            }
            return configured;
        }
        List<Path> candidates = new ArrayList<>();
        for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "docker-registry"));
            }
        }
        candidates.add(Path.of("/usr/bin/docker-registry"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("docker-registry is not installed (not on the PATH nor in /usr/bin): "
                        + "the release tests need a real OCI registry. Install it with .ci/deps.sh (Debian package docker-registry) "
                        + "or point -D" + BINARY_PROPERTY + " at the binary."));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing a test for.
        }
    }
}
