package org.edgeorch.bench.release;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.edgeorch.agent.Agent;
import org.edgeorch.agent.internal.ImageDownloads;
import org.edgeorch.agent.internal.Pem;
import org.edgeorch.agent.internal.TlsContexts;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.oci.OciClient;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.edgeorch.spi.release.ReleaseManifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The release pipeline's benchmark, against a running orchestrator and the registry it watches (both started by
 * {@code bench/release.sh}). A setup step trusts a fresh signing key, makes a project and an AUTOMATIC OS profile
 * {@code *} of the release profile {@code bench-os}; then, as {@code --phases} says:
 * <ul>
 * <li>{@code webhook} or {@code poll}: publishes {@code --releases} releases of {@code --image-mib} MiB one after the
 * other and times each from the return of the publisher's final manifest PUT until the OS resource is listed over
 * REST (polled every {@code --poll-ms}). With {@code poll}, each publication waits a random part of
 * {@code --interval} first, so that publications do not fall into step with the orchestrator's poll timer;</li>
 * <li>{@code cache}: publishes one image of {@code --cache-mib} MiB and times it to the OS resource (the orchestrator
 * fetches it from the registry into its cache and hashes it first) against {@code curl} fetching the same blob
 * from the registry; then an enrolled agent's identity downloads it from the southbound endpoint over mutual TLS,
 * alone and {@code --concurrency} at once, and once in two halves with HTTP Range, checking the SHA-256 each
 * time.</li>
 * </ul>
 * Results go to stdout and are appended, as table rows, to {@code --out}.
 *
 * <pre>
 * java -cp ... org.edgeorch.bench.release.ReleaseBench --registry http://127.0.0.1:5000/ --phases webhook,cache \
 *     [--rest http://127.0.0.1:8181] [--southbound https://localhost:8443] [--password ...] [--releases 30] \
 *     [--image-mib 1] [--cache-mib 512] [--concurrency 4] [--interval 5] [--poll-ms 10] --work DIR --out results.md
 * </pre>
 */
public final class ReleaseBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RELEASE_PROFILE = "bench-os";
    private static final String OS_PROFILE = "bench";
    private static final double MB = 1e6;

    private final URI rest;
    private final URI southbound;
    private final OciClient registry;
    private final URI registryUri;
    private final Path work;
    private final Path out;
    private final int pollMillis;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String bearer;
    private String project;
    /** Distinguishes this run's versions (1.RUN.i, 2.RUN.i, 3.RUN.0), so that runs can share a registry. */
    private String run;
    private ReleasePublisher.Signer signer;

    private ReleaseBench(URI rest, URI southbound, URI registry, Path work, Path out, int pollMillis) {
        this.rest = rest;
        this.southbound = southbound;
        this.registryUri = registry;
        this.registry = new OciClient(registry);
        this.work = work;
        this.out = out;
        this.pollMillis = pollMillis;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        if (!a.containsKey("registry") || !a.containsKey("work")) {
            System.err.println("usage: ReleaseBench --registry URL --work DIR [--phases webhook,cache|poll] [--out FILE] ...");
            System.exit(2);
        }
        ReleaseBench bench = new ReleaseBench(URI.create(a.getOrDefault("rest", "http://127.0.0.1:8181")),
                URI.create(a.getOrDefault("southbound", "https://localhost:8443")), URI.create(a.get("registry")),
                Files.createDirectories(Path.of(a.get("work"))), Path.of(a.getOrDefault("out", "/dev/stdout")),
                Integer.parseInt(a.getOrDefault("poll-ms", "10")));
        bench.setup(a.getOrDefault("password", "bench-admin-password"));
        for (String phase : a.getOrDefault("phases", "webhook,cache").split(",")) {
            switch (phase.strip()) {
                case "webhook" -> bench.detection("webhook", "1", Integer.parseInt(a.getOrDefault("releases", "30")),
                        Integer.parseInt(a.getOrDefault("image-mib", "1")), 0);
                case "poll" -> bench.detection("poll", "2", Integer.parseInt(a.getOrDefault("releases", "30")),
                        Integer.parseInt(a.getOrDefault("image-mib", "1")), Integer.parseInt(a.getOrDefault("interval", "5")));
                case "cache" -> bench.cache(Integer.parseInt(a.getOrDefault("cache-mib", "512")),
                        Integer.parseInt(a.getOrDefault("concurrency", "4")));
                default -> throw new IllegalArgumentException("unknown phase " + phase + ": webhook, poll or cache");
            }
        }
        System.exit(0);
    }

    // ---- setup ------------------------------------------------------------------------------------

    /** Signs in, trusts a fresh signing key, makes a project with an AUTOMATIC profile following every version. */
    private void setup(String password) throws Exception {
        bearer = call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + password + "\"}").get("token").asText();
        HostCertificateAuthority key = HostCertificateAuthority.createRoot("bench release signer", Duration.ofDays(2));
        PrivateKey privateKey = Pems.privateKey(key.privateKeyPem());
        List<X509Certificate> chain = List.of(key.certificate());
        signer = json -> ReleaseSignatures.sign(json, privateKey, chain);
        String suffix = Long.toString(System.currentTimeMillis() % 100000);
        run = suffix;
        call("POST", "/api/v1/release-signers", JSON.writeValueAsString(Map.of("name", "bench-" + suffix,
                "certificate", HostCertificateAuthority.pem(key.certificate()))));
        project = "rel" + suffix;
        call("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"" + project + "\"}");
        call("POST", "/api/v1/projects/" + project + "/os-profiles", JSON.writeValueAsString(Map.of("name", OS_PROFILE,
                "releaseProfile", RELEASE_PROFILE, "versionRange", "*", "mode", "AUTOMATIC")));
        System.out.printf("project %s, OS profile %s following %s *, registry %s%n", project, OS_PROFILE, RELEASE_PROFILE, registryUri);
    }

    // ---- detection latency ------------------------------------------------------------------------

    private void detection(String mode, String major, int releases, int imageMib, int intervalSeconds) throws Exception {
        System.out.printf("== detection (%s): %d releases of %d MiB, one after the other%n", mode, releases, imageMib);
        long[] millis = new long[releases];
        Map<String, Instant> publishedAt = new HashMap<>();
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < releases; i++) {
            Path image = randomImage(work.resolve("image-" + mode + ".raw"), (long) imageMib << 20);
            String version = major + "." + run + "." + i;
            versions.add(version);
            if (intervalSeconds > 0) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(intervalSeconds * 1000L));
            }
            publish(version, image);
            long published = System.nanoTime();
            publishedAt.put(version, Instant.now());
            long visible = awaitResource(version, Duration.ofSeconds(Math.max(60, 3L * intervalSeconds)));
            millis[i] = (visible - published) / 1_000_000;
            System.out.printf("  %s: %d ms%n", version, millis[i]);
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        // The orchestrator's event carries when the verification ended (same machine, same clock): the rest of the
        // time is its transaction and the REST polling.
        Map<String, Integer> sources = new TreeMap<>();
        List<Long> verified = new ArrayList<>();
        for (JsonNode e : call("GET", "/api/v1/releases/events?profile=" + RELEASE_PROFILE + "&limit=500", null)) {
            String version = e.path("version").asText();
            if (publishedAt.containsKey(version)) {
                boolean accepted = e.path("outcome").asText().equals("ACCEPTED");
                sources.merge(accepted ? e.path("source").asText() : e.path("outcome").asText() + " " + e.path("reason").asText(), 1,
                        Integer::sum);
                verified.add(Duration.between(publishedAt.get(version), Instant.parse(e.path("occurredAt").asText())).toMillis());
            }
        }
        long[] verifiedSorted = verified.stream().mapToLong(Long::longValue).sorted().toArray();
        String how = mode.equals("poll") ? "polling every " + intervalSeconds + " s" : "registry notification";
        row(String.format(Locale.ROOT, "detection, %s: %d × %d MiB, publish → OS resource listed", how, releases, imageMib),
                String.format(Locale.ROOT, "p50 %d ms, p90 %d ms, max %d ms (min %d ms); verified (event time) p50 %d ms;"
                                + " detected by %s", pct(sorted, 0.5), pct(sorted, 0.9), sorted[sorted.length - 1], sorted[0],
                        verifiedSorted.length == 0 ? -1 : pct(verifiedSorted, 0.5), sources));
    }

    // ---- image cache ------------------------------------------------------------------------------

    private void cache(int mib, int concurrency) throws Exception {
        long size = (long) mib << 20;
        System.out.printf("== image cache: one release of %d MiB%n", mib);
        Path image = randomImage(work.resolve("image-cache.raw"), size);
        long t = System.nanoTime();
        String version = "3." + run + ".0";
        ReleasePublisher.Published published = publish(version, image);
        long publishedAt = System.nanoTime();
        row(String.format(Locale.ROOT, "publish %d MiB (hash, sign, upload to the registry)", mib), rate(size, publishedAt - t));

        long visible = awaitResource(version, Duration.ofMinutes(10));
        double coldSeconds = (visible - publishedAt) / 1e9;
        String blob = registryUri.resolve("v2/" + published.repository() + "/blobs/" + published.imageDigest()).toString();
        row(String.format(Locale.ROOT, "cold: publish → OS resource listed (fetch from the registry into the cache, SHA-256, fsync, verify)"),
                String.format(Locale.ROOT, "%.2f s, %.0f MB/s", coldSeconds, size / MB / coldSeconds));
        // The same blob three times each, alternating, so that every figure of a ratio comes from the same minutes.
        double[] curlNull = new double[3];
        double[] curlFile = new double[3];
        long[][] fetch = new long[3][];
        for (int i = 0; i < 3; i++) {
            curlNull[i] = curl(size, blob);
            curlFile[i] = curlToFileSynced(size, blob, work.resolve("curl.out"));
            fetch[i] = fetchAsTheCacheDoes(published.repository(), published.imageDigest(), size, "fetched.part");
        }
        double nullMedian = median(curlNull);
        double fileMedian = median(curlFile);
        double[] fetchSeconds = new double[3];
        for (int i = 0; i < 3; i++) {
            fetchSeconds[i] = fetch[i][0] / 1e9;
        }
        double fetchMedian = median(fetchSeconds);
        row("cold: `curl -o /dev/null` of the same blob from the registry (median of 3)",
                String.format(Locale.ROOT, "%.3f s, %.0f MB/s; the orchestrator's cold path above takes %.1f× as long", nullMedian,
                        size / MB / nullMedian, coldSeconds / nullMedian));
        row("cold: `curl -o FILE && sync FILE` (median of 3: the same bytes written and forced, no hash)",
                String.format(Locale.ROOT, "%.3f s, %.0f MB/s", fileMedian, size / MB / fileMedian));
        row("cold: the cache's fetch alone in this JVM, median of 3 (OciClient.download: Jetty client, one SHA-256 pass"
                + " that is the digest check, overlapped write, background flush, final fsync)",
                String.format(Locale.ROOT, "%.3f s, %.0f MB/s (final fsync %.3f s); **%.2f of curl -o /dev/null, %.2f of curl -o FILE"
                                + " && sync**", fetchMedian, size / MB / fetchMedian, fetch[1][1] / 1e9, nullMedian / fetchMedian,
                        fileMedian / fetchMedian));
        // Two fetches at once (two releases missing from the cache together): each gets its share.
        ExecutorService two = Executors.newFixedThreadPool(2);
        long tTwo = System.nanoTime();
        Future<long[]> a = two.submit(() -> fetchAsTheCacheDoes(published.repository(), published.imageDigest(), size, "fetched-a.part"));
        Future<long[]> b = two.submit(() -> fetchAsTheCacheDoes(published.repository(), published.imageDigest(), size, "fetched-b.part"));
        long na = a.get()[0];
        long nb = b.get()[0];
        long wallTwo = System.nanoTime() - tTwo;
        two.shutdown();
        row("cold: two fetches at once (two releases missing together)",
                String.format(Locale.ROOT, "%.0f MB/s in all; each %.0f and %.0f MB/s (the slower gets %.2f of the faster's rate)",
                        2 * size / MB / (wallTwo / 1e9), size / MB / (na / 1e9), size / MB / (nb / 1e9),
                        (double) Math.min(na, nb) / Math.max(na, nb)));

        Path agent = enrolledAgent();
        String identity = Files.readString(agent.resolve("identity.pem"));
        SSLContext tls = TlsContexts.context(Pem.certificates(Files.readString(agent.resolve("ca.pem"))).get(0),
                Pem.privateKey(identity), Pem.certificates(identity).get(0));
        URI uri = southbound.resolve("/southbound/v1/images/" + published.imageDigest());
        String hex = published.imageDigest().substring("sha256:".length());

        double hashRate = sha256Rate(256 << 20);
        row("SHA-256 in this JVM alone (the downloads below hash what they receive)", String.format(Locale.ROOT, "%.0f MB/s", hashRate));

        Download first = download(client(tls), uri, null, Long.MAX_VALUE, sha256());
        check(first, 200, size, hex);
        Download second = download(client(tls), uri, null, Long.MAX_VALUE, sha256());
        check(second, 200, size, hex);
        row("warm: one download from the southbound endpoint with the agent's identity over the JDK's java.net.http client"
                        + " (what the agent used before; mutual TLS, SHA-256 checked)",
                String.format(Locale.ROOT, "first in this JVM %.0f MB/s, second %.0f MB/s", size / MB / (first.nanos() / 1e9),
                        size / MB / (second.nanos() / 1e9)));
        // The agent's own download path, against curl with the same identity: three of each, alternating.
        double[] agentSeconds = new double[3];
        double[] curlSeconds = new double[3];
        for (int i = 0; i < 3; i++) {
            Download d = agentDownload(uri, tls);
            check(d, 200, size, hex);
            agentSeconds[i] = d.nanos() / 1e9;
            curlSeconds[i] = curl(size, "--cert", agent.resolve("identity.pem").toString(), "--cacert",
                    agent.resolve("ca.pem").toString(), uri.toString());
        }
        double agentMedian = median(agentSeconds);
        double curlWarm = median(curlSeconds);
        row("warm: the same with `curl --cert identity.pem --cacert ca.pem -o /dev/null` (no hashing; median of 3)",
                String.format(Locale.ROOT, "%.0f MB/s (%.3f s)", size / MB / curlWarm, curlWarm));
        row("warm: the agent's download (ImageDownloads: HttpsURLConnection, 1 MiB reads, SHA-256 checked; median of 3,"
                        + " alternating with curl)",
                String.format(Locale.ROOT, "%.0f MB/s (%.3f s); **%.2f of curl with the same identity**", size / MB / agentMedian,
                        agentMedian, curlWarm / agentMedian));

        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Download>> runs = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            HttpClient client = client(tls);
            runs.add(pool.submit(() -> {
                start.await();
                return download(client, uri, null, Long.MAX_VALUE, sha256());
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        long slowest = 0;
        for (Future<Download> run : runs) {
            Download d = run.get(10, TimeUnit.MINUTES);
            check(d, 200, size, hex);
            slowest = Math.max(slowest, d.nanos());
        }
        long wall = System.nanoTime() - t0;
        pool.shutdown();
        row(String.format(Locale.ROOT, "warm: %d downloads at once", concurrency),
                String.format(Locale.ROOT, "%.0f MB/s in all (%.2f s for %d × %d MiB; the slowest %.0f MB/s)",
                        concurrency * size / MB / (wall / 1e9), wall / 1e9, concurrency, mib, size / MB / (slowest / 1e9)));

        long half = size / 2;
        MessageDigest resumed = sha256();
        Download firstHalf = download(client(tls), uri, null, half, resumed);
        if (firstHalf.bytes() != half) {
            throw new IllegalStateException("the first half ended after " + firstHalf.bytes() + " bytes, not " + half);
        }
        Download rest = download(client(tls), uri, "bytes=" + half + "-", Long.MAX_VALUE, resumed);
        check(rest, 206, size - half, hex);
        String expectedRange = "bytes " + half + "-" + (size - 1) + "/" + size;
        if (!expectedRange.equals(rest.contentRange())) {
            throw new IllegalStateException("Content-Range was " + rest.contentRange() + ", not " + expectedRange);
        }
        row(String.format(Locale.ROOT, "resume: half, connection dropped, then `Range: bytes=%d-`", half),
                String.format(Locale.ROOT, "206 with %s, %.0f MB/s over both; SHA-256 of the two parts matches", expectedRange,
                        size / MB / ((firstHalf.nanos() + rest.nanos()) / 1e9)));
    }

    /**
     * What ImageCache.download does with a new image, outside the orchestrator: {@link OciClient#download} into a file
     * (its one SHA-256 pass is the digest check) and the final force. Returns the nanoseconds in all and those of the
     * final force.
     */
    private long[] fetchAsTheCacheDoes(String repository, String digest, long size, String name) throws IOException {
        Path file = work.resolve(name);
        long t = System.nanoTime();
        long written;
        long forced;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            written = registry.download(repository, digest, 0, size, channel, null);
            forced = System.nanoTime();
            channel.force(true);
        }
        long end = System.nanoTime();
        Files.delete(file);
        if (written != size) {
            throw new IllegalStateException("fetched " + written + " bytes of " + digest + ", not " + size);
        }
        return new long[] {end - t, end - forced};
    }

    /** curl into a file, then {@code sync FILE} (an fsync of it): the copy without the hash. Seconds, wall clock. */
    private static double curlToFileSynced(long size, String url, Path file) throws Exception {
        long t = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", "curl -sS -f -o \"$1\" \"$2\" && sync \"$1\"", "sh", file.toString(), url)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        if (p.waitFor() != 0 || Files.size(file) != size) {
            throw new IllegalStateException("curl -o " + file + " " + url + " failed: " + output);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        Files.delete(file);
        return seconds;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Enrols one agent (the node's code, simulated hardware) in the project; returns its data folder. */
    private Path enrolledAgent() throws Exception {
        String secret = call("POST", "/api/v1/projects/" + project + "/enrolment-tokens", "{\"name\":\"bench\",\"validity\":\"P1D\"}")
                .get("secret").asText();
        String fingerprint = call("GET", "/api/v1/southbound/ca", null).get("sha256Fingerprint").asText();
        Path dir = work.resolve("agent-" + run);
        // The observer hears of the enrolment before the agent stores its identity; the first sync comes after.
        CountDownLatch synced = new CountDownLatch(1);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        long seed = System.currentTimeMillis();
        try (Agent agent = new Agent(new Agent.Settings(southbound, secret, fingerprint, dir, null, null, null, Duration.ofSeconds(5)),
                () -> SimulatedHardware.forHost(seed), scheduler, null, new Agent.Observer() {
                    @Override
                    public void synced(long nanos, boolean notModified) {
                        synced.countDown();
                    }

                    @Override
                    public void failed(String call, Exception e) {
                        System.out.println("  agent: " + call + " failed: " + e);
                    }
                })) {
            agent.start(Duration.ZERO);
            if (!synced.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the agent did not enrol and sync within 60 s");
            }
        } finally {
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
        return dir;
    }

    /** Runs curl to /dev/null with these arguments; returns its time_total in seconds after checking 2xx and the size. */
    private static double curl(long size, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download}"));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        curl.waitFor();
        String[] c = answer.split(" ");
        if (c.length != 3 || !c[0].startsWith("2") || Long.parseLong(c[2]) != size) {
            throw new IllegalStateException(String.join(" ", command) + " answered " + answer);
        }
        return Double.parseDouble(c[1]);
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private record Download(int status, long bytes, long nanos, String contentRange, String sha256) {
    }

    /**
     * GETs {@code uri} (with {@code Range} if given), hashing what arrives into {@code digest}, and stops after
     * {@code limit} bytes by closing the stream, which drops the connection.
     */
    private static Download download(HttpClient client, URI uri, String range, long limit, MessageDigest digest) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10));
        if (range != null) {
            request.header("Range", range);
        }
        long t = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": "
                        + new String(in.readNBytes(2000), StandardCharsets.UTF_8));
            }
            for (int n; bytes < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - bytes))) > 0; ) {
                digest.update(buffer, 0, n);
                bytes += n;
            }
        }
        long nanos = System.nanoTime() - t;
        String hex = limit == Long.MAX_VALUE ? HexFormat.of().formatHex(digest.digest()) : null;
        return new Download(response.statusCode(), bytes, nanos, response.headers().firstValue("Content-Range").orElse(null), hex);
    }

    /** The agent's download path ({@link ImageDownloads}, as the update agent reads it: 1 MiB at a time, hashed). */
    private static Download agentDownload(URI uri, SSLContext tls) throws Exception {
        MessageDigest digest = sha256();
        long t = System.nanoTime();
        long bytes = 0;
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = ImageDownloads.open(uri, 0, tls)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                bytes += n;
            }
        }
        return new Download(200, bytes, System.nanoTime() - t, null, HexFormat.of().formatHex(digest.digest()));
    }

    private static void check(Download d, int status, long bytes, String sha256) {
        if (d.status() != status || d.bytes() != bytes || !sha256.equals(d.sha256())) {
            throw new IllegalStateException("download: status " + d.status() + ", " + d.bytes() + " bytes, SHA-256 " + d.sha256()
                    + "; expected " + status + ", " + bytes + " bytes, " + sha256);
        }
    }

    private static double sha256Rate(int bytes) {
        byte[] data = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(data);
        MessageDigest digest = sha256();
        for (int i = 0; i < 64; i++) {
            digest.update(data);
        }
        long t = System.nanoTime();
        for (int done = 0; done < bytes; done += data.length) {
            digest.update(data);
        }
        digest.digest();
        return bytes / MB / ((System.nanoTime() - t) / 1e9);
    }

    // ---- publishing and watching ------------------------------------------------------------------

    private ReleasePublisher.Published publish(String version, Path image) throws Exception {
        ReleaseManifest template = new ReleaseManifest(ReleaseManifest.SCHEMA, RELEASE_PROFILE, version, ReleaseManifest.OsType.IMMUTABLE,
                "x86_64", null, 0, "NONE", "benchmark release", List.of(), List.of(), null);
        return new ReleasePublisher().publish(registry, ReleaseArtifact.DEFAULT_PREFIX, template, image, signer, null);
    }

    /** Polls the profile's OS resources until {@code version} is listed; returns System.nanoTime() when it was. */
    private long awaitResource(String version, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String path = "/api/v1/projects/" + project + "/os-profiles/" + OS_PROFILE + "/resources";
        while (System.nanoTime() < deadline) {
            for (JsonNode resource : call("GET", path, null)) {
                if (version.equals(resource.path("version").asText())) {
                    return System.nanoTime();
                }
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException(version + " was not offered within " + timeout.toSeconds() + " s; events: "
                + call("GET", "/api/v1/releases/events?limit=5", null));
    }

    /** A file of {@code size} random bytes (a new image each time, so neither the registry nor the cache has it). */
    private static Path randomImage(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(System.nanoTime());
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
        return file;
    }

    // ---- REST and output ----------------------------------------------------------------------------

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    private void row(String what, String figure) throws IOException {
        String line = "| " + what + " | " + figure + " |";
        System.out.println(line);
        Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String rate(long bytes, long nanos) {
        return String.format(Locale.ROOT, "%.0f MB/s (%.2f s)", bytes / MB / (nanos / 1e9), nanos / 1e9);
    }

    private static long pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            out.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return out;
    }
}
