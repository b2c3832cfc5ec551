package org.edgeorch.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OSGI app artifact pushed to and fetched from a real docker-registry 2.8. */
class BundleArtifactTest {

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
        client.close();
        registry.close();
    }

    private Path file(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void bundlesComeBackInTheirOrderVerifiedAndAreFetchedOnce() throws IOException {
        Path a = file("a.jar", 70_000, 1);
        Path b = file("b.jar", 1_000, 2);
        String digest = BundleArtifact.push(client, "apps/order", "1.0.0", List.of(a, b));
        Path store = dir.resolve("store");

        List<Path> got = BundleArtifact.fetch(client, "apps/order", digest, store);
        assertEquals(2, got.size());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(got.get(0)));
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(got.get(1)));

        long gets = registry.requestCount("GET", "/v2/apps/order/blobs/");
        assertEquals(got, BundleArtifact.fetch(client, "apps/order", digest, store));
        assertEquals(gets, registry.requestCount("GET", "/v2/apps/order/blobs/"), "kept layers are not fetched again");
    }

    @Test
    void aBrokenOffTransferResumesFromWhereItStopped() throws IOException {
        Path a = file("big.jar", 200_000, 3);
        String digest = BundleArtifact.push(client, "apps/resume", "1.0.0", List.of(a));
        Descriptor layer = client.manifest("apps/resume", digest).ociManifest().layers().get(0);
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        String hex = layer.digest().substring("sha256:".length());
        Files.write(store.resolve(hex + ".part"), Arrays.copyOf(Files.readAllBytes(a), 120_000));

        List<Path> got = BundleArtifact.fetch(client, "apps/resume", digest, store);

        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(got.get(0)));
        assertFalse(Files.exists(store.resolve(hex + ".part")));
        // only the rest came: the registry answered the range with 206 and the remaining 80,000 bytes
        assertTrue(registry.logText().contains(" 206 80000 "), registry.logText());
    }

    @Test
    void aResumedPartThatWasCorruptIsRefusedAndDropped() throws IOException {
        Path a = file("c.jar", 50_000, 4);
        String digest = BundleArtifact.push(client, "apps/corrupt", "1.0.0", List.of(a));
        Descriptor layer = client.manifest("apps/corrupt", digest).ociManifest().layers().get(0);
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        String hex = layer.digest().substring("sha256:".length());
        byte[] prefix = Arrays.copyOf(Files.readAllBytes(a), 10_000);
        prefix[5] ^= 1;
        Files.write(store.resolve(hex + ".part"), prefix);

        DigestMismatchException e = assertThrows(DigestMismatchException.class,
                () -> BundleArtifact.fetch(client, "apps/corrupt", digest, store));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertFalse(Files.exists(store.resolve(hex + ".part")));
        assertFalse(Files.exists(store.resolve(hex + ".jar")));
        // the next attempt starts over and succeeds
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(BundleArtifact.fetch(client, "apps/corrupt", digest, store).get(0)));
    }

    @Test
    void anArtifactOfAnotherTypeIsRefused() throws IOException {
        byte[] bytes = "not a bundle".getBytes();
        Descriptor blob = client.pushBlob("apps/other", bytes, "application/octet-stream");
        client.pushBlob("apps/other", "{}".getBytes(), Descriptor.EMPTY_CONFIG.mediaType());
        String digest = client.putManifest("apps/other", "1.0.0",
                OciManifest.artifact(ReleaseArtifact.ARTIFACT_TYPE, List.of(blob), Map.of()).toJson(),
                ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);

        IOException e = assertThrows(IOException.class, () -> BundleArtifact.fetch(client, "apps/other", digest, dir.resolve("s")));
        assertTrue(e.getMessage().contains("is not an OSGI app artifact"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("s")));
    }
}
