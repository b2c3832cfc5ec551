package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.edgeorch.oci.BundleArtifact;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Applications on a real node: the orchestrator distribution, the real registry, the node distribution as its own
 * process with the app agent and the Podman runtime, and real Podman. A tiny image built from Debian's busybox-static
 * is pushed to the registry; a signed version of it is deployed by metadata selector, following {@code ^1.0.0}, before
 * any host exists. A host that onboards into a matching site gets it with no one acting: the node verifies the
 * signature itself, pulls the image by digest and runs it with its parameters (a secret among them, which reaches the
 * container and no log or answer); the state per host comes back to the orchestrator. The host's metadata stops
 * matching: the container goes; matching again, it comes back. 1.1.0 is published: the host moves to it; 2.0.0 (out
 * of range) changes nothing. The deployment deleted, the container is gone.
 */
public class AppNodeIT {

    private static final int HTTP = 18388;
    private static final int SOUTHBOUND = 18644;
    private static final int APP_PORT = 18395;
    private static final String SECRET = "s3cret-node-pa55-0815";
    /** What this sandbox needs to run containers (DESIGN.md); a real host needs none of it. */
    private static final List<String> PODMAN = List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs");

    private RegistryHarness registry;
    private OrchestratorProcess orchestrator;
    private NodeProcess node;
    private Path containersConf;

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
        if (containersConf != null) {
            podman(false, "rm", "-f", "-t", "0", "edge-pos", "edge-pos.previous");
        }
    }

    private String podman(boolean check, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(PODMAN);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", containersConf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(command + " timed out", p.waitFor(120, TimeUnit.SECONDS));
        if (check) {
            assertEquals(command + ": " + out, 0, p.exitValue());
        }
        return out;
    }

    /** Builds a one-binary image from busybox-static and pushes it; answers its manifest digest. */
    private String pushImage(Path work, String repository) throws Exception {
        Path busybox = Path.of("/bin/busybox");
        assertTrue("this test needs Debian's busybox-static (see .ci/deps.sh)", Files.isExecutable(busybox));
        Path root = Files.createDirectories(work.resolve("rootfs/bin"));
        Files.copy(busybox, root.resolve("busybox"));
        for (String tool : List.of("sh", "httpd", "mkdir", "echo", "cat", "sleep")) {
            Files.createSymbolicLink(root.resolve(tool), Path.of("busybox"));
        }
        Path tar = work.resolve("rootfs.tar");
        Process t = new ProcessBuilder("tar", "-C", work.resolve("rootfs").toString(), "-cf", tar.toString(), ".").inheritIO().start();
        assertEquals(0, t.waitFor());
        String local = "localhost/edge-app-node-it:1";
        podman(true, "import", tar.toString(), local);
        Path digest = work.resolve("digest");
        String target = registry.uri().getAuthority() + "/" + repository + ":1.0.0";
        podman(true, "push", "--tls-verify=false", "--digestfile", digest.toString(), local, target);
        podman(false, "rmi", local);
        return Files.readString(digest).strip();
    }

    private static String manifest(String version, String digest) {
        return "{\"schemaVersion\":1,\"application\":\"web\",\"version\":\"" + version + "\",\"runtime\":\"CONTAINER\","
                + "\"artifacts\":[{\"name\":\"web\",\"repository\":\"apps/web\",\"digest\":\"" + digest + "\"}],"
                + "\"container\":{\"command\":[\"sh\",\"-c\",\"mkdir -p /www && echo \\\"$GREETING $DB_PASSWORD\\\""
                + " > /www/index.html && exec httpd -f -p 8080 -h /www\"],\"ports\":[\"" + APP_PORT + ":8080\"]},"
                + "\"parameters\":[{\"name\":\"GREETING\",\"type\":\"STRING\",\"defaultValue\":\"hello\"},"
                + "{\"name\":\"DB_PASSWORD\",\"type\":\"STRING\",\"secret\":true,\"mandatory\":true}]}";
    }

    private static String fetch(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port + "/")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : "HTTP " + r.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private String publish(String base, HostCertificateAuthority key, String version, String digest, String banner)
            throws Exception {
        return publish(base, key, manifest(version, digest).replace("echo \\\"$GREETING", "echo \\\"" + banner + "$GREETING"));
    }

    private String publish(String base, HostCertificateAuthority key, String text) throws Exception {
        byte[] signature = ReleaseSignatures.sign(text.getBytes(StandardCharsets.UTF_8), Pems.privateKey(key.privateKeyPem()),
                List.of(key.certificate()));
        orchestrator.json("POST", base + "/apps/web/versions", OrchestratorProcess.JSON.writeValueAsString(
                Map.of("manifest", text, "signature", Base64.getEncoder().encodeToString(signature))));
        return text;
    }

    private JsonNode status(String base) throws Exception {
        return orchestrator.json("GET", base + "/deployments/pos/status", null);
    }

    private boolean containerGone() throws Exception {
        return podman(true, "ps", "-a", "--filter", "label=org.edgeorch.deployment=pos", "--format", "{{.Names}}").isBlank();
    }

    /** A bundle with nothing but its manifest: ACTIVE once started, unless an import cannot be wired. */
    private static Path bundle(Path dir, String version, String imports) throws IOException {
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        java.util.jar.Attributes a = m.getMainAttributes();
        a.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "app.hello");
        a.putValue("Bundle-Version", version);
        if (imports != null) {
            a.putValue("Import-Package", imports);
        }
        Path jar = dir.resolve("hello-" + version + ".jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }

    private void publishBundle(String base, HostCertificateAuthority key, Path work, String version, String imports)
            throws Exception {
        String digest;
        try (OciClient client = new OciClient(registry.uri())) {
            digest = BundleArtifact.push(client, "apps/hello", version, List.of(bundle(work, version, imports)));
        }
        String text = "{\"schemaVersion\":1,\"application\":\"hello\",\"version\":\"" + version + "\",\"runtime\":\"OSGI\","
                + "\"artifacts\":[{\"name\":\"bundles\",\"repository\":\"apps/hello\",\"digest\":\"" + digest + "\"}],"
                + "\"parameters\":[{\"name\":\"greeting\",\"type\":\"STRING\",\"defaultValue\":\"hello\"}]}";
        byte[] signature = ReleaseSignatures.sign(text.getBytes(StandardCharsets.UTF_8), Pems.privateKey(key.privateKeyPem()),
                List.of(key.certificate()));
        orchestrator.json("POST", base + "/apps/hello/versions", OrchestratorProcess.JSON.writeValueAsString(
                Map.of("manifest", text, "signature", Base64.getEncoder().encodeToString(signature))));
    }

    /** The files and folders under {@code dir} (but those named, relative to its parent) that group or others may use. */
    private static List<String> notOwnerOnly(Path dir, Set<Path> shipped) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path relative = dir.getParent().relativize(p);
                if (shipped.contains(relative) || Files.isSymbolicLink(p)) {
                    continue;
                }
                String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (!perms.endsWith("------")) {
                    out.add(relative + " " + perms);
                }
            }
        }
        return out;
    }

    private JsonNode svcHost(String base) throws Exception {
        JsonNode hosts = orchestrator.json("GET", base + "/deployments/svc/status", null).get("hosts");
        return hosts.size() == 0 ? null : hosts.get(0);
    }

    @Test
    public void aSignedContainerAppFollowsTheFleetAndItsVersionsWithNoOneActing() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "app-node");
        containersConf = Files.writeString(work.resolve("containers.conf"), "[containers]\ndefault_ulimits = []\n");
        podman(false, "rm", "-f", "-t", "0", "edge-pos");
        registry = RegistryHarness.start();
        String digest = pushImage(work, "apps/web");

        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("org.edgeorch.release.cfg", Map.of("registryUrl", registry.uri().toString(), "pollIntervalSeconds", "3600"));
        settings.put("org.edgeorch.southbound.cfg", Map.of("port", String.valueOf(SOUTHBOUND)));
        settings.put("org.edgeorch.fleet.cfg", Map.of("syncIntervalSeconds", "2"));
        orchestrator = new OrchestratorProcess(work.resolve("orchestrator"), HTTP, 18309, 11979, settings);
        orchestrator.start();

        HostCertificateAuthority key = HostCertificateAuthority.createRoot("apps-node-it", Duration.ofDays(30));
        String signerPem = HostCertificateAuthority.pem(key.certificate());
        orchestrator.json("POST", "/api/v1/release-signers", OrchestratorProcess.JSON.writeValueAsString(
                Map.of("name", "apps-node-it", "certificate", signerPem)));
        orchestrator.json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"shop\"}");
        String base = "/api/v1/projects/shop";
        orchestrator.json("POST", base + "/sites", "{\"name\":\"berlin\",\"metadata\":{\"tier\":\"pos\"}}");

        // a signed version, a profile with the secret, a deployment by selector that follows ^1.0.0 — before any host
        orchestrator.json("POST", base + "/apps", "{\"name\":\"web\"}");
        publish(base, key, "1.0.0", digest, "");
        orchestrator.json("POST", base + "/apps/web/versions/1.0.0/profiles", "{\"name\":\"store\",\"values\":{\"DB_PASSWORD\":\""
                + SECRET + "\"}}");
        orchestrator.json("POST", base + "/deployments", "{\"name\":\"pos\",\"application\":\"web\",\"versionRange\":\"^1.0.0\","
                + "\"profile\":\"store\",\"overrides\":{\"GREETING\":\"moin\"},\"targetKind\":\"SELECTOR\",\"selector\":\"tier=pos\"}");
        assertEquals("NO_TARGETS", status(base).get("state").asText());

        // a host onboards into the site (tier=pos): it gets the deployment with no one acting
        Map<String, Map<String, String>> nodeSettings = new LinkedHashMap<>();
        nodeSettings.put("org.edgeorch.agent.apps.cfg", Map.of("resyncSeconds", "2"));
        nodeSettings.put("org.edgeorch.runtime.container.cfg", Map.of("globalOptions", String.join(" ", PODMAN.subList(1, PODMAN.size())),
                "containersConf", containersConf.toString(), "stopTimeoutSeconds", "1", "healthSeconds", "3"));
        node = NodeProcess.enrolling(work.resolve("host/node"), orchestrator, SOUTHBOUND, "shop", "berlin", 14, signerPem, Map.of(),
                nodeSettings);
        node.start();
        Processes.await("the onboarded host runs the container with its parameters", Duration.ofSeconds(120),
                () -> fetch(APP_PORT).equals("moin " + SECRET));
        String host = orchestrator.json("GET", base + "/hosts", null).get("hosts").get(0).get("name").asText();
        String ps = podman(true, "ps", "--filter", "label=org.edgeorch.deployment=pos", "--format", "{{.Names}} {{.Image}}");
        assertTrue(ps, ps.contains("edge-pos " + registry.uri().getAuthority() + "/apps/web@" + digest));
        assertEquals("running", podman(true, "inspect", "--format", "{{.State.Status}}", "edge-pos").strip());
        Processes.await("the orchestrator shows it RUNNING on the host", Duration.ofSeconds(30),
                () -> status(base).get("state").asText().equals("RUNNING"));
        JsonNode running = status(base);
        assertEquals(running.toString(), host, running.get("hosts").get(0).get("host").asText());
        assertEquals(running.toString(), "RUNNING", running.get("hosts").get(0).get("state").asText());
        assertEquals(running.toString(), "1.0.0", running.get("hosts").get(0).get("version").asText());
        assertEquals(running.toString(), 1, running.get("counts").get("RUNNING").asInt());
        // bin/setenv's umask: what the node runtime wrote (its key and certificate, its configuration store, its logs)
        // is its owner's only; the data/ and data/tmp folders come from the distribution as they are
        assertEquals(List.of(), notOwnerOnly(node.home.resolve("data"),
                Set.of(Path.of("data"), Path.of("data/tmp"), Path.of("data/tmp/README"))));
        assertTrue("the walk saw the agent's key", Files.isDirectory(node.home.resolve("data/agent")));

        // level-triggered: a container stopped behind the agent's back runs again
        podman(true, "stop", "-t", "0", "edge-pos");
        Processes.await("the stopped container runs again", Duration.ofSeconds(60), () -> fetch(APP_PORT).equals("moin " + SECRET));

        // the host's metadata stops matching: the app is removed; matching again, it comes back
        orchestrator.json("PATCH", base + "/hosts/" + host, "{\"metadata\":{\"tier\":\"lab\"}}");
        Processes.await("the container is removed from the host that left the selector", Duration.ofSeconds(60), this::containerGone);
        Processes.await("no host targeted and none reports it", Duration.ofSeconds(30),
                () -> status(base).get("state").asText().equals("NO_TARGETS") && status(base).get("hosts").size() == 0);
        orchestrator.json("PATCH", base + "/hosts/" + host, "{\"metadata\":{\"tier\":\"pos\"}}");
        Processes.await("the container is back on the host that matches again", Duration.ofSeconds(60),
                () -> fetch(APP_PORT).equals("moin " + SECRET));

        // auto-upgrade: 1.1.0 published, the host moves to it; 2.0.0 is outside ^1.0.0 and changes nothing
        publish(base, key, "1.1.0", digest, "v1.1 ");
        Processes.await("the host runs 1.1.0", Duration.ofSeconds(60), () -> fetch(APP_PORT).equals("v1.1 moin " + SECRET));
        Processes.await("the orchestrator shows 1.1.0 RUNNING", Duration.ofSeconds(30), () -> {
            JsonNode s = status(base);
            return s.get("version").asText().equals("1.1.0") && s.get("state").asText().equals("RUNNING")
                    && s.get("hosts").get(0).get("version").asText().equals("1.1.0");
        });
        assertEquals("1.1.0", podman(true, "inspect", "--format", "{{index .Config.Labels \"org.edgeorch.version\"}}", "edge-pos").strip());
        publish(base, key, "2.0.0", digest, "v2 ");

        // 1.2.0 exits at once: it fails its health check on the node, which goes back to 1.1.0 and says ROLLED_BACK
        publish(base, key, manifest("1.2.0", digest).replace("exec httpd -f -p 8080 -h /www", "exit 3"));
        Processes.await("the deployment moves to 1.2.0 (2.0.0, published before it, is out of range)", Duration.ofSeconds(30),
                () -> orchestrator.json("GET", base + "/deployments/pos", null).get("version").asText().equals("1.2.0"));
        String upgrades = orchestrator.call("GET", base + "/audit?action=deployment.auto-upgrade", null).body();
        assertTrue(upgrades, upgrades.contains("1.0.0 -> 1.1.0") && upgrades.contains("1.1.0 -> 1.2.0"));
        assertFalse(upgrades, upgrades.contains("-> 2.0.0"));
        Processes.await("the host reports 1.2.0 ROLLED_BACK", Duration.ofSeconds(90), () -> {
            JsonNode h = status(base).get("hosts").get(0);
            return h.get("version").asText().equals("1.2.0") && h.get("state").asText().equals("ROLLED_BACK");
        });
        String reason = status(base).get("hosts").get(0).get("reason").asText();
        assertTrue(reason, reason.contains("exit code 3") && reason.contains("rolled back to 1.1.0"));
        assertEquals("v1.1 moin " + SECRET, fetch(APP_PORT));
        assertEquals("1.1.0", podman(true, "inspect", "--format", "{{index .Config.Labels \"org.edgeorch.version\"}}", "edge-pos").strip());
        assertEquals("edge-pos", podman(true, "ps", "-a", "--filter", "label=org.edgeorch.deployment=pos", "--format",
                "{{.Names}}").strip());
        assertEquals("ERROR", status(base).get("state").asText());
        // not retried at every pass: 1.1.0 stopped behind the agent's back runs again, still ROLLED_BACK, rolled back once
        podman(true, "stop", "-t", "0", "edge-pos");
        Processes.await("1.1.0 runs again after the rollback", Duration.ofSeconds(60), () -> fetch(APP_PORT).equals("v1.1 moin " + SECRET));
        assertEquals("ROLLED_BACK", status(base).get("hosts").get(0).get("state").asText());
        long passes = node.log().lines().filter(l -> l.contains("rolling back to 1.1.0")).count();
        assertEquals(node.log(), 1, passes);

        // an OSGI app: bundles pushed as an OCI artifact, installed into the node's own Karaf, started; 1.1.0, whose
        // bundle cannot resolve, does not start and rolls back to 1.0.0; undeployed, the bundle is uninstalled
        orchestrator.json("POST", base + "/apps", "{\"name\":\"hello\"}");
        publishBundle(base, key, work, "1.0.0", null);
        orchestrator.json("POST", base + "/deployments", "{\"name\":\"svc\",\"application\":\"hello\",\"versionRange\":"
                + "\"^1.0.0\",\"overrides\":{\"greeting\":\"moin\"},\"targetKind\":\"SELECTOR\",\"selector\":\"tier=pos\"}");
        Processes.await("the bundle is ACTIVE on the host", Duration.ofSeconds(60), () -> {
            JsonNode h = svcHost(base);
            return h != null && h.get("state").asText().equals("RUNNING") && h.get("version").asText().equals("1.0.0");
        });
        assertTrue(node.log(), node.log().contains("Installed bundle app.hello 1.0.0 for deployment svc"));
        publishBundle(base, key, work, "1.1.0", "no.such.pkg");
        Processes.await("1.1.0 ROLLED_BACK to 1.0.0", Duration.ofSeconds(60), () -> {
            JsonNode h = svcHost(base);
            return h != null && h.get("state").asText().equals("ROLLED_BACK") && h.get("version").asText().equals("1.1.0");
        });
        String why = svcHost(base).get("reason").asText();
        assertTrue(why, why.contains("does not start") && why.contains("no.such.pkg") && why.contains("rolled back to 1.0.0"));
        assertEquals(204, orchestrator.call("DELETE", base + "/deployments/svc", null).statusCode());
        Processes.await("the bundle is uninstalled", Duration.ofSeconds(60),
                () -> node.log().contains("Uninstalling deployment svc (1.0.0)"));

        // undeployed: the container is gone, and so is the state
        assertEquals(204, orchestrator.call("DELETE", base + "/deployments/pos", null).statusCode());
        Processes.await("the container is removed", Duration.ofSeconds(60), this::containerGone);
        assertEquals(404, orchestrator.call("GET", base + "/deployments/pos/status", null).statusCode());

        // the secret reached the container only: in no log of either side, no answer, no env file left on the node
        assertFalse("the node log shows the secret", node.log().contains(SECRET));
        assertTrue(node.log(), node.log().contains("Deployment pos (1.0.0) is RUNNING"));
        Path orchestratorLog = work.resolve("orchestrator/data/log/karaf.log");
        assertFalse("the orchestrator log shows the secret", Files.readString(orchestratorLog).contains(SECRET));
        assertFalse(orchestrator.call("GET", base + "/audit?limit=500", null).body().contains(SECRET));
        Path envFiles = node.home.resolve("data/apps/container");
        if (Files.exists(envFiles)) {
            try (Stream<Path> files = Files.list(envFiles)) {
                assertEquals("env files left behind", List.of(), files.toList());
            }
        }
    }
}
