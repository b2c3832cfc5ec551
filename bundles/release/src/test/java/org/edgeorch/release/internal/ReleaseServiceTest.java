package org.edgeorch.release.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.edgeorch.release.ImageDelivery.CachedImage;
import org.edgeorch.release.Releases.EventOutcome;
import org.edgeorch.release.Releases.EventReason;
import org.edgeorch.release.Releases.OsProfile;
import org.edgeorch.release.Releases.OsResource;
import org.edgeorch.release.Releases.ProfileMode;
import org.edgeorch.release.Releases.ProfileSpec;
import org.edgeorch.release.Releases.ReleaseEvent;
import org.edgeorch.release.Releases.ReleaseStatus;
import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.edgeorch.spi.release.ReleaseManifest;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release service against a real docker-registry: publishing, detection by polling, verification and
 * every rejection, OS profiles and resources per project, the image cache, and a restart.
 */
class ReleaseServiceTest {

    private static RegistryHarness registry;
    private static OciClient client;

    @TempDir
    Path dir;

    TenancyFixture t;
    ReleaseServiceImpl service;
    Caller admin;
    Caller acme;
    Key key;

    /** A release signing key and its certificate. */
    record Key(HostCertificateAuthority ca) {
        static Key create(String name) {
            return new Key(HostCertificateAuthority.createRoot(name, Duration.ofDays(30)));
        }

        X509Certificate certificate() {
            return ca.certificate();
        }

        String pem() {
            return HostCertificateAuthority.pem(ca.certificate());
        }

        byte[] sign(byte[] content) {
            PrivateKey k = Pems.privateKey(ca.privateKeyPem());
            return ReleaseSignatures.sign(content, k, List.of(ca.certificate()));
        }
    }

    @BeforeAll
    static void startRegistry() {
        registry = RegistryHarness.start();
        client = registry.client();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir.resolve("db"));
        t.organizationWithProject("acme");
        t.organizationWithProject("other");
        admin = t.admin();
        acme = t.login("acme-admin");
        service = service();
        key = Key.create("release-2026");
        service.addSigner(admin, "release-2026", key.pem());
    }

    /** Each test uses its own repository prefix, so tests share the registry without seeing each other. */
    private String prefix() {
        return "t" + Integer.toHexString(System.identityHashCode(this)) + "/";
    }

    private ReleaseServiceImpl service() throws IOException {
        return new ReleaseServiceImpl(t.db, t.tenancy, t.audit, Clock.systemUTC(), config(registry.uri().toString(), prefix()),
                dir.resolve("cache"));
    }

    static ReleaseConfig config(String url, String prefix) {
        return (ReleaseConfig) java.lang.reflect.Proxy.newProxyInstance(ReleaseConfig.class.getClassLoader(),
                new Class<?>[] {ReleaseConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "registryUrl" -> url;
                    case "repositoryPrefix" -> prefix;
                    case "annotationType" -> (Class<? extends Annotation>) ReleaseConfig.class;
                    default -> method.getDefaultValue();
                });
    }

    private static ReleaseManifest template(String profile, String version, String arch) {
        return new ReleaseManifest(null, profile, version, OsType.IMMUTABLE, arch, null, 0, "SECURE_BOOT_AND_FDE",
                "test image", List.of("CVE-2024-3094"), List.of("CVE-2023-4863"), null);
    }

    private Path image(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private ReleasePublisher.Published publish(String profile, String version, Key signer) throws Exception {
        return new ReleasePublisher().publish(client, prefix(), template(profile, version, "x86_64"),
                image(profile + "-" + version, 200_000), signer::sign, null);
    }

    private ReleaseEvent onlyEvent(List<ReleaseEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }

    @Test
    void aSignedReleaseBecomesAnOsResourceOfTheProfilesThatFollowIt() throws Exception {
        service.createProfile(acme, "acme-p1", "microvisor", new ProfileSpec("edge-microvisor", "~1.4.0", null, null, "EMT"));
        service.createProfile(t.login("other-admin"), "other-p1", "manual", new ProfileSpec("edge-microvisor", "*",
                ProfileMode.MANUAL, null, null));
        ReleasePublisher.Published p142 = publish("edge-microvisor", "1.4.2", key);
        publish("edge-microvisor", "1.5.0", key);

        List<ReleaseEvent> events = service.check(admin, null, null);
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.stream().allMatch(e -> e.outcome() == EventOutcome.ACCEPTED), events.toString());
        assertEquals(List.of("1.5.0", "1.4.2"), service.releases(acme, "edge-microvisor", 0, 10).stream().map(r -> r.version()).toList());

        OsProfile profile = service.profile(acme, "acme-p1", "microvisor");
        assertEquals("1.4.2", profile.latest(), "1.5.0 is outside ~1.4.0");
        OsResource resource = service.osResource(acme, "acme-p1", "microvisor", "1.4.2");
        assertTrue(resource.latest());
        assertEquals(p142.imageDigest(), resource.release().imageDigest());
        assertEquals(List.of("CVE-2024-3094"), resource.release().knownCves());
        assertEquals(ReleaseServiceImpl.SYSTEM_ACTOR, resource.importedBy());
        assertTrue(resource.release().signer().contains("release-2026"), resource.release().signer());

        // The manual profile of the other organisation was not offered anything; an import offers it.
        assertEquals(0, service.osResources(t.login("other-admin"), "other-p1", "manual").size());
        assertEquals("1.5.0", service.importRelease(t.login("other-admin"), "other-p1", "manual", "1.5.0").version());

        // Nodes of acme get the image from the cache; other projects' hosts do not learn it exists.
        String acmeId = t.tenancy.project(acme, "acme-p1").id();
        String otherId = t.tenancy.project(t.login("other-admin"), "other-p1").id();
        CachedImage cached = service.image(acmeId, p142.imageDigest()).orElseThrow();
        assertArrayEquals(Files.readAllBytes(dir.resolve("edge-microvisor-1.4.2")), Files.readAllBytes(cached.file()));
        assertTrue(service.image(otherId, p142.imageDigest()).isEmpty());
        assertEquals(registry.uri().toString().replaceAll("/$", "") + "/v2/" + prefix() + "edge-microvisor/blobs/"
                + p142.imageDigest(), service.registryUrl(acmeId, p142.imageDigest()).orElseThrow());

        // Nothing is processed twice, also after a restart.
        assertEquals(List.of(), service.check(admin, null, null));
        assertEquals(List.of(), service().check(admin, null, null));
        assertEquals(2, service.events(admin, "edge-microvisor", null, 0, 50).size());
    }

    @Test
    void everyKindOfBadReleaseIsRejectedWithItsReasonAndNeverOffered() throws Exception {
        service.createProfile(acme, "acme-p1", "os", new ProfileSpec("os", "*", null, null, null));
        String repo = prefix() + "os";

        // unknown key
        publish("os", "1.0.1", Key.create("stranger"));
        assertEquals(EventReason.UNKNOWN_SIGNER, onlyEvent(service.check(admin, repo, "1.0.1")).reason());

        // revoked key
        Key old = Key.create("old-key");
        service.addSigner(admin, "old-key", old.pem());
        service.revokeSigner(admin, "old-key", "key compromise");
        publish("os", "1.0.2", old);
        ReleaseEvent revoked = onlyEvent(service.check(admin, repo, "1.0.2"));
        assertEquals(EventReason.REVOKED_SIGNER, revoked.reason());

        // missing signature, tampered manifest, an image that is not the signed one
        byte[] image = Files.readAllBytes(image("img", 50_000));
        byte[] other = Files.readAllBytes(image("img2", 50_000));
        byte[] manifest = ReleasePublisher.canonicalJson(signedFor("1.0.3", image));
        pushArtifact(repo, "1.0.3", image, manifest, null);
        assertEquals(EventReason.MISSING_SIGNATURE, onlyEvent(service.check(admin, repo, "1.0.3")).reason());

        byte[] m4 = ReleasePublisher.canonicalJson(signedFor("1.0.4", image));
        byte[] tampered = new String(m4, StandardCharsets.UTF_8).replace("test image", "evil image").getBytes(StandardCharsets.UTF_8);
        pushArtifact(repo, "1.0.4", image, tampered, key.sign(m4));
        assertEquals(EventReason.BAD_SIGNATURE, onlyEvent(service.check(admin, repo, "1.0.4")).reason());

        byte[] m5 = ReleasePublisher.canonicalJson(signedFor("1.0.5", image));
        pushArtifact(repo, "1.0.5", other, m5, key.sign(m5));
        ReleaseEvent swapped = onlyEvent(service.check(admin, repo, "1.0.5"));
        assertEquals(EventReason.IMAGE_MISMATCH, swapped.reason(), swapped.detail());

        // a manifest that claims another version than its tag
        byte[] m6 = ReleasePublisher.canonicalJson(signedFor("9.9.9", image));
        pushArtifact(repo, "1.0.6", image, m6, key.sign(m6));
        assertEquals(EventReason.MANIFEST_MISMATCH, onlyEvent(service.check(admin, repo, "1.0.6")).reason());

        // the registry serves other bytes than the ones pushed (its storage was tampered with)
        ReleasePublisher.Published good = publish("os", "1.0.7", key);
        byte[] bytes = Files.readAllBytes(registry.blobFile(good.imageDigest()));
        bytes[1000] ^= 1;
        Files.write(registry.blobFile(good.imageDigest()), bytes);
        ReleaseEvent tamperedImage = onlyEvent(service.check(admin, repo, "1.0.7"));
        assertEquals(EventReason.IMAGE_TAMPERED, tamperedImage.reason(), tamperedImage.detail());

        List<ReleaseEvent> events = service.events(admin, "os", EventOutcome.REJECTED, 0, 50);
        assertEquals(7, events.size(), events.toString());
        assertEquals(List.of(), service.releases(admin, "os", 0, 10));
        assertEquals(0, service.osResources(acme, "acme-p1", "os").size());
        // rejections are final: polling does not look at them again
        assertEquals(List.of(), service.check(admin, null, null));
    }

    private ReleaseManifest signedFor(String version, byte[] image) {
        return new ReleaseManifest(ReleaseManifest.SCHEMA, "os", version, OsType.IMMUTABLE, "x86_64",
                sha256(image), image.length, "NONE", "test image",
                List.of(), List.of(), "2026-11-22T00:00:00Z");
    }

    private static String sha256(byte[] bytes) {
        return Descriptor.of(bytes, "x").digest().substring("sha256:".length());
    }

    /** Pushes an artifact by hand, so that its parts can be wrong in ways the publisher never allows. */
    private static void pushArtifact(String repo, String tag, byte[] image, byte[] manifest, byte[] signature) {
        client.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8), ReleaseArtifact.EMPTY_CONFIG_MEDIA_TYPE);
        List<Descriptor> layers = new ArrayList<>();
        layers.add(client.pushBlob(repo, image, ReleaseArtifact.IMAGE_MEDIA_TYPE));
        layers.add(client.pushBlob(repo, manifest, ReleaseArtifact.MANIFEST_MEDIA_TYPE));
        if (signature != null) {
            layers.add(client.pushBlob(repo, signature, ReleaseArtifact.SIGNATURE_MEDIA_TYPE));
        }
        OciManifest m = OciManifest.artifact(ReleaseArtifact.ARTIFACT_TYPE, layers, Map.of());
        client.putManifest(repo, tag, m.toJson(), ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);
    }

    @Test
    void revokingASignerWithdrawsWhatItSignedAndRotationKeepsTheRest() throws Exception {
        service.createProfile(acme, "acme-p1", "os", new ProfileSpec("rot", "^2.0.0", null, null, null));
        Key next = Key.create("release-2027");
        service.addSigner(admin, "release-2027", next.pem());
        publish("rot", "2.0.0", key);
        publish("rot", "2.1.0", next);
        assertEquals(2, service.check(admin, null, null).size());
        assertEquals("2.1.0", service.profile(acme, "acme-p1", "os").latest());

        service.revokeSigner(admin, "release-2027", "rotated out early");
        assertEquals(ReleaseStatus.REVOKED, service.release(admin, "rot", "2.1.0").status());
        assertEquals("2.0.0", service.profile(acme, "acme-p1", "os").latest(), "withdrawn releases are never the latest");
        String acmeId = t.tenancy.project(acme, "acme-p1").id();
        assertTrue(service.image(acmeId, service.release(admin, "rot", "2.1.0").imageDigest()).isEmpty());
        assertEquals(EventOutcome.WITHDRAWN, service.events(admin, "rot", null, 0, 1).get(0).outcome());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> service.importRelease(acme, "acme-p1", "os", "2.1.0")).reason());
    }

    @Test
    void onlyPlatformAdministratorsManageTheTrustStoreAndProjectsStayApart() throws Exception {
        Caller viewer = t.member("acme", "acme-p1", "viewer", Role.VIEWER);
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> service.addSigner(acme, "mine", Key.create("mine").pem())).reason());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> service.events(acme, null, null, 0, 10)).reason());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> service.createProfile(viewer, "acme-p1", "x", new ProfileSpec("x", "*", null, null, null))).reason());
        service.createProfile(acme, "acme-p1", "x", new ProfileSpec("x", "*", null, null, null));
        Caller other = t.login("other-admin");
        TenancyException e = assertThrows(TenancyException.class, () -> service.profile(other, "acme-p1", "x"));
        assertTrue(e.reason() == Reason.NOT_FOUND || e.reason() == Reason.FORBIDDEN, e.reason().toString());
        assertEquals(1, service.profiles(viewer, "acme-p1").size());

        // bad input is refused with the field, and changes nothing
        assertEquals("versionRange", assertThrows(TenancyException.class,
                () -> service.createProfile(acme, "acme-p1", "y", new ProfileSpec("x", "latest please", null, null, null))).field());
        assertEquals("certificate", assertThrows(TenancyException.class,
                () -> service.addSigner(admin, "junk", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")).field());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> service.addSigner(admin, "again", key.pem())).reason());
        assertEquals(1, service.profiles(acme, "acme-p1").size());
        assertEquals(1, service.signers(admin).size());
    }
}
