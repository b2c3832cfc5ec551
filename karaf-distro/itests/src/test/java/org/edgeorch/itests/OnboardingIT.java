package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The orchestrator and three node runtimes as separate processes: two enrol with a token, one by
 * auto-onboard, all over real mutual TLS; their inventories arrive; one is invalidated and its next call
 * is refused while the others keep syncing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OnboardingIT extends HttpItestSupport {

    private static final int SOUTHBOUND = 18443;

    private final List<Process> nodes = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return options(distribution("orchestrator", 18186, 18106, 11599), adminPassword(),
                editConfigurationFilePut("etc/org.edgeorch.southbound.cfg", "port", String.valueOf(SOUTHBOUND)),
                editConfigurationFilePut("etc/org.edgeorch.fleet.cfg", "syncIntervalSeconds", "2"));
    }

    @After
    public void stopNodes() throws Exception {
        for (Process p : nodes) {
            stop(p);
        }
    }

    @Test
    public void threeNodesOnboardOverMutualTlsAndAnInvalidatedOneIsRefused() throws Exception {
        awaitStatusUp("database");
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"onb\"}"));
        created(call("POST", "/api/v1/projects/onb/sites", token, "{\"name\":\"lab\",\"metadata\":{\"room\":\"b12\"}}"));
        String uuid3 = UUID.nameUUIDFromBytes("edgeorch-simulated-host:3".getBytes(StandardCharsets.UTF_8)).toString();
        created(call("POST", "/api/v1/projects/onb/hosts", token, "{\"name\":\"pre-3\",\"uuid\":\"" + uuid3
                + "\",\"site\":\"lab\",\"autoOnboard\":true}"));
        JsonNode issued = json(created(call("POST", "/api/v1/projects/onb/enrolment-tokens", token,
                "{\"name\":\"lab\",\"site\":\"lab\",\"validity\":\"PT1H\",\"maxUses\":2}")));
        String secret = issued.get("secret").asText();
        JsonNode ca = json(get("/api/v1/southbound/ca"));
        String fingerprint = ca.get("sha256Fingerprint").asText();

        Path work = Path.of(System.getProperty("edge.it.work"), "nodes");
        for (int i = 1; i <= 3; i++) {
            nodes.add(startNode(work.resolve("node-" + i), i, i == 3 ? "" : secret, fingerprint));
        }

        await("three hosts RUNNING", () -> count("RUNNING") == 3, 120);
        for (String host : List.of("sim-1", "sim-2", "pre-3")) {
            JsonNode h = json(call("GET", "/api/v1/projects/onb/hosts/" + host, token, null));
            assertEquals(h.toString(), "lab", h.get("site").asText());
            assertEquals("b12", h.get("effectiveMetadata").get("room").asText());
            assertEquals(h.toString(), "0.1.0", h.get("agentVersion").asText());
            assertTrue(h.toString(), h.hasNonNull("onboardedAt"));
            await("inventory of " + host, () -> call("GET", "/api/v1/projects/onb/hosts/" + host + "/inventory", token, null)
                    .statusCode() == 200, 30);
            JsonNode inv = json(call("GET", "/api/v1/projects/onb/hosts/" + host + "/inventory", token, null)).get("inventory");
            assertTrue(inv.toString(), inv.get("cpu").get("cores").asInt() > 0);
            assertTrue(inv.toString(), inv.get("disks").size() > 0 && inv.has("usb") && inv.has("gpus"));
            assertEquals(1, json(call("GET", "/api/v1/projects/onb/hosts/" + host + "/certificates", token, null)).size());
        }
        assertEquals(uuid3, json(call("GET", "/api/v1/projects/onb/hosts/pre-3/inventory", token, null))
                .get("inventory").get("system").get("uuid").asText());
        // the token's two uses are spent
        assertEquals(2, json(call("GET", "/api/v1/projects/onb/enrolment-tokens", token, null)).get(0).get("uses").asInt());
        // the same through the shell and SOAP
        String tokens = shell("edge:enrolment-token-list onb");
        assertTrue(tokens, tokens.contains("lab") && !tokens.contains(secret));
        String shown = shell("edge:host-inventory onb sim-1");
        assertTrue(shown, shown.contains("SIM-") || shown.contains("sim-1"));
        String soapInventory = soap("/soap/onboarding", token, null,
                "<p:getHostInventory><p:project>onb</p:project><p:host>pre-3</p:host></p:getHostInventory>");
        assertTrue(soapInventory, soapInventory.contains(uuid3) && !soapInventory.contains("Fault"));
        String hidden = soap("/soap/onboarding", token, null,
                "<p:getHostInventory><p:project>nobody</p:project><p:host>pre-3</p:host></p:getHostInventory>");
        assertTrue(hidden, hidden.contains("NOT_FOUND"));

        assertEquals(200, call("POST", "/api/v1/projects/onb/hosts/sim-2/invalidate", token, "{\"reason\":\"stolen\"}").statusCode());
        Path state2 = work.resolve("node-2/data/agent/state.json");
        await("node 2 refused", () -> read(state2).contains("\"phase\":\"REFUSED\""), 30);
        assertTrue(read(state2), read(state2).contains("HOST_INVALIDATED"));
        JsonNode denied = json(call("GET", "/api/v1/projects/onb/audit?action=host.call&outcome=DENIED", token, null));
        assertTrue(denied.toString(), denied.get("total").asInt() >= 1);
        assertEquals("INVALIDATED", json(call("GET", "/api/v1/projects/onb/hosts/sim-2", token, null)).get("status").asText());

        // the others keep syncing: their last contact moves on
        String seen = json(call("GET", "/api/v1/projects/onb/hosts/sim-1", token, null)).get("lastSeenAt").asText();
        await("node 1 syncs on", () -> !seen.equals(json(call("GET", "/api/v1/projects/onb/hosts/sim-1", token, null))
                .get("lastSeenAt").asText()), 30);
        assertEquals("RUNNING", json(call("GET", "/api/v1/projects/onb/hosts/pre-3", token, null)).get("status").asText());

        // a node that stops goes NO_CONNECTION after three intervals
        stop(nodes.get(0));
        await("node 1 NO_CONNECTION", () -> "NO_CONNECTION".equals(json(call("GET", "/api/v1/projects/onb/hosts/sim-1", token,
                null)).get("status").asText()), 60);
    }

    /** bin/karaf runs Java as its child: stop the whole tree, or the runtime goes on without its script. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
    }

    private int count(String status) {
        return json(call("GET", "/api/v1/projects/onb/hosts?status=" + status, token, null)).get("total").asInt();
    }

    private Process startNode(Path home, int seed, String enrolmentToken, String fingerprint) throws Exception {
        if (Files.exists(home)) {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(home);
        run(new File(home.toString()), "tar", "xzf", System.getProperty("edge.node.distribution"), "--strip-components=1");
        Files.writeString(home.resolve("etc/org.edgeorch.agent.cfg"), "orchestratorUrl = https://localhost:" + SOUTHBOUND + "\n"
                + "enrolmentToken = " + enrolmentToken + "\ncaFingerprint = " + fingerprint + "\nhardwarePlugin = simulated\n"
                + "maxBackoffSeconds = 5\n");
        Files.writeString(home.resolve("etc/org.edgeorch.plugin.simulated.cfg"), "seed = " + seed + "\n");
        Files.createDirectories(home.resolve("deploy"));
        Files.copy(Path.of(System.getProperty("edge.simulated.jar")), home.resolve("deploy/simulated.jar"));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    private static void run(File dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            }
            Thread.sleep(250);
        }
    }
}
