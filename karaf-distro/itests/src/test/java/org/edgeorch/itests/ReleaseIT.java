package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The release pipeline in the running orchestrator against a real docker-registry (started in the test
 * JVM, notifying the orchestrator's webhook): keys made by openssl, releases published with
 * {@code edge:release-publish} and the standalone {@code bin/edge-release-publish}, detected within
 * seconds, verified, offered to a project's profile, and seen over REST, SOAP and the shell; a release
 * signed by an unknown key is rejected with its reason and never offered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReleaseIT extends HttpItestSupport {

    private static final int HTTP_PORT = 18187;
    private static final String WEBHOOK_TOKEN = "itest-webhook-token";

    @Configuration
    public Option[] config() {
        String registry = TestRegistry.start(URI.create("http://127.0.0.1:" + HTTP_PORT + "/api/v1/release/notifications"),
                WEBHOOK_TOKEN);
        String cfg = "etc/org.edgeorch.release.cfg";
        return options(distribution("orchestrator", HTTP_PORT, 18107, 11699), adminPassword(),
                editConfigurationFilePut(cfg, "registryUrl", registry),
                editConfigurationFilePut(cfg, "webhookToken", WEBHOOK_TOKEN),
                editConfigurationFilePut(cfg, "pollIntervalSeconds", "3600"),
                editConfigurationFilePut("etc/org.edgeorch.southbound.cfg", "port", "0"),
                systemProperty("edge.it.registry").value(registry));
    }

    /** Runs a command in {@code dir}; returns its output, failing on a non-zero exit. */
    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " timed out", p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
        return out;
    }

    private static void key(Path dir, String name) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                "/CN=" + name, "-days", "30", "-keyout", name + ".key", "-out", name + ".crt");
    }

    private List<String> versions(String project, String profile) {
        List<String> out = new ArrayList<>();
        json(call("GET", "/api/v1/projects/" + project + "/os-profiles/" + profile + "/resources", token, null))
                .forEach(r -> out.add(r.get("version").asText()));
        return out;
    }

    private JsonNode event(String version) {
        for (JsonNode e : json(call("GET", "/api/v1/releases/events?profile=emt", token, null))) {
            if (version.equals(e.get("version").asText())) {
                return e;
            }
        }
        return null;
    }

    @Test
    public void signedReleasesAreDetectedVerifiedAndOfferedAndForgeriesAreNot() throws Exception {
        awaitStatusUp("database", "camel");
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "release");
        key(work, "release");
        key(work, "stranger");
        byte[] image = new byte[3 << 20];
        new Random(42).nextBytes(image);
        Files.write(work.resolve("emt.raw"), image);

        String pem = Files.readString(work.resolve("release.crt")).replace("\n", "\\n");
        created(call("POST", "/api/v1/release-signers", token, "{\"name\":\"release-2026\",\"certificate\":\"" + pem + "\"}"));
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"rel\"}"));
        created(call("POST", "/api/v1/projects/rel/os-profiles", token,
                "{\"name\":\"emt\",\"releaseProfile\":\"emt\",\"versionRange\":\"~1.4.0\"}"));

        // Published from the orchestrator's shell, with shell progress; the webhook makes it an OS resource in seconds.
        String published = shell("edge:release-publish --profile emt --version 1.4.1 --arch x86_64 --fixed-cves CVE-2024-3094"
                + " --key " + work.resolve("release.key") + " --cert " + work.resolve("release.crt") + " " + work.resolve("emt.raw"));
        assertTrue(published, published.contains("os/emt:1.4.1@sha256:") && published.contains("100%"));
        long start = System.nanoTime();
        await("1.4.1 offered to the project", Duration.ofSeconds(15), () -> versions("rel", "emt").contains("1.4.1"));
        assertTrue("detected in " + (System.nanoTime() - start) / 1_000_000 + " ms",
                System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15));
        assertEquals("WEBHOOK", event("1.4.1").get("source").asText());
        JsonNode resource = json(call("GET", "/api/v1/projects/rel/os-profiles/emt/resources/1.4.1", token, null));
        assertEquals("CVE-2024-3094", resource.get("release").get("fixedCves").get(0).asText());
        assertTrue(resource.get("latest").asBoolean());

        // The standalone publisher of the distribution, signing with a key the trust store does not hold.
        run(Path.of(System.getProperty("karaf.home")), "bin/edge-release-publish", "--registry", System.getProperty("edge.it.registry"),
                "--profile", "emt", "--version", "1.4.2", "--os-type", "IMMUTABLE", "--arch", "x86_64",
                "--key", work.resolve("stranger.key").toString(), "--cert", work.resolve("stranger.crt").toString(),
                work.resolve("emt.raw").toString());
        await("1.4.2 rejected", Duration.ofSeconds(15), () -> event("1.4.2") != null);
        JsonNode rejected = event("1.4.2");
        assertEquals("REJECTED", rejected.get("outcome").asText());
        assertEquals("UNKNOWN_SIGNER", rejected.get("reason").asText());
        assertEquals(List.of("1.4.1"), versions("rel", "emt"));
        assertEquals(404, call("GET", "/api/v1/releases/emt/1.4.2", token, null).statusCode());

        // The same over SOAP and the shell.
        String soap = soap("/soap/releases", token, null, "<p:listOsResources><p:project>rel</p:project>"
                + "<p:profile>emt</p:profile></p:listOsResources>");
        assertTrue(soap, soap.contains("1.4.1") && !soap.contains("1.4.2"));
        String events = shell("edge:release-events --profile emt");
        assertTrue(events, events.contains("UNKNOWN_SIGNER") && events.contains("ACCEPTED"));
        String list = shell("edge:os-resource-list rel emt");
        assertTrue(list, list.contains("1.4.1"));

        // A manual re-check of a rejected tag, once its signer is trusted, accepts it.
        pem = Files.readString(work.resolve("stranger.crt")).replace("\n", "\\n");
        created(call("POST", "/api/v1/release-signers", token, "{\"name\":\"stranger\",\"certificate\":\"" + pem + "\"}"));
        HttpResponse<String> check = call("POST", "/api/v1/releases/check", token, "{\"repository\":\"os/emt\",\"tag\":\"1.4.2\"}");
        assertEquals(check.body(), 200, check.statusCode());
        assertTrue(check.body(), check.body().contains("ACCEPTED"));
        assertEquals(List.of("1.4.2", "1.4.1"), versions("rel", "emt"));
    }
}
