package org.edgeorch.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.oci.testing.TestFiles;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI client against a real docker-registry 2.8. */
class OciClientTest {

    private static RegistryHarness registry;
    private static OciClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryHarness.start();
        client = registry.client();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void smallBlobsRoundTripWithTheirDigestChecked() {
        byte[] content = "release notes".getBytes(StandardCharsets.UTF_8);
        Descriptor pushed = client.pushBlob("test/small", content, "text/plain");

        assertEquals(Descriptor.of(content, "text/plain"), pushed);
        assertEquals(content.length, client.blobSize("test/small", pushed.digest()).getAsLong());
        assertArrayEquals(content, client.blobBytes("test/small", pushed.digest(), 1024));
        OciException tooBig = assertThrows(OciException.class, () -> client.blobBytes("test/small", pushed.digest(), 4));
        assertTrue(tooBig.getMessage().contains("over the limit of 4"), tooBig.getMessage());
        String absent = Descriptor.of("absent".getBytes(StandardCharsets.UTF_8), "text/plain").digest();
        assertTrue(client.blobSize("test/small", absent).isEmpty());
        OciException unknown = assertThrows(OciException.class, () -> client.blobBytes("test/small", absent, 1024));
        assertEquals(404, unknown.status());
        assertEquals("BLOB_UNKNOWN", unknown.code());
    }

    @Test
    void aFiftyMebibyteFileIsStreamedBothWaysInAJvmWithA32MebibyteHeap() throws Exception {
        Path file = dir.resolve("image.raw");
        long size = 50L << 20;
        TestFiles.writeRandom(file, size);
        String expected = Descriptor.of(file, "x").digest();

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LargeBlobRoundTrip.class.getName(), registry.uri().toString(), "test/large", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));

        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("pushed " + expected + " " + size), output);
        assertTrue(output.contains("read " + expected + " " + size), output);
        assertEquals(size, client.blobSize("test/large", expected).getAsLong());
    }

    @Test
    void aBlobTheRepositoryHasIsNotUploadedAgain() throws IOException {
        Path file = dir.resolve("layer.bin");
        TestFiles.writeRandom(file, 1 << 20);
        List<Long> first = new ArrayList<>();
        Descriptor pushed = client.pushBlob("test/skip", file, "application/octet-stream", first::add);
        long uploads = registry.requestCount("POST", "/v2/test/skip/blobs/uploads/");

        List<Long> second = new ArrayList<>();
        Descriptor again = client.pushBlob("test/skip", file, "application/octet-stream", second::add);

        assertEquals(pushed, again);
        assertEquals(1, uploads);
        assertEquals(1, registry.requestCount("POST", "/v2/test/skip/blobs/uploads/"));
        assertTrue(first.size() > 1, "progress while uploading: " + first.size() + " reports");
        assertEquals(1L << 20, first.get(first.size() - 1));
        assertEquals(List.of(1L << 20), second, "a skipped upload reports its full size at once");
    }

    @Test
    void aBlobIsReadFromAnOffset() throws IOException {
        byte[] content = new byte[100_000];
        new Random(7).nextBytes(content);
        Descriptor pushed = client.pushBlob("test/range", content, "application/octet-stream");

        try (InputStream in = client.blob("test/range", pushed.digest(), 60_000)) {
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 60_000, content.length), in.readAllBytes());
        }
        try (InputStream in = client.blob("test/range", pushed.digest(), 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        OciException beyond = assertThrows(OciException.class, () -> client.blob("test/range", pushed.digest(), 200_000));
        assertEquals(416, beyond.status(), beyond.getMessage());
    }

    @Test
    void anArtifactManifestIsPutFoundAndFetchedByTagAndDigest() {
        byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
        client.pushBlob("test/manifest", "{}".getBytes(StandardCharsets.UTF_8), ReleaseArtifact.EMPTY_CONFIG_MEDIA_TYPE);
        Descriptor blob = client.pushBlob("test/manifest", layer, ReleaseArtifact.IMAGE_MEDIA_TYPE);
        OciManifest manifest = OciManifest.artifact(ReleaseArtifact.ARTIFACT_TYPE, List.of(blob), Map.of("org.opencontainers.image.version", "1.0.0"));
        byte[] json = manifest.toJson();

        String digest = client.putManifest("test/manifest", "1.0.0", json, ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);

        assertEquals(Digests.sha256(json), digest);
        assertEquals(digest, client.manifestDigest("test/manifest", "1.0.0").orElseThrow());
        OciClient.Fetched byTag = client.manifest("test/manifest", "1.0.0");
        assertArrayEquals(json, byTag.bytes());
        assertEquals(digest, byTag.digest());
        assertEquals(ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE, byTag.mediaType());
        OciManifest read = client.manifest("test/manifest", digest).ociManifest();
        assertEquals(manifest, read);
        assertEquals(ReleaseArtifact.ARTIFACT_TYPE, read.artifactType());
        assertEquals(blob, read.layer(ReleaseArtifact.IMAGE_MEDIA_TYPE).orElseThrow());
        assertTrue(read.layer(ReleaseArtifact.SIGNATURE_MEDIA_TYPE).isEmpty());
    }

    @Test
    void aMissingManifestIsEmptyByHeadAndA404ByGet() {
        assertTrue(client.manifestDigest("test/nothing-here", "1.0.0").isEmpty());
        OciException missing = assertThrows(OciException.class, () -> client.manifest("test/nothing-here", "1.0.0"));
        assertEquals(404, missing.status());
        assertEquals("MANIFEST_UNKNOWN", missing.code(), "docker-registry 2.8 says MANIFEST_UNKNOWN, not NAME_UNKNOWN, for a repository it does not know");
    }

    @Test
    void aManifestReferringToBlobsTheRepositoryLacksIsRefusedWithTheRegistrysCode() {
        Descriptor absent = Descriptor.of("never pushed".getBytes(StandardCharsets.UTF_8), ReleaseArtifact.IMAGE_MEDIA_TYPE);
        byte[] json = OciManifest.artifact(ReleaseArtifact.ARTIFACT_TYPE, List.of(absent), Map.of()).toJson();
        OciException refused = assertThrows(OciException.class,
                () -> client.putManifest("test/dangling", "1.0.0", json, ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE));
        assertEquals(400, refused.status());
        assertEquals("MANIFEST_BLOB_UNKNOWN", refused.code());
    }

    @Test
    void aManifestIsDeletedByDigest() {
        String digest = pushArtifact("test/delete", "1.0.0");
        client.deleteManifest("test/delete", digest);
        assertTrue(client.manifestDigest("test/delete", "1.0.0").isEmpty());
    }

    @Test
    void theCatalogAndTheTagsAreFollowedPageByPage() {
        List<String> repositories = IntStream.rangeClosed(1, 5).mapToObj(i -> "paging/repo" + i).toList();
        repositories.forEach(repo -> pushArtifact(repo, "1.0.0"));
        List<String> tags = List.of("1.0.0", "1.0.1", "1.1.0", "2.0.0", "2.0.1-rc.1");
        tags.forEach(tag -> pushArtifact("paging/tags", tag));

        long pagesBefore = registry.requestCount("GET", "/v2/_catalog?");
        List<String> catalog = client.repositories(2);
        assertTrue(registry.requestCount("GET", "/v2/_catalog?") - pagesBefore >= 3, "the catalog was read in pages of 2");
        assertEquals(repositories, catalog.stream().filter(repo -> repo.startsWith("paging/repo")).toList());
        assertEquals(catalog.stream().distinct().toList(), catalog, "no repository twice");
        // docker-registry 2.8 ignores n and last for tags and sends them all, in no order, without a Link.
        assertEquals(tags, client.tags("paging/tags", 2).stream().sorted().toList());
    }

    @Test
    void theTagsOfAnUnknownRepositoryAreEmpty() {
        assertEquals(List.of(), client.tags("test/unknown", 10));
    }

    @Test
    void invalidNamesAreRefusedBeforeAnyRequest() {
        OciClient nowhere = new OciClient(URI.create("http://127.0.0.1:1"));
        for (String repo : List.of("", "Upper/case", "os//double", "os/trailing-", "-lead", "os/a..b", "x".repeat(256))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nowhere.tags(repo, 10), repo);
            assertTrue(e.getMessage().contains("not a valid OCI repository name"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> nowhere.manifest("os/edge", "1.0.0+build"));
        assertThrows(IllegalArgumentException.class, () -> nowhere.manifest("os/edge", "sha256:abc"));
        OciClient.requireRepository("os/edge-microvisor");
        OciClient.requireRepository("a/b__c/d.e/f---g");
        OciException unreachable = assertThrows(OciException.class, () -> nowhere.tags("os/edge", 10));
        assertEquals(0, unreachable.status());
    }

    @Test
    void credentialsAreNotPrinted() {
        assertFalse(new OciClient.Credentials("ci", "s3cret").toString().contains("s3cret"));
    }

    private static String pushArtifact(String repo, String tag) {
        Descriptor blob = client.pushBlob(repo, ("content of " + repo).getBytes(StandardCharsets.UTF_8), ReleaseArtifact.IMAGE_MEDIA_TYPE);
        client.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8), ReleaseArtifact.EMPTY_CONFIG_MEDIA_TYPE);
        byte[] json = OciManifest.artifact(ReleaseArtifact.ARTIFACT_TYPE, List.of(blob), Map.of()).toJson();
        return client.putManifest(repo, tag, json, ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);
    }
}
