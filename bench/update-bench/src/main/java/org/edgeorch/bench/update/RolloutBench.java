package org.edgeorch.bench.update;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.edgeorch.agent.update.ReleaseVerifier;
import org.edgeorch.oci.OciClient;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.release.ReleaseManifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A rollout to a fleet of emulated A/B hosts: the real node agent and update agent per host (signature check,
 * streamed install into a slot image file, trial boot through the GRUB boot emulator, health check, commit)
 * against a running orchestrator over real HTTPS with mutual TLS, the release published to a real registry.
 * Measures the rollout from start to FINISHED, each wave, and each host's run.
 *
 * <pre>java ... RolloutBench --hosts 50 --image-mib 16 --waves 10,40,50 --registry http://127.0.0.1:5100 --work DIR</pre>
 */
public final class RolloutBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI rest;
    private String bearer;
    /** How long the rollout stays READY before it is started (an operator creating, checking, then starting it). */
    private Duration startAfter = Duration.ZERO;

    private RolloutBench(URI rest) {
        this.rest = rest;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int hosts = Integer.parseInt(a.getOrDefault("hosts", "50"));
        int mib = Integer.parseInt(a.getOrDefault("image-mib", "16"));
        List<Integer> waves = new ArrayList<>();
        for (String w : a.getOrDefault("waves", "10,40,50").split(",")) {
            waves.add(Integer.parseInt(w.strip()));
        }
        if (hosts > 1000) {
            throw new IllegalArgumentException("at most 1,000 hosts (one page of runs)");
        }
        RolloutBench bench = new RolloutBench(URI.create(a.getOrDefault("rest", "http://127.0.0.1:8181")));
        try {
            bench.startAfter = Duration.ofSeconds(Long.parseLong(a.getOrDefault("start-after", "0")));
            bench.run(hosts, mib, waves, URI.create(a.get("registry")), URI.create(a.getOrDefault("southbound", "https://localhost:8443")),
                    Path.of(a.get("work")), a.getOrDefault("password", "bench-admin-password"));
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run(int hosts, int mib, List<Integer> waves, URI registry, URI southbound, Path work, String password) throws Exception {
        bearer = call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + password + "\"}").get("token").asText();
        String project = "ab" + System.currentTimeMillis() % 100000;
        HostCertificateAuthority key = HostCertificateAuthority.createRoot("bench-release-signer", Duration.ofDays(1));
        call("POST", "/api/v1/release-signers", JSON.writeValueAsString(Map.of("name", "bench-" + project,
                "certificate", HostCertificateAuthority.pem(key.certificate()))));
        call("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"" + project + "\"}");
        call("POST", "/api/v1/projects/" + project + "/os-profiles",
                "{\"name\":\"bench\",\"releaseProfile\":\"" + project + "\",\"versionRange\":\"^2.0.0\"}");
        byte[] bytes = new byte[mib << 20];
        new Random(42).nextBytes(bytes);
        Path image = Files.write(Files.createDirectories(work).resolve("release.img"), bytes);
        new ReleasePublisher().publish(new OciClient(registry), "os/", new ReleaseManifest(null, project, "2.0.0",
                ReleaseManifest.OsType.IMMUTABLE, "x86_64", null, 0, "NONE", "", List.of(), List.of(), null), image,
                m -> ReleaseSignatures.sign(m, Pems.privateKey(key.privateKeyPem()), List.of(key.certificate())), null);
        await("the release is an OS resource", Duration.ofSeconds(60),
                () -> call("GET", "/api/v1/projects/" + project + "/os-profiles/bench/resources", null).size() == 1);

        String secret = call("POST", "/api/v1/projects/" + project + "/enrolment-tokens",
                "{\"name\":\"bench\",\"validity\":\"P1D\"}").get("secret").asText();
        String fingerprint = call("GET", "/api/v1/southbound/ca", null).get("sha256Fingerprint").asText();
        ReleaseVerifier verifier = new ReleaseVerifier(List.of(key.certificate()));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(8);
        ExecutorService http = Executors.newFixedThreadPool(8);
        ExecutorService reboots = Executors.newFixedThreadPool(4);
        List<EmulatedAbHost> fleet = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            EmulatedAbHost h = new EmulatedAbHost(work.resolve("host-" + i), southbound, secret, fingerprint, 1000 + i, verifier,
                    scheduler, http, reboots);
            h.start();
            fleet.add(h);
        }
        await(hosts + " hosts RUNNING", Duration.ofMinutes(5), () -> call("GET",
                "/api/v1/projects/" + project + "/hosts?status=RUNNING", null).get("total").asInt() == hosts);

        StringBuilder spec = new StringBuilder();
        for (int w : waves) {
            spec.append(spec.length() == 0 ? "" : ",").append("{\"percent\":").append(w).append(",\"hostTimeout\":\"PT10M\"}");
        }
        call("POST", "/api/v1/projects/" + project + "/rollouts", "{\"name\":\"bench\",\"osProfile\":\"bench\",\"version\":\"2.0.0\","
                + "\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[" + spec + "],\"onFailure\":\"PAUSE\"}");
        if (!startAfter.isZero()) {
            System.out.printf("the rollout is READY; starting it in %d s%n", startAfter.toSeconds());
            Thread.sleep(startAfter.toMillis());
        }
        long start = System.nanoTime();
        call("POST", "/api/v1/projects/" + project + "/rollouts/bench/start", null);
        String path = "/api/v1/projects/" + project + "/rollouts/bench";
        await("the rollout finished", Duration.ofMinutes(30), () -> {
            String state = call("GET", path, null).get("state").asText();
            if (state.equals("PAUSED") || state.equals("ABORTED")) {
                throw new IllegalStateException("the rollout is " + state + ": " + call("GET", path, null));
            }
            return state.equals("FINISHED");
        });
        double total = (System.nanoTime() - start) / 1e9;
        JsonNode rollout = call("GET", path, null);
        List<Double> runSeconds = new ArrayList<>();
        Map<Integer, Double> slowest = new HashMap<>();
        int succeeded = 0;
        for (JsonNode run : call("GET", path + "/runs?limit=1000", null).get("runs")) {
            succeeded += run.get("status").asText().equals("SUCCEEDED") ? 1 : 0;
            double seconds = Duration.between(Instant.parse(run.get("startedAt").asText()),
                    Instant.parse(run.get("finishedAt").asText())).toMillis() / 1000.0;
            runSeconds.add(seconds);
            slowest.merge(run.get("wave").asInt(), seconds, Math::max);
        }
        runSeconds.sort(Double::compare);
        int onTarget = 0;
        for (EmulatedAbHost h : fleet) {
            onTarget += "2.0.0".equals(h.runningVersion()) ? 1 : 0;
        }
        System.out.printf("%nrollout of %d emulated A/B hosts to a %d MiB release, waves %s%%: FINISHED in %.1f s;"
                + " %d runs SUCCEEDED, %d hosts booted into 2.0.0 and committed%n", hosts, mib, waves, total, succeeded, onTarget);
        double install = 0;
        double soak = 0;
        for (JsonNode wave : rollout.get("waves")) {
            int number = wave.get("number").asInt();
            double slow = slowest.getOrDefault(number, 0.0);
            JsonNode soakSpec = wave.path("spec").path("soak");
            double soakSeconds = soakSpec.isTextual() ? Duration.parse(soakSpec.asText()).toMillis() / 1000.0
                    : soakSpec.isNumber() ? soakSpec.asDouble() : 0;
            install += slow;
            soak += soakSeconds;
            System.out.printf("  wave %d: %d hosts, %.1f s (its slowest run %.1f s, soak %.0f s)%n", number,
                    wave.get("counts").get("hosts").asInt(),
                    Duration.between(Instant.parse(wave.get("startedAt").asText()), Instant.parse(wave.get("finishedAt").asText()))
                            .toMillis() / 1000.0, slow, soakSeconds);
        }
        System.out.printf("  beyond soak and install (total − Σ soak − Σ each wave's slowest run): %.1f s%n", total - soak - install);
        System.out.printf("  per host, run started → SUCCEEDED: p50 %.1f s, p90 %.1f s, max %.1f s%n", pct(runSeconds, 0.5),
                pct(runSeconds, 0.9), runSeconds.get(runSeconds.size() - 1));
        fleet.forEach(EmulatedAbHost::stop);
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    @FunctionalInterface
    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
        System.out.printf("%s after %.1f s%n", what, (System.nanoTime() - start) / 1e9);
    }
}
