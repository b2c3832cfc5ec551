package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciManifest;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Application versions published like OS releases, against the orchestrator and a real registry (docker-registry in
 * the test JVM, notifying the orchestrator's release webhook): the standalone {@code bin/edge-app-publish} and
 * {@code edge:app-publish} sign with a key made by openssl and push; the webhook makes the version appear, signed;
 * a copy whose manifest was changed after signing is refused and audited, and no version appears.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppPublishIT extends HttpItestSupport {

    private static final int HTTP_PORT = 18198;
    private static final String WEBHOOK_TOKEN = "itest-app-webhook-token";
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Configuration
    public Option[] config() {
        String registry = TestRegistry.start(URI.create("http://127.0.0.1:" + HTTP_PORT + "/api/v1/release/notifications"),
                WEBHOOK_TOKEN);
        String cfg = "etc/org.edgeorch.release.cfg";
        return options(distribution("orchestrator", HTTP_PORT, 18118, 12399), adminPassword(),
                editConfigurationFilePut(cfg, "registryUrl", registry),
                editConfigurationFilePut(cfg, "webhookToken", WEBHOOK_TOKEN),
                editConfigurationFilePut(cfg, "pollIntervalSeconds", "3600"),
                editConfigurationFilePut("etc/org.edgeorch.apps.cfg", "pollIntervalSeconds", "3600"),
                editConfigurationFilePut("etc/org.edgeorch.southbound.cfg", "port", "0"),
                systemProperty("edge.it.registry").value(registry));
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " timed out", p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
        return out;
    }

    private static String manifest(String version, String greeting) {
        return "{\"schemaVersion\":1,\"application\":\"web\",\"version\":\"" + version + "\",\"runtime\":\"CONTAINER\","
                + "\"artifacts\":[{\"name\":\"web\",\"repository\":\"apps/images/web\",\"digest\":\"" + DIGEST + "\"}],"
                + "\"parameters\":[{\"name\":\"GREETING\",\"type\":\"STRING\",\"defaultValue\":\"" + greeting + "\"}]}";
    }

    private List<String> versions() {
        java.net.http.HttpResponse<String> r = call("GET", "/api/v1/projects/store/apps/web/versions", token, null);
        List<String> out = new ArrayList<>();
        if (r.statusCode() == 200) {
            json(r).forEach(v -> out.add(v.get("version").asText()));
        }
        return out;
    }

    @Test
    public void versionsPublishedToTheRegistryAppearSignedAndTamperedOnesAreRefused() throws Exception {
        awaitStatusUp("database", "camel");
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "app-publish");
        run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                "/CN=apps-release", "-days", "30", "-keyout", "release.key", "-out", "release.crt");
        String pem = Files.readString(work.resolve("release.crt")).replace("\n", "\\n");
        created(call("POST", "/api/v1/release-signers", token, "{\"name\":\"apps-release\",\"certificate\":\"" + pem + "\"}"));
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"store\"}"));
        String registry = System.getProperty("edge.it.registry");

        // The standalone publisher of the distribution, as a build pipeline runs it; the application does not exist
        // yet: detection creates it with the version.
        Path v1 = Files.writeString(work.resolve("web-1.0.0.json"), manifest("1.0.0", "hello"));
        String out = run(Path.of(System.getProperty("karaf.home")), "bin/edge-app-publish", "--registry", registry,
                "--project", "store", "--key", work.resolve("release.key").toString(),
                "--cert", work.resolve("release.crt").toString(), v1.toString());
        assertTrue(out, out.contains("apps/store/web:1.0.0@sha256:"));
        long start = System.nanoTime();
        await("1.0.0 appears", Duration.ofSeconds(30), () -> versions().contains("1.0.0"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("AppPublishIT: 1.0.0 detected through the webhook " + millis + " ms after the push");
        JsonNode version = json(call("GET", "/api/v1/projects/store/apps/web/versions/1.0.0", token, null));
        assertTrue(version.toString(), version.get("signer").asText().contains("CN=apps-release"));
        assertEquals("app-detector", version.get("publishedBy").asText());

        // From the orchestrator's shell, with the key files on the orchestrator.
        Path v2 = Files.writeString(work.resolve("web-1.1.0.json"), manifest("1.1.0", "hi"));
        String shell = shell("edge:app-publish --key " + work.resolve("release.key") + " --cert " + work.resolve("release.crt")
                + " store " + v2);
        assertTrue(shell, shell.contains("apps/store/web:1.1.0@sha256:"));
        await("1.1.0 appears", Duration.ofSeconds(30), () -> versions().contains("1.1.0"));

        // Tampered: signed for real under a prefix detection does not watch, then copied into the application's
        // repository with the manifest changed after signing and the original signature.
        Path v3 = Files.writeString(work.resolve("web-2.0.0.json"), manifest("2.0.0", "hello"));
        run(Path.of(System.getProperty("karaf.home")), "bin/edge-app-publish", "--registry", registry, "--prefix", "staging/",
                "--project", "store", "--key", work.resolve("release.key").toString(),
                "--cert", work.resolve("release.crt").toString(), v3.toString());
        try (OciClient client = new OciClient(URI.create(registry))) {
            OciManifest staged = OciManifest.parse(client.manifest("staging/store/web", "2.0.0").bytes());
            byte[] signature = null;
            for (var layer : staged.layers()) {
                if (layer.mediaType().endsWith(".cms")) {
                    signature = client.blobBytes("staging/store/web", layer.digest(), 65536);
                }
            }
            byte[] tampered = manifest("2.0.0", "pwned").getBytes(StandardCharsets.UTF_8);
            var manifestLayer = client.pushBlob("apps/store/web", tampered, "application/vnd.edgeorch.app.manifest.v1+json");
            var signatureLayer = client.pushBlob("apps/store/web", signature, "application/vnd.edgeorch.app.manifest.v1.cms");
            client.pushBlob("apps/store/web", "{}".getBytes(StandardCharsets.UTF_8), "application/vnd.oci.empty.v1+json");
            client.putManifest("apps/store/web", "2.0.0", OciManifest.artifact("application/vnd.edgeorch.app.version.v1",
                    List.of(manifestLayer, signatureLayer), Map.of()).toJson(), "application/vnd.oci.image.manifest.v1+json");
        }
        await("the tampered version is refused", Duration.ofSeconds(30), () -> call("GET",
                "/api/v1/projects/store/audit?action=app.version.detect", token, null).body().contains("BAD_SIGNATURE"));
        assertEquals(List.of("1.1.0", "1.0.0"), versions());
        assertEquals(404, call("GET", "/api/v1/projects/store/apps/web/versions/2.0.0", token, null).statusCode());
        String audit = call("GET", "/api/v1/projects/store/audit?action=app.version.detect", token, null).body();
        assertTrue(audit, audit.contains("FAILED"));

        // OS release detection is untouched: the release events saw none of these pushes.
        String events = call("GET", "/api/v1/releases/events", token, null).body();
        assertTrue(events, !events.contains("apps/store/web"));
    }
}
