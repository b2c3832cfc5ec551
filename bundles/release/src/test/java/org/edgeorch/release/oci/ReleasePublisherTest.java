package org.edgeorch.release.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.oci.testing.TestFiles;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
import org.edgeorch.spi.release.ReleaseManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing a release to a real docker-registry 2.8, signed by the openssl command line. */
class ReleasePublisherTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:15:30.123Z"), ZoneOffset.UTC);
    private static final ReleasePublisher PUBLISHER = new ReleasePublisher(CLOCK, false);

    private static RegistryHarness registry;
    private static OciClient client;
    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        run(keys, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=release", "-days", "30", "-keyout", "k.pem", "-out", "c.pem");
        registry = RegistryHarness.start();
        client = registry.client();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Signs as a release pipeline would: a detached CMS signature in DER by the openssl command line. */
    static byte[] opensslSign(byte[] content) throws IOException {
        Path work = Files.createTempDirectory(keys, "sign");
        Files.write(work.resolve("m.json"), content);
        run(work, "openssl", "cms", "-sign", "-binary", "-in", "m.json", "-signer", keys.resolve("c.pem").toString(),
                "-inkey", keys.resolve("k.pem").toString(), "-outform", "DER", "-out", "s.der");
        return Files.readAllBytes(work.resolve("s.der"));
    }

    static ReleaseManifest template(String profile, String version) {
        return new ReleaseManifest(null, profile, version, OsType.IMMUTABLE, "x86_64", null, 0, "SECURE_BOOT_AND_FDE",
                "Edge Microvisor Toolkit", List.of("CVE-2024-3094"), List.of("CVE-2023-4863", "CVE-2024-12345"), null);
    }

    @Test
    void aReleaseIsPublishedAndReadBackLayerByLayer() throws Exception {
        Path image = dir.resolve("edge-microvisor-1.4.2.raw");
        TestFiles.writeRandom(image, 3 << 20);
        AtomicReference<byte[]> signed = new AtomicReference<>();
        AtomicReference<byte[]> signature = new AtomicReference<>();
        List<Long> progress = new ArrayList<>();

        ReleasePublisher.Published published = PUBLISHER.publish(client, ReleaseArtifact.DEFAULT_PREFIX,
                template("edge-microvisor", "1.4.2"), image, content -> {
                    signed.set(content);
                    signature.set(opensslSign(content));
                    return signature.get();
                }, progress::add);

        Descriptor imageBlob = Descriptor.of(image, ReleaseArtifact.IMAGE_MEDIA_TYPE);
        assertEquals("os/edge-microvisor", published.repository());
        assertEquals("1.4.2", published.tag());
        assertEquals(imageBlob.digest(), published.imageDigest());
        assertEquals(3 << 20, published.size());
        assertEquals(3L << 20, progress.get(progress.size() - 1));
        ReleaseManifest manifest = published.manifest();
        assertEquals(ReleaseManifest.SCHEMA, manifest.schema());
        assertEquals(imageBlob.digest(), "sha256:" + manifest.imageSha256());
        assertEquals(3 << 20, manifest.imageSize());
        assertEquals("2025-03-01T10:15:30Z", manifest.created());
        assertArrayEquals(ReleasePublisher.canonicalJson(manifest), signed.get());

        OciClient.Fetched fetched = client.manifest("os/edge-microvisor", "1.4.2");
        assertEquals(published.manifestDigest(), fetched.digest());
        OciManifest artifact = fetched.ociManifest();
        assertEquals(ReleaseArtifact.ARTIFACT_TYPE, artifact.artifactType());
        assertEquals(Descriptor.EMPTY_CONFIG, artifact.config());
        assertEquals(Map.of(ReleasePublisher.ANNOTATION_VERSION, "1.4.2", ReleasePublisher.ANNOTATION_CREATED, "2025-03-01T10:15:30Z",
                ReleasePublisher.ANNOTATION_TITLE, "edge-microvisor", ReleasePublisher.ANNOTATION_DESCRIPTION, "Edge Microvisor Toolkit"),
                artifact.annotations());
        assertEquals(List.of(ReleaseArtifact.IMAGE_MEDIA_TYPE, ReleaseArtifact.MANIFEST_MEDIA_TYPE, ReleaseArtifact.SIGNATURE_MEDIA_TYPE),
                artifact.layers().stream().map(Descriptor::mediaType).toList());

        Descriptor imageLayer = artifact.layer(ReleaseArtifact.IMAGE_MEDIA_TYPE).orElseThrow();
        assertEquals(imageBlob.digest(), imageLayer.digest());
        assertEquals(image.getFileName().toString(), imageLayer.annotations().get(ReleasePublisher.ANNOTATION_TITLE));
        byte[] manifestJson = client.blobBytes("os/edge-microvisor",
                artifact.layer(ReleaseArtifact.MANIFEST_MEDIA_TYPE).orElseThrow().digest(), 64 << 10);
        assertArrayEquals(signed.get(), manifestJson);
        assertEquals(manifest, ReleasePublisher.parse(manifestJson));
        byte[] signatureBlob = client.blobBytes("os/edge-microvisor",
                artifact.layer(ReleaseArtifact.SIGNATURE_MEDIA_TYPE).orElseThrow().digest(), 64 << 10);
        assertArrayEquals(signature.get(), signatureBlob);

        // The detached signature verifies over exactly the bytes in the registry.
        Files.write(dir.resolve("pulled.json"), manifestJson);
        Files.write(dir.resolve("pulled.der"), signatureBlob);
        String verified = run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "pulled.der",
                "-content", "pulled.json", "-CAfile", keys.resolve("c.pem").toString(), "-purpose", "any", "-out", "/dev/null");
        assertTrue(verified.contains("Verification successful"), verified);
    }

    @Test
    void aPublishedVersionIsNotPublishedAgainUnlessOverwriteIsAsked() throws Exception {
        Path image = dir.resolve("image.raw");
        Files.writeString(image, "first image");
        ReleasePublisher.Published first = PUBLISHER.publish(client, "os/", template("immutable", "2.0.0"), image,
                content -> new byte[] {1}, null);

        Files.writeString(image, "second image");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> PUBLISHER.publish(client, "os/",
                template("immutable", "2.0.0"), image, content -> new byte[] {1}, null));
        assertEquals("release os/immutable:2.0.0 already exists (" + first.manifestDigest()
                + "); releases are immutable: publish a new version", refused.getMessage());
        assertEquals(first.manifestDigest(), client.manifestDigest("os/immutable", "2.0.0").orElseThrow());

        ReleasePublisher.Published repaired = new ReleasePublisher(CLOCK, true).publish(client, "os/", template("immutable", "2.0.0"),
                image, content -> new byte[] {2}, null);
        assertNotEquals(first.manifestDigest(), repaired.manifestDigest());
        assertEquals(repaired.manifestDigest(), client.manifestDigest("os/immutable", "2.0.0").orElseThrow());
    }

    @Test
    void buildMetadataIsTaggedWithAnUnderscore() throws Exception {
        Path image = dir.resolve("image.raw");
        Files.writeString(image, "built");
        ReleasePublisher.Published published = PUBLISHER.publish(client, "os/", template("edge", "1.0.0-rc.1+build.7"), image,
                content -> new byte[] {1}, null);
        assertEquals("1.0.0-rc.1_build.7", published.tag());
        assertEquals("1.0.0-rc.1+build.7", published.manifest().version());
        assertEquals("1.0.0-rc.1+build.7", client.manifest("os/edge", "1.0.0-rc.1_build.7").ociManifest()
                .annotations().get(ReleasePublisher.ANNOTATION_VERSION));
    }

    @Test
    void invalidInputsAreRefusedWithWhatIsWrongBeforeAnyRequest() throws IOException {
        OciClient nowhere = new OciClient(URI.create("http://127.0.0.1:1"));
        Path image = dir.resolve("image.raw");
        Files.writeString(image, "image");
        ReleaseManifest good = template("edge", "1.0.0");
        Map<ReleaseManifest, String> cases = Map.of(
                with(good, "Edge", good.version(), good.architecture(), good.knownCves()), "profile 'Edge' is not a valid profile name",
                with(good, "edge", "1.0", good.architecture(), good.knownCves()), "version '1.0' is not a semantic version MAJOR.MINOR.PATCH",
                with(good, "edge", "01.0.0", good.architecture(), good.knownCves()), "version '01.0.0' is not a semantic version",
                with(good, "edge", "1.0.0", " ", good.knownCves()), "architecture is required",
                with(good, "edge", "1.0.0", "x86_64", List.of("CVE-24-1")), "knownCves: 'CVE-24-1' is not a CVE identifier",
                new ReleaseManifest(null, "edge", "1.0.0", null, "x86_64", null, 0, null, null, null, null, null), "osType is required");
        cases.forEach((template, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PUBLISHER.publish(nowhere, "os/", template, image, content -> new byte[] {1}, null));
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        });
        IllegalArgumentException badPrefix = assertThrows(IllegalArgumentException.class,
                () -> PUBLISHER.publish(nowhere, "OS/", good, image, content -> new byte[] {1}, null));
        assertTrue(badPrefix.getMessage().startsWith("prefix 'OS/' and profile 'edge' make an invalid repository name"), badPrefix.getMessage());
        IllegalArgumentException noImage = assertThrows(IllegalArgumentException.class,
                () -> PUBLISHER.publish(nowhere, "os/", good, dir.resolve("missing.raw"), content -> new byte[] {1}, null));
        assertTrue(noImage.getMessage().endsWith("missing.raw is not a readable file"), noImage.getMessage());
    }

    private static ReleaseManifest with(ReleaseManifest m, String profile, String version, String architecture, List<String> knownCves) {
        return new ReleaseManifest(m.schema(), profile, version, m.osType(), architecture, m.imageSha256(), m.imageSize(),
                m.securityFeature(), m.description(), knownCves, m.fixedCves(), m.created());
    }

    @Test
    void theCanonicalJsonHasItsKeysInAlphabeticalOrderAndNoWhitespace() {
        ReleaseManifest manifest = new ReleaseManifest(ReleaseManifest.SCHEMA, "edge", "1.0.0", OsType.MUTABLE, "aarch64",
                "ab".repeat(32), 42, "NONE", "é", List.of(), List.of("CVE-2024-0001"), "2025-03-01T10:15:30Z");
        String json = new String(ReleasePublisher.canonicalJson(manifest), StandardCharsets.UTF_8);
        assertEquals("{\"architecture\":\"aarch64\",\"created\":\"2025-03-01T10:15:30Z\",\"description\":\"é\",\"fixedCves\":[\"CVE-2024-0001\"],"
                + "\"imageSha256\":\"" + "ab".repeat(32) + "\",\"imageSize\":42,\"knownCves\":[],\"osType\":\"MUTABLE\",\"profile\":\"edge\","
                + "\"schema\":\"edgeorch.release/v1\",\"securityFeature\":\"NONE\",\"version\":\"1.0.0\"}", json);
        assertEquals(manifest, ReleasePublisher.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parseRefusesWhatPublishWouldNotHaveWritten() {
        String good = new String(ReleasePublisher.canonicalJson(new ReleaseManifest(ReleaseManifest.SCHEMA, "edge", "1.0.0", OsType.MUTABLE,
                "aarch64", "ab".repeat(32), 42, "NONE", "", List.of(), List.of(), "2025-03-01T10:15:30Z")), StandardCharsets.UTF_8);
        Map<String, String> cases = Map.of(
                good.replace("{", "{\"extra\":1,"), "Unrecognized field \"extra\"",
                good.replace("edgeorch.release/v1", "edgeorch.release/v2"), "release manifest schema 'edgeorch.release/v2' is not edgeorch.release/v1",
                good.replace("\"imageSize\":42,", ""), "not a release manifest: Missing creator property 'imageSize'",
                good.replace("{", "{\"profile\":\"other\","), "not a release manifest: Duplicate field 'profile'",
                good.replace("\"ab", "\"AB"), "imageSha256 '",
                good.replace("2025-03-01T10:15:30Z", "yesterday"), "created 'yesterday' is not an ISO-8601",
                good + "{}", "not a release manifest: Trailing token");
        cases.forEach((json, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReleasePublisher.parse(json.getBytes(StandardCharsets.UTF_8)), json);
            assertTrue(e.getMessage().contains(message), e.getMessage());
        });
    }

    private static String run(Path workDir, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }
}
