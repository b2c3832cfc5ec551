package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * A rollout end to end, with the orchestrator as its own process: a real registry and signed releases, six
 * simulated agents (the real agent code with {@link SimulatedUpdater}: real downloads over mutual TLS, simulated
 * slot, reboot and health check) in this JVM over real HTTPS, a rollout in two waves — and the orchestrator
 * killed ({@code kill -9}) in the middle of it and started again: the rollout finishes with exactly one run per
 * host, none lost, none repeated. Then a release that fails its health check pauses the next rollout at its
 * failure threshold, with the hosts back on the good version.
 */
public class RolloutIT {

    private static final int HTTP = 18188;
    private static final int SOUTHBOUND = 18444;
    private static final String WEBHOOK_TOKEN = "rollout-it-webhook";
    private static final int HOSTS = 6;

    private final List<Agent> agents = new ArrayList<>();
    private final List<SimulatedUpdater> updaters = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
    private RegistryHarness registry;
    private OrchestratorProcess orchestrator;

    @After
    public void tearDown() throws Exception {
        agents.forEach(Agent::close);
        scheduler.shutdownNow();
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (registry != null) {
            registry.close();
        }
    }


    private JsonNode rollout(String name) throws Exception {
        return orchestrator.json("GET", "/api/v1/projects/roll/rollouts/" + name, null);
    }

    private List<JsonNode> runs(String name) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        orchestrator.json("GET", "/api/v1/projects/roll/rollouts/" + name + "/runs?limit=1000", null).get("runs").forEach(out::add);
        return out;
    }

    @Test
    public void aRolloutInWavesSurvivesAKilledOrchestratorAndAFailingReleasePausesTheNext() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "rollout");
        registry = RegistryHarness.start(List.of(new RegistryHarness.Endpoint("orchestrator",
                URI.create("http://127.0.0.1:" + HTTP + "/api/v1/release/notifications"),
                Map.of("Authorization", "Bearer " + WEBHOOK_TOKEN), List.of("pull"), List.of("application/octet-stream"))));
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("org.edgeorch.release.cfg", Map.of("registryUrl", registry.uri().toString(), "webhookToken", WEBHOOK_TOKEN,
                "pollIntervalSeconds", "2"));
        settings.put("org.edgeorch.southbound.cfg", Map.of("port", String.valueOf(SOUTHBOUND)));
        settings.put("org.edgeorch.fleet.cfg", Map.of("syncIntervalSeconds", "2"));
        settings.put("org.edgeorch.scheduling.cfg", Map.of("reconcileSeconds", "1"));
        orchestrator = new OrchestratorProcess(work.resolve("orchestrator"), HTTP, 18109, 11899, settings);
        orchestrator.start();

        // The release key and two signed releases: 2.0.0 is good, 2.0.1 fails its health check on the hosts.
        HostCertificateAuthority key = HostCertificateAuthority.createRoot("release-it", Duration.ofDays(30));
        orchestrator.json("POST", "/api/v1/release-signers", OrchestratorProcess.JSON.writeValueAsString(
                Map.of("name", "release-it", "certificate", HostCertificateAuthority.pem(key.certificate()))));
        orchestrator.json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"roll\"}");
        orchestrator.json("POST", "/api/v1/projects/roll/os-profiles",
                "{\"name\":\"emt\",\"releaseProfile\":\"emt\",\"versionRange\":\"^2.0.0\"}");
        OciClient client = new OciClient(registry.uri());
        for (String version : List.of("2.0.0", "2.0.1")) {
            byte[] bytes = new byte[2 << 20];
            new Random(version.hashCode()).nextBytes(bytes);
            Path image = Files.write(work.resolve("emt-" + version + ".img"), bytes);
            new ReleasePublisher().publish(client, "os/", new ReleaseManifest(null, "emt", version, OsType.IMMUTABLE, "x86_64",
                    null, 0, "NONE", "", List.of(), List.of(), null), image,
                    m -> ReleaseSignatures.sign(m, Pems.privateKey(key.privateKeyPem()), List.of(key.certificate())), null);
        }
        Processes.await("both releases offered", Duration.ofSeconds(30),
                () -> orchestrator.json("GET", "/api/v1/projects/roll/os-profiles/emt/resources", null).size() == 2);

        // Six agents enrol over mutual TLS and report 1.0.0.
        String secret = orchestrator.json("POST", "/api/v1/projects/roll/enrolment-tokens",
                "{\"name\":\"t\",\"validity\":\"PT1H\"}").get("secret").asText();
        String fingerprint = orchestrator.json("GET", "/api/v1/southbound/ca", null).get("sha256Fingerprint").asText();
        for (int i = 1; i <= HOSTS; i++) {
            String name = "host-" + i;
            long seed = 100 + i;
            SimulatedUpdater updater = new SimulatedUpdater(work.resolve(name + "/update"), "1.0.0", v -> !v.equals("2.0.1"),
                    Duration.ofMillis(500));
            Agent agent = new Agent(new Agent.Settings(URI.create("https://localhost:" + SOUTHBOUND), secret, fingerprint,
                    work.resolve(name), name, null, null, Duration.ofSeconds(2)), () -> SimulatedHardware.forHost(seed),
                    scheduler, null, null, updater);
            agent.start(Duration.ZERO);
            agents.add(agent);
            updaters.add(updater);
        }
        Processes.await("six hosts RUNNING", Duration.ofSeconds(60), () -> orchestrator.json("GET",
                "/api/v1/projects/roll/hosts?status=RUNNING", null).get("total").asInt() == HOSTS);

        // A rollout in two waves: two hosts, then the rest.
        orchestrator.json("POST", "/api/v1/projects/roll/rollouts", "{\"name\":\"to-2-0-0\",\"osProfile\":\"emt\",\"version\":\"2.0.0\","
                + "\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{\"count\":2,\"soak\":\"PT2S\",\"hostTimeout\":\"PT2M\"},"
                + "{\"hostTimeout\":\"PT2M\"}],\"onFailure\":\"PAUSE\"}");
        orchestrator.json("POST", "/api/v1/projects/roll/rollouts/to-2-0-0/start", null);
        Processes.await("a first host succeeded", Duration.ofSeconds(60),
                () -> runs("to-2-0-0").stream().anyMatch(r -> r.get("status").asText().equals("SUCCEEDED")));

        // Power cut in the middle of the rollout, then start again on the same data.
        JsonNode before = rollout("to-2-0-0");
        orchestrator.kill();
        assertEquals(before.toString(), "RUNNING", before.get("state").asText());
        assertTrue(before.toString(), before.get("counts").get("succeeded").asInt() < HOSTS);
        Thread.sleep(3000);
        orchestrator.start();

        Processes.await("the rollout finished", Duration.ofSeconds(120), () -> rollout("to-2-0-0").get("state").asText().equals("FINISHED"));
        List<JsonNode> runs = runs("to-2-0-0");
        Set<String> hosts = new HashSet<>();
        for (JsonNode run : runs) {
            assertEquals(run.toString(), "SUCCEEDED", run.get("status").asText());
            assertTrue("one run per host: " + runs, hosts.add(run.get("host").asText()));
        }
        assertEquals(HOSTS, hosts.size());
        for (SimulatedUpdater u : updaters) {
            assertEquals("2.0.0", u.runningVersion());
        }

        // 2.0.1 fails its health check: the first wave's failure threshold pauses the rollout.
        orchestrator.json("POST", "/api/v1/projects/roll/rollouts", "{\"name\":\"to-2-0-1\",\"osProfile\":\"emt\",\"version\":\"2.0.1\","
                + "\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{\"count\":2,\"failurePercent\":0,\"failureMinFinished\":2,"
                + "\"hostTimeout\":\"PT2M\"},{}],\"onFailure\":\"PAUSE\"}");
        orchestrator.json("POST", "/api/v1/projects/roll/rollouts/to-2-0-1/start", null);
        Processes.await("paused by its failure threshold", Duration.ofSeconds(90),
                () -> rollout("to-2-0-1").get("state").asText().equals("PAUSED"));
        List<JsonNode> failed = runs("to-2-0-1");
        assertEquals(failed.toString(), 2, failed.size());
        for (JsonNode run : failed) {
            assertEquals(run.toString(), "ROLLED_BACK", run.get("status").asText());
            assertEquals(run.toString(), "HEALTH_CHECK_FAILED", run.get("failure").asText());
        }
        for (SimulatedUpdater u : updaters) {
            assertEquals("2.0.0", u.runningVersion());
        }
    }
}
