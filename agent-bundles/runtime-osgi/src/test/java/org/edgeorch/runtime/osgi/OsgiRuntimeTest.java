package org.edgeorch.runtime.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.edgeorch.oci.BundleArtifact;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.edgeorch.spi.southbound.AppState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The runtime in a real OSGi framework (Felix), its bundles pushed to a real registry (docker-registry) as an OSGI app
 * artifact and fetched by digest: installed and started; a version whose bundle does not resolve rolled
 * back to the running one; bytes tampered with in the registry's storage refused; found again by a new runtime; removed.
 */
class OsgiRuntimeTest {

    @TempDir
    Path dir;
    private static RegistryHarness registry;
    private static OciClient client;
    private Framework framework;

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

    @BeforeEach
    void start() throws Exception {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(Map.of(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
    }

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static byte[] bundle(String name, String version, String imports) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", name);
        a.putValue("Bundle-Version", version);
        if (imports != null) {
            a.putValue("Import-Package", imports);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return out.toByteArray();
    }

    /** Pushes the jar as a one-layer OSGI app artifact; answers the artifact's (manifest's) digest. */
    private String push(String repository, String tag, byte[] jar) throws IOException {
        Path file = dir.resolve(tag + ".jar");
        Files.write(file, jar);
        return BundleArtifact.push(client, repository, tag, List.of(file));
    }

    /** Flips one byte of what the registry stores for {@code digest}, behind its back. */
    private static void tamper(String digest) throws IOException {
        Path stored = registry.blobFile(digest);
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(stored, bytes);
    }

    private AppUnit unit(String version, String digest) {
        return unit("apps/hello", version, digest);
    }

    private AppUnit unit(String repository, String version, String digest) {
        return new AppUnit("hello", "hello", version, registry.uri().toString(), List.of(new AppUnit.Artifact("hello", repository, digest)),
                List.of(), List.of(), Map.of("greeting", "moin"), java.util.Set.of(), "fp-" + version);
    }

    private OsgiRuntime runtime() {
        return new OsgiRuntime(framework.getBundleContext(), null, dir.resolve("store"), Duration.ofSeconds(10), Duration.ofHours(1));
    }

    private List<Bundle> appBundles() {
        return Arrays.stream(framework.getBundleContext().getBundles()).filter(b -> b.getLocation().startsWith(OsgiRuntime.LOCATION))
                .toList();
    }

    @Test
    void aBundleThatDoesNotStartRollsBackToTheOneThatRan() throws Exception {
        OsgiRuntime runtime = runtime();
        String one = push("apps/hello", "1.0.0", bundle("app.hello", "1.0.0", null));
        UnitStatus first = runtime.apply(unit("1.0.0", one));
        assertEquals(AppState.RUNNING, first.state(), first.reason());
        assertEquals(1, appBundles().size());
        assertEquals(Bundle.ACTIVE, appBundles().get(0).getState());
        assertEquals(AppState.RUNNING, runtime.apply(unit("1.0.0", one)).state(), "idempotent");
        assertEquals(1, appBundles().size());

        String broken = push("apps/hello", "1.1.0", bundle("app.hello", "1.1.0", "no.such.pkg"));
        UnitStatus second = runtime.apply(unit("1.1.0", broken));
        assertEquals(AppState.ROLLED_BACK, second.state(), second.reason());
        assertTrue(second.reason().contains("does not start") && second.reason().contains("rolled back to 1.0.0"), second.reason());
        assertEquals(List.of("1.0.0"), appBundles().stream().map(b -> b.getVersion().toString()).toList());
        assertEquals(Bundle.ACTIVE, appBundles().get(0).getState());
        long installs = framework.getBundleContext().getBundles().length;
        assertEquals(second, runtime.apply(unit("1.1.0", broken)), "not retried before the retry interval");
        assertEquals(installs, framework.getBundleContext().getBundles().length);

        // a restarted node: a new runtime finds the running version by the bundles' locations alone
        List<UnitStatus> found = runtime().installed();
        assertEquals(1, found.size());
        assertEquals("1.0.0", found.get(0).version());
        assertEquals("fp-1.0.0", found.get(0).fingerprint());
        assertEquals(AppState.RUNNING, found.get(0).state());

        runtime.remove("hello");
        assertEquals(List.of(), appBundles());
        assertEquals(List.of(), runtime.installed());
    }

    @Test
    void bytesThatDoNotMatchTheirDigestAreNeverInstalled() throws Exception {
        String digest = push("apps/tampered-layer", "1.0.0", bundle("app.hello", "1.0.0", null));
        tamper(client.manifest("apps/tampered-layer", digest).ociManifest().layers().get(0).digest());
        UnitStatus s = runtime().apply(unit("apps/tampered-layer", "1.0.0", digest));
        assertEquals(AppState.FAILED, s.state());
        assertTrue(s.reason().contains("does not match its digest"), s.reason());
        assertEquals(List.of(), appBundles());

        String manifest = push("apps/tampered-manifest", "1.0.0", bundle("app.hello", "1.0.0", null));
        tamper(manifest);
        UnitStatus t = runtime().apply(unit("apps/tampered-manifest", "1.0.0", manifest));
        assertEquals(AppState.FAILED, t.state());
        assertTrue(t.reason().contains("hashes to"), t.reason());
        assertEquals(List.of(), appBundles());
    }
}
