package org.edgeorch.apps.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.edgeorch.apps.Apps.AppVersion;
import org.edgeorch.apps.internal.VersionIntake.Intake;
import org.edgeorch.apps.oci.AppArtifact;
import org.edgeorch.apps.oci.AppPublishTool;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.release.RegistryPushListener.RegistryPush;
import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.release.internal.ReleaseServiceImpl;
import org.edgeorch.release.oci.SignedArtifacts;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.SecretBox;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application versions published to a real registry with the standalone publisher and found by detection, on Derby
 * with the real release trust store: signed ones become versions, tampered, untrusted and unsigned ones are refused
 * and audited, other artifacts are ignored, and each tag is checked once.
 */
class AppDetectionTest {

    private static final String P = "acme-p1";

    @TempDir
    Path dir;

    TenancyFixture t;
    ReleaseServiceImpl releases;
    AppServiceImpl apps;
    RegistryHarness registry;
    AppDetector detector;
    CamelContext camel;
    Caller admin;
    HostCertificateAuthority key;
    HostCertificateAuthority stranger;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir.resolve("db"));
        t.organizationWithProject("acme");
        admin = t.login("acme-admin");
        releases = new ReleaseServiceImpl(t.db, t.tenancy, t.audit, AppServiceTest.releaseConfig(dir.resolve("cache")));
        apps = new AppServiceImpl(t.db, t.tenancy, t.audit, releases, SecretBox.fromFile(dir.resolve("apps.key")),
                Clock.systemUTC());
        key = HostCertificateAuthority.createRoot("apps-2026", Duration.ofDays(30));
        stranger = HostCertificateAuthority.createRoot("stranger", Duration.ofDays(30));
        releases.addSigner(t.admin(), "apps-2026", HostCertificateAuthority.pem(key.certificate()));
        for (HostCertificateAuthority k : List.of(key, stranger)) {
            String name = k == key ? "release" : "stranger";
            Files.writeString(dir.resolve(name + ".key"), k.privateKeyPem());
            Files.writeString(dir.resolve(name + ".crt"), HostCertificateAuthority.pem(k.certificate()));
        }
        registry = RegistryHarness.start();
        detector = new AppDetector(() -> Optional.of(registry.client()), t.db, apps, "apps/", 100);
    }

    @AfterEach
    void tearDown() {
        if (camel != null) {
            camel.stop();
        }
        registry.close();
    }

    private record Run(int status, String out, String err) {
    }

    private Run tool(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AppPublishTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run publish(String prefix, String signer, String application, String version) throws Exception {
        Path manifest = Files.writeString(dir.resolve(application + "-" + version + ".json"),
                AppServiceTest.manifest(application, version, AppServiceTest.TEMPLATE));
        return tool("--registry", registry.uri().toString(), "--prefix", prefix, "--project", P,
                "--key", dir.resolve(signer + ".key").toString(), "--cert", dir.resolve(signer + ".crt").toString(),
                manifest.toString());
    }

    private Optional<Intake> detect(String application, String version) {
        return detector.process(new AppCandidate("apps/" + P + "/" + application, version, null, DetectionSource.POLL));
    }

    private List<String> failedDetections() {
        return t.db.inTransaction(c -> Sql.strings(c, "SELECT detail FROM audit_event WHERE action = 'app.version.detect'"
                + " AND outcome = 'FAILED' ORDER BY id"));
    }

    @Test
    void aVersionPublishedWithTheStandaloneToolIsFoundSignedOnceAndItsApplicationCreated() throws Exception {
        Run run = publish("apps/", "release", "shop", "1.0.0");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("apps/acme-p1/shop:1.0.0@sha256:"), run.out());

        Intake intake = detect("shop", "1.0.0").orElseThrow();
        assertEquals(Intake.Outcome.ACCEPTED, intake.outcome(), intake.detail());
        AppVersion v = apps.version(admin, P, "shop", "1.0.0");
        assertTrue(v.signer().contains("apps-2026"), v.signer());
        assertEquals(AppServiceImpl.DETECTOR, v.publishedBy());
        assertEquals(List.of("1.0.0"), apps.application(admin, P, "shop").versions());
        assertEquals(Optional.empty(), detect("shop", "1.0.0"), "a tag is checked once");

        // Versions are immutable: the same tag again is refused by the publisher, and nothing is pushed.
        Run again = publish("apps/", "release", "shop", "1.0.0");
        assertEquals(1, again.status(), again.err());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void tamperedUntrustedAndUnsignedVersionsAreRefusedAuditedAndNeverAdded() throws Exception {
        // Signed for real under a staging prefix detection does not watch, then copied with one byte of the manifest
        // changed and the original signature.
        assertEquals(0, publish("staging/", "release", "web", "2.0.0").status());
        OciClient client = registry.client();
        OciManifest staged = OciManifest.parse(client.manifest("staging/" + P + "/web", "2.0.0").bytes());
        byte[] manifest = client.blobBytes("staging/" + P + "/web",
                SignedArtifacts.layer(staged, AppArtifact.MANIFEST_MEDIA_TYPE).digest(), 65536);
        byte[] signature = client.blobBytes("staging/" + P + "/web",
                SignedArtifacts.layer(staged, AppArtifact.SIGNATURE_MEDIA_TYPE).digest(), 65536);
        byte[] tampered = new String(manifest, StandardCharsets.UTF_8).replace("18080:8080", "18081:8080")
                .getBytes(StandardCharsets.UTF_8);
        SignedArtifacts.push(client, "apps/" + P + "/web", "2.0.0", AppArtifact.ARTIFACT_TYPE, List.of(),
                new SignedArtifacts.Part(tampered, AppArtifact.MANIFEST_MEDIA_TYPE, "m.json"),
                new SignedArtifacts.Part(signature, AppArtifact.SIGNATURE_MEDIA_TYPE, "m.cms"), Map.of());
        Intake refused = detect("web", "2.0.0").orElseThrow();
        assertEquals(Intake.Outcome.REJECTED, refused.outcome());
        assertTrue(refused.detail().contains("BAD_SIGNATURE"), refused.detail());

        assertEquals(0, publish("apps/", "stranger", "web", "2.0.1").status());
        Intake untrusted = detect("web", "2.0.1").orElseThrow();
        assertTrue(untrusted.detail().contains("UNKNOWN_SIGNER"), untrusted.detail());

        SignedArtifacts.push(client, "apps/" + P + "/web", "2.0.2", AppArtifact.ARTIFACT_TYPE, List.of(),
                new SignedArtifacts.Part(tampered, AppArtifact.MANIFEST_MEDIA_TYPE, "m.json"),
                new SignedArtifacts.Part(new byte[] {0}, "application/octet-stream", "not-a-signature"), Map.of());
        Intake unsigned = detect("web", "2.0.2").orElseThrow();
        assertTrue(unsigned.detail().contains("no signature layer"), unsigned.detail());

        List<String> failed = failedDetections();
        assertEquals(3, failed.size(), failed.toString());
        assertTrue(failed.get(0).contains("BAD_SIGNATURE"), failed.toString());
        assertTrue(apps.applications(admin, P).isEmpty(), "a refused version creates nothing");
        assertEquals(Optional.empty(), detect("web", "2.0.0"), "a refused tag is not checked again");
    }

    @Test
    void otherArtifactsInTheRepositoriesAreIgnoredAndAWrongToolCallChangesNothing() throws Exception {
        OciClient client = registry.client();
        String digest = SignedArtifacts.push(client, "apps/" + P + "/web/images", "1.0", "application/vnd.example", List.of(),
                new SignedArtifacts.Part(new byte[] {1}, "application/octet-stream", "a"),
                new SignedArtifacts.Part(new byte[] {2}, "application/octet-stream", "b"), Map.of());
        assertEquals(Intake.Outcome.IGNORED, detector.process(new AppCandidate("apps/" + P + "/web/images", "1.0", digest,
                DetectionSource.WEBHOOK)).orElseThrow().outcome());
        SignedArtifacts.push(client, "apps/" + P + "/web", "0.1", "application/vnd.example", List.of(),
                new SignedArtifacts.Part(new byte[] {1}, "application/octet-stream", "a"),
                new SignedArtifacts.Part(new byte[] {2}, "application/octet-stream", "b"), Map.of());
        assertEquals(Intake.Outcome.IGNORED, detect("web", "0.1").orElseThrow().outcome());
        assertTrue(failedDetections().isEmpty());

        Run noProject = tool("--registry", registry.uri().toString(), "--key", "k", "--cert", "c", "m.json");
        assertEquals(2, noProject.status());
        assertTrue(noProject.err().contains("--project is required"), noProject.err());
        Path bad = Files.writeString(dir.resolve("bad.json"), AppServiceTest.manifest("web", "3.0.0", "[]")
                .replace("CONTAINER", "WASM"));
        Run invalid = tool("--registry", registry.uri().toString(), "--project", P, "--key", dir.resolve("release.key").toString(),
                "--cert", dir.resolve("release.crt").toString(), bad.toString());
        assertEquals(2, invalid.status());
        assertTrue(invalid.err().contains("manifest.runtime"), invalid.err());
        Run badProject = tool("--registry", registry.uri().toString(), "--project", "Not A Project", "--key",
                dir.resolve("release.key").toString(), "--cert", dir.resolve("release.crt").toString(), bad.toString());
        assertEquals(2, badProject.status());
        assertTrue(badProject.err().contains("project 'Not A Project' must be"), badProject.err());
        assertEquals(0, registry.requestCount("PUT", "/v2/apps/acme-p1/web/manifests/3.0.0"), "nothing pushed");
    }

    /** The application's versions; none while detection has not created it. */
    private int versionCount(String application) {
        try {
            return apps.versions(admin, P, application).size();
        } catch (org.edgeorch.tenancy.TenancyException e) {
            return 0;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theRoutesFindVersionsByNotificationAndByPollingOnlyWhenLeading() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean leader = new java.util.concurrent.atomic.AtomicBoolean(false);
        AppRoutes routes = new AppRoutes(detector, 1, leader::get);
        camel = new DefaultCamelContext();
        camel.addRoutes(routes);
        camel.start();
        assertEquals("apps/", routes.repositoryPrefix());

        Run pushed = publish("apps/", "release", "web", "1.0.0");
        String digest = pushed.out().strip().substring(pushed.out().indexOf('@') + 1);
        assertEquals(1, routes.pushed(List.of(new RegistryPush("apps/" + P + "/web", "1.0.0", digest))));
        await("the notified version is added", () -> versionCount("web") == 1);

        assertEquals(0, publish("apps/", "release", "web", "1.1.0").status());
        assertEquals(0, registry.requestCount("GET", "/v2/_catalog"), "a follower does not poll");
        leader.set(true);
        await("the polled version is added", () -> versionCount("web") == 2);
        assertEquals(List.of("1.1.0", "1.0.0"), apps.versions(admin, P, "web").stream().map(AppVersion::version).toList());
    }
}
