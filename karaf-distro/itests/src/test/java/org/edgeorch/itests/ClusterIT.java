package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.edgeorch.agent.Agent;
import org.edgeorch.agent.simulated.SimulatedUpdater;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.oci.OciClient;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.release.ReleaseManifest;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Three orchestrators as processes on one PostgreSQL (a database of its own in the test command's throwaway server)
 * behind Debian's nginx, configured by {@code .ci/nginx-conf.sh} as {@code .ci/cluster.sh} does: REST through nginx's
 * HTTP load balancing, the southbound through its TLS passthrough (mutual TLS ends at an orchestrator); a registry
 * notifying through nginx; six agents (real agent code, simulated slots) syncing through nginx. A rollout in two
 * waves; {@code kill -9} of the orchestrator leading {@code rollout-reconcile} in the middle of it: a survivor leads
 * within two lease periods, the rollout finishes with one successful run per host (none lost, none repeated), and
 * every host goes on syncing through the survivors.
 */
public class ClusterIT {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int NGINX_HTTP = 18281;
    private static final int NGINX_SOUTHBOUND = 18481;
    private static final int HOSTS = 6;
    private static final String WEBHOOK_TOKEN = "cluster-it-webhook";
    private static final String PROJECT = "/api/v1/projects/clu";

    private final List<OrchestratorProcess> orchestrators = new ArrayList<>();
    private final List<Agent> agents = new ArrayList<>();
    private final List<SimulatedUpdater> updaters = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RegistryHarness registry;
    private Process nginx;
    private String token;

    @After
    public void tearDown() throws Exception {
        agents.forEach(Agent::close);
        scheduler.shutdownNow();
        for (OrchestratorProcess o : orchestrators) {
            o.close();
        }
        if (nginx != null) {
            Processes.killTree(nginx);
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** A database of this test's own, so that what other tests left in the shared one does not count. */
    private static String freshDatabase(String url, String user) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/.*").matcher(url);
        assertTrue("a jdbc:postgresql://host:port/db URL: " + url, m.matches());
        Path bin = null;
        try (var dirs = Files.newDirectoryStream(Path.of("/usr/lib/postgresql"))) {
            for (Path d : dirs) {
                if (Files.isExecutable(d.resolve("bin/createdb"))) {
                    bin = d.resolve("bin");
                }
            }
        }
        assertTrue("PostgreSQL's client programs in /usr/lib/postgresql/*/bin", bin != null);
        for (String tool : List.of("dropdb", "createdb")) {
            List<String> cmd = new ArrayList<>(List.of(bin.resolve(tool).toString(), "-h", m.group(1), "-p", m.group(2), "-U", user));
            if (tool.equals("dropdb")) {
                cmd.addAll(List.of("--if-exists", "--force"));
            }
            cmd.add("edgeorch_cluster");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(tool + ": " + out, 0, p.waitFor());
        }
        return "jdbc:postgresql://" + m.group(1) + ":" + m.group(2) + "/edgeorch_cluster";
    }

    private OrchestratorProcess orchestrator(Path work, int i, String url, String user, String password) throws Exception {
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("org.edgeorch.store.cfg", Map.of("type", "postgresql", "url", url, "user", user, "password", password,
                "leaseSeconds", String.valueOf(LEASE.toSeconds())));
        // clients and agents come through nginx on 127.0.0.1 (X-Forwarded-For on HTTP; exempt on the southbound)
        settings.put("org.edgeorch.southbound.cfg", Map.of("port", String.valueOf(18490 + i), "trustedProxies", "127.0.0.1"));
        settings.put("org.edgeorch.http.cfg", Map.of("trustedProxies", "127.0.0.1"));
        settings.put("org.edgeorch.fleet.cfg", Map.of("syncIntervalSeconds", "2"));
        settings.put("org.edgeorch.scheduling.cfg", Map.of("reconcileSeconds", "1"));
        settings.put("org.edgeorch.release.cfg", Map.of("registryUrl", registry.uri().toString(), "webhookToken", WEBHOOK_TOKEN,
                "pollIntervalSeconds", "2"));
        OrchestratorProcess o = new OrchestratorProcess(work.resolve("orchestrator-" + i), 18290 + i, 18190 + i,
                11400 + 10 * i, settings);
        orchestrators.add(o);
        return o;
    }

    private void startNginx(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("edge.ci.dir"), "nginx-conf.sh").toString(),
                dir.toString(), String.valueOf(NGINX_HTTP), String.valueOf(NGINX_SOUTHBOUND)));
        for (int i = 1; i <= 3; i++) {
            cmd.add((18290 + i) + ":" + (18490 + i));
        }
        Process conf = new ProcessBuilder(cmd).redirectOutput(dir.resolve("nginx.conf").toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals("nginx-conf.sh", 0, conf.waitFor());
        nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        Processes.await("nginx listening", Duration.ofSeconds(20), () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", NGINX_HTTP)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** A REST call through nginx. */
    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NGINX_HTTP + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body);
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " through nginx answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? null : OrchestratorProcess.JSON.readTree(r.body());
    }

    private List<JsonNode> runs() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        json("GET", PROJECT + "/rollouts/wide/runs?limit=1000", null).get("runs").forEach(out::add);
        return out;
    }

    /** The holder of {@code job}'s lease as {@code o} reports it, null when it is expired or absent. */
    private static String holder(OrchestratorProcess o, String job) throws Exception {
        for (JsonNode l : o.json("GET", "/api/v1/leaders", null).get("leases")) {
            if (l.get("job").asText().equals(job) && !l.get("expired").asBoolean()) {
                return l.get("holder").asText();
            }
        }
        return null;
    }

    @Test
    public void threeOrchestratorsBehindNginxFinishARolloutWhoseLeaderIsKilled() throws Exception {
        String pgUrl = System.getenv("EDGE_TEST_PG_URL");
        if (pgUrl == null) {
            throw new IllegalStateException("EDGE_TEST_PG_URL is not set: run the tests with .ci/test.sh, "
                    + "which starts a throwaway PostgreSQL on loopback");
        }
        String pgUser = System.getenv().getOrDefault("EDGE_TEST_PG_USER", "postgres");
        String url = freshDatabase(pgUrl, pgUser);
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "cluster");
        registry = RegistryHarness.start(List.of(new RegistryHarness.Endpoint("orchestrators",
                URI.create("http://127.0.0.1:" + NGINX_HTTP + "/api/v1/release/notifications"),
                Map.of("Authorization", "Bearer " + WEBHOOK_TOKEN), List.of("pull"), List.of("application/octet-stream"))));
        startNginx(work.resolve("nginx"));

        // The first migrates the schema and makes the host CA; the other two start together and load both.
        String pgPassword = System.getenv().getOrDefault("EDGE_TEST_PG_PASSWORD", "");
        orchestrator(work, 1, url, pgUser, pgPassword).start();
        OrchestratorProcess second = orchestrator(work, 2, url, pgUser, pgPassword);
        OrchestratorProcess third = orchestrator(work, 3, url, pgUser, pgPassword);
        second.launch();
        third.launch();
        second.awaitReady();
        third.awaitReady();

        // Everything from here goes through nginx.
        token = OrchestratorProcess.JSON.readTree(call("POST", "/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\""
                + OrchestratorProcess.ADMIN_PASSWORD + "\"}").body()).get("token").asText();
        Set<String> answering = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            answering.add(json("GET", "/api/v1/leaders", null).get("instanceId").asText());
        }
        assertTrue("nginx spreads REST calls over the orchestrators: " + answering, answering.size() >= 2);

        HostCertificateAuthority key = HostCertificateAuthority.createRoot("cluster-it", Duration.ofDays(30));
        json("POST", "/api/v1/release-signers", OrchestratorProcess.JSON.writeValueAsString(
                Map.of("name", "cluster-it", "certificate", HostCertificateAuthority.pem(key.certificate()))));
        json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"clu\"}");
        json("POST", PROJECT + "/os-profiles", "{\"name\":\"emt\",\"releaseProfile\":\"emt\",\"versionRange\":\"^2.0.0\"}");
        byte[] bytes = new byte[2 << 20];
        new Random(7).nextBytes(bytes);
        Path image = Files.write(work.resolve("emt-2.0.0.img"), bytes);
        new ReleasePublisher().publish(new OciClient(registry.uri()), "os/", new ReleaseManifest(null, "emt", "2.0.0",
                OsType.IMMUTABLE, "x86_64", null, 0, "NONE", "", List.of(), List.of(), null), image,
                m -> ReleaseSignatures.sign(m, Pems.privateKey(key.privateKeyPem()), List.of(key.certificate())), null);
        Processes.await("the release offered", Duration.ofSeconds(30),
                () -> json("GET", PROJECT + "/os-profiles/emt/resources", null).size() == 1);

        // Six agents enrol and sync through nginx's TLS passthrough.
        String secret = json("POST", PROJECT + "/enrolment-tokens", "{\"name\":\"t\",\"validity\":\"PT1H\"}").get("secret").asText();
        String fingerprint = json("GET", "/api/v1/southbound/ca", null).get("sha256Fingerprint").asText();
        for (int i = 1; i <= HOSTS; i++) {
            String name = "node-" + i;
            long seed = 300 + i;
            SimulatedUpdater updater = new SimulatedUpdater(work.resolve(name + "/update"), "1.0.0", v -> true, Duration.ofMillis(500));
            Agent agent = new Agent(new Agent.Settings(URI.create("https://localhost:" + NGINX_SOUTHBOUND), secret, fingerprint,
                    work.resolve(name), name, null, null, Duration.ofSeconds(2)), () -> SimulatedHardware.forHost(seed),
                    scheduler, null, null, updater);
            agent.start(Duration.ZERO);
            agents.add(agent);
            updaters.add(updater);
        }
        Processes.await("six hosts RUNNING", Duration.ofSeconds(90),
                () -> json("GET", PROJECT + "/hosts?status=RUNNING", null).get("total").asInt() == HOSTS);

        // Who leads reconciling: every orchestrator says the same.
        String leaderId = holder(orchestrators.get(0), "rollout-reconcile");
        Processes.await("one leader of rollout-reconcile", Duration.ofSeconds(20), () -> {
            String h = holder(orchestrators.get(0), "rollout-reconcile");
            return h != null && h.equals(holder(second, "rollout-reconcile")) && h.equals(holder(third, "rollout-reconcile"));
        });
        leaderId = holder(orchestrators.get(0), "rollout-reconcile");
        OrchestratorProcess leader = null;
        for (OrchestratorProcess o : orchestrators) {
            if (o.json("GET", "/api/v1/leaders", null).get("instanceId").asText().equals(leaderId)) {
                leader = o;
            }
        }
        assertTrue("the leader " + leaderId + " is one of the three", leader != null);

        // A rollout in two waves (two hosts, soaking 3 s, then four); the leader is killed once the first host succeeded.
        json("POST", PROJECT + "/rollouts", "{\"name\":\"wide\",\"osProfile\":\"emt\",\"version\":\"2.0.0\","
                + "\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{\"count\":2,\"soak\":\"PT3S\",\"hostTimeout\":\"PT3M\"},"
                + "{\"hostTimeout\":\"PT3M\"}],\"onFailure\":\"PAUSE\"}");
        json("POST", PROJECT + "/rollouts/wide/start", null);
        Processes.await("a first host succeeded", Duration.ofSeconds(60),
                () -> runs().stream().anyMatch(r -> r.get("status").asText().equals("SUCCEEDED")));
        JsonNode before = json("GET", PROJECT + "/rollouts/wide", null);
        leader.kill();
        Instant killed = Instant.now();
        assertEquals(before.toString(), "RUNNING", before.get("state").asText());
        assertTrue(before.toString(), before.get("counts").get("succeeded").asInt() < HOSTS);

        List<OrchestratorProcess> survivors = new ArrayList<>(orchestrators);
        survivors.remove(leader);
        String deposed = leaderId;
        Processes.await("a survivor leads rollout-reconcile", Duration.ofSeconds(30), () -> {
            String h = holder(survivors.get(0), "rollout-reconcile");
            return h != null && !h.equals(deposed);
        });
        Duration takeover = Duration.between(killed, Instant.now());
        assertTrue("a new leader after " + takeover + " (bound: two lease periods)", takeover.compareTo(LEASE.multipliedBy(2)) <= 0);
        String successor = holder(survivors.get(0), "rollout-reconcile");
        assertEquals(successor, holder(survivors.get(1), "rollout-reconcile"));
        assertNotEquals(deposed, successor);

        Processes.await("the rollout finished", Duration.ofSeconds(120),
                () -> json("GET", PROJECT + "/rollouts/wide", null).get("state").asText().equals("FINISHED"));
        Instant finished = Instant.now();
        List<JsonNode> runs = runs();
        Set<String> hosts = new HashSet<>();
        for (JsonNode run : runs) {
            assertEquals(run.toString(), "SUCCEEDED", run.get("status").asText());
            assertTrue("one run per host: " + runs, hosts.add(run.get("host").asText()));
        }
        assertEquals(HOSTS, hosts.size());
        for (SimulatedUpdater u : updaters) {
            assertEquals("2.0.0", u.runningVersion());
        }

        // Every host goes on syncing through the survivors: seen again after the rollout finished, still RUNNING.
        Processes.await("every host seen after the rollout", Duration.ofSeconds(30), () -> {
            for (JsonNode h : json("GET", PROJECT + "/hosts?limit=100", null).get("hosts")) {
                if (!h.get("status").asText().equals("RUNNING")
                        || Instant.parse(h.get("lastSeenAt").asText()).isBefore(finished)) {
                    return false;
                }
            }
            return true;
        });
        System.out.println("ClusterIT: kill -9 of the leader -> a survivor leads rollout-reconcile after " + takeover.toMillis()
                + " ms (lease " + LEASE.toSeconds() + " s)");
    }
}
