package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

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
 * The A/B update end to end on real parts: the orchestrator distribution and a real registry; the node
 * distribution as its own process with the GRUB plugin on a real environment block (checked with
 * grub-editenv), slot image files, and the boot emulator restarting the node's JVM for every reboot. A signed
 * release is streamed into the inactive slot over mutual TLS while the power is cut twice (mid-write, and just
 * after the trial is armed), and still ends committed; a release whose image fails a greenboot-style check is
 * rolled back through two emulated reboots. Every outcome is the orchestrator's update run.
 */
public class NodeUpdateIT {

    private static final int HTTP = 18288;
    private static final int SOUTHBOUND = 18544;
    private static final String WEBHOOK_TOKEN = "node-update-it-webhook";

    private RegistryHarness registry;
    private OrchestratorProcess orchestrator;
    private NodeProcess node;

    @After
    public void tearDown() throws Exception {
        if (node != null) {
            node.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (registry != null) {
            registry.close();
        }
    }


    private List<JsonNode> runs(String rollout) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        orchestrator.json("GET", "/api/v1/projects/ab/rollouts/" + rollout + "/runs?limit=100", null).get("runs").forEach(out::add);
        return out;
    }

    private JsonNode onlyRun(String rollout) throws Exception {
        List<JsonNode> runs = runs(rollout);
        assertEquals(runs.toString(), 1, runs.size());
        return runs.get(0);
    }

    private static List<String> grubEditenv(Path env) throws Exception {
        Process p = new ProcessBuilder("grub-editenv", env.toString(), "list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(out, 0, p.exitValue());
        return out.lines().toList();
    }

    private void halt(String point) throws Exception {
        Path dir = Files.createDirectories(node.home.resolve("data/update"));
        Files.writeString(dir.resolve("halt-at"), point);
    }

    @Test
    public void aSignedReleaseSurvivesPowerLossesAndAnUnhealthyOneRollsBack() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "node-update");
        registry = RegistryHarness.start(List.of(new RegistryHarness.Endpoint("orchestrator",
                URI.create("http://127.0.0.1:" + HTTP + "/api/v1/release/notifications"),
                Map.of("Authorization", "Bearer " + WEBHOOK_TOKEN), List.of("pull"), List.of("application/octet-stream"))));
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("org.edgeorch.release.cfg", Map.of("registryUrl", registry.uri().toString(), "webhookToken", WEBHOOK_TOKEN,
                "pollIntervalSeconds", "2"));
        settings.put("org.edgeorch.southbound.cfg", Map.of("port", String.valueOf(SOUTHBOUND)));
        settings.put("org.edgeorch.fleet.cfg", Map.of("syncIntervalSeconds", "2"));
        settings.put("org.edgeorch.scheduling.cfg", Map.of("reconcileSeconds", "1"));
        orchestrator = new OrchestratorProcess(work.resolve("orchestrator"), HTTP, 18209, 11999, settings);
        orchestrator.start();

        // One release signer, trusted by the orchestrator and, separately, by the node.
        HostCertificateAuthority key = HostCertificateAuthority.createRoot("release-node-it", Duration.ofDays(30));
        String signerPem = HostCertificateAuthority.pem(key.certificate());
        orchestrator.json("POST", "/api/v1/release-signers", OrchestratorProcess.JSON.writeValueAsString(
                Map.of("name", "release-node-it", "certificate", signerPem)));
        orchestrator.json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"ab\"}");
        orchestrator.json("POST", "/api/v1/projects/ab/os-profiles",
                "{\"name\":\"emt\",\"releaseProfile\":\"emt\",\"versionRange\":\"^2.0.0\"}");
        OciClient client = new OciClient(registry.uri());
        Map<String, byte[]> images = new LinkedHashMap<>();
        for (String version : List.of("2.0.0", "2.0.1")) {
            byte[] bytes = new byte[6 << 20];
            new Random(version.hashCode()).nextBytes(bytes);
            if (version.equals("2.0.1")) {
                System.arraycopy("BROKEN".getBytes(), 0, bytes, 4096, 6);
            } else {
                for (int i = 0; i + 6 <= bytes.length; i++) {
                    if (bytes[i] == 'B' && bytes[i + 1] == 'R') {
                        bytes[i] = 'b';
                    }
                }
            }
            images.put(version, bytes);
            Path image = Files.write(work.resolve("emt-" + version + ".img"), bytes);
            new ReleasePublisher().publish(client, "os/", new ReleaseManifest(null, "emt", version, OsType.IMMUTABLE, "x86_64",
                    null, 0, "NONE", "", List.of(), List.of(), null), image,
                    m -> ReleaseSignatures.sign(m, Pems.privateKey(key.privateKeyPem()), List.of(key.certificate())), null);
        }
        Processes.await("both releases offered", Duration.ofSeconds(30),
                () -> orchestrator.json("GET", "/api/v1/projects/ab/os-profiles/emt/resources", null).size() == 2);

        // The host: GRUB environment and slot A as the image build leaves them, booted by the emulator.
        Path boot = Files.createDirectories(work.resolve("host/boot"));
        Path grubenv = boot.resolve("grubenv");
        for (List<String> args : List.of(List.of("create"), List.of("set", "ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0"))) {
            List<String> command = new ArrayList<>(List.of("grub-editenv", grubenv.toString()));
            command.addAll(args);
            assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
        }
        Path slotA = Files.writeString(boot.resolve("slot-a.img"), "factory image 1.0.0");
        Path slotB = boot.resolve("slot-b.img");
        Map<String, Map<String, String>> nodeSettings = new LinkedHashMap<>();
        nodeSettings.put("org.edgeorch.plugin.grub.cfg", Map.of("grubenv", grubenv.toString(), "cmdline",
                boot.resolve("cmdline").toString(), "slotA", slotA.toString(), "slotB", slotB.toString(), "reboot", "emulate"));
        nodeSettings.put("org.edgeorch.agent.update.cfg", Map.of("initialVersion", "1.0.0", "preDownloadMinutes", "0",
                "checkTimeoutSeconds", "60", "checkpointMegabytes", "1"));
        node = NodeProcess.enrolling(work.resolve("host/node"), orchestrator, SOUTHBOUND, "ab", null, 7, signerPem, Map.of(),
                nodeSettings);
        Path check = Files.createDirectories(node.home.resolve("etc/health-checks/required.d")).resolve("10-image-sane");
        Files.writeString(check, "#!/bin/sh\n# A stand-in for a service check: this image is broken if it says so.\n"
                + "if grep -q BROKEN \"$EDGEORCH_SLOT_DEVICE\"; then echo \"$EDGEORCH_VERSION in slot $EDGEORCH_SLOT is broken\"; exit 1; fi\n");
        Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));

        node.start();
        Processes.await("the host is RUNNING on 1.0.0", Duration.ofSeconds(90), () -> orchestrator.json("GET",
                "/api/v1/projects/ab/hosts?status=RUNNING", null).get("total").asInt() == 1);
        assertEquals(List.of("ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0"), grubEditenv(grubenv));

        // 2.0.0, with the power cut in the middle of writing slot B, and again just after arming the trial.
        halt("WRITING@");
        orchestrator.json("POST", "/api/v1/projects/ab/rollouts", "{\"name\":\"to-2-0-0\",\"osProfile\":\"emt\",\"version\":\"2.0.0\","
                + "\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{\"hostTimeout\":\"PT5M\"}],\"onFailure\":\"PAUSE\"}");
        orchestrator.json("POST", "/api/v1/projects/ab/rollouts/to-2-0-0/start", null);
        assertEquals("halted mid-write", 137, node.awaitExit(90));
        assertTrue(Files.size(slotB) > 0 && Files.size(slotB) < images.get("2.0.0").length);
        assertNotEquals("SUCCEEDED", onlyRun("to-2-0-0").get("status").asText());
        halt("ARMED");
        node.start();
        assertEquals("halted after arming", 137, node.awaitExit(90));
        assertEquals("armed: B first with its one try", List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=0"),
                grubEditenv(grubenv));
        node.start();
        Processes.await("2.0.0 committed", Duration.ofSeconds(120), () -> onlyRun("to-2-0-0").get("status").asText().equals("SUCCEEDED"));
        assertTrue(node.log().contains("Writing 2.0.0 into slot B from byte 1048576"));
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=0"), grubEditenv(grubenv));
        assertEquals(true, java.util.Arrays.equals(images.get("2.0.0"), Files.readAllBytes(slotB)));
        Processes.await("the rollout finished", Duration.ofSeconds(30), () -> orchestrator.json("GET",
                "/api/v1/projects/ab/rollouts/to-2-0-0", null).get("state").asText().equals("FINISHED"));

        // 2.0.1 fails its check after the trial boot: marked bad, rebooted back, reported.
        orchestrator.json("POST", "/api/v1/projects/ab/rollouts", "{\"name\":\"to-2-0-1\",\"osProfile\":\"emt\",\"version\":\"2.0.1\","
                + "\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{\"hostTimeout\":\"PT5M\"}],\"onFailure\":\"PAUSE\"}");
        orchestrator.json("POST", "/api/v1/projects/ab/rollouts/to-2-0-1/start", null);
        Processes.await("2.0.1 rolled back", Duration.ofSeconds(180), () -> onlyRun("to-2-0-1").get("status").asText().equals("ROLLED_BACK"));
        JsonNode failed = onlyRun("to-2-0-1");
        assertEquals(failed.toString(), "HEALTH_CHECK_FAILED", failed.get("failure").asText());
        assertTrue(failed.toString(), failed.toString().contains("2.0.1 in slot A is broken"));
        assertEquals("A had its trial and is marked bad", List.of("ORDER=B A", "A_OK=0", "A_TRY=1", "B_OK=1", "B_TRY=0"),
                grubEditenv(grubenv));
        assertTrue("the node is back up on 2.0.0", node.running());
        Processes.await("the node reports 2.0.0 again", Duration.ofSeconds(30), () -> orchestrator.json("GET",
                "/api/v1/projects/ab/hosts?status=RUNNING", null).get("total").asInt() == 1);
    }
}
