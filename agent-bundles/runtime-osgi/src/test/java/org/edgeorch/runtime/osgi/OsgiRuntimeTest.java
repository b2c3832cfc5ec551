package org.edgeorch.runtime.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.edgeorch.spi.southbound.AppState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import com.sun.net.httpserver.HttpServer;

/**
 * The runtime in a real OSGi framework (Felix), its bundles served by digest over HTTP the way a registry serves an
 * OCI artifact (the real registry is AppNodeIT's): installed and started; a version whose bundle does not resolve rolled
 * back to the running one; tampered bytes refused; found again by a new runtime; removed.
 */
class OsgiRuntimeTest {

    @TempDir
    Path dir;
    private Framework framework;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(Map.of(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = served.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        framework.stop();
        framework.waitForStop(10_000);
    }

    private String registry() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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

    /** Serves the jar as a one-layer OCI artifact; answers the artifact's (manifest's) digest. */
    private String push(String repository, byte[] jar, byte[] servedInstead) {
        String layer = Artifacts.sha256(jar);
        served.put("/v2/" + repository + "/blobs/" + layer, servedInstead != null ? servedInstead : jar);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Artifacts.OCI_MANIFEST + "\",\"artifactType\":"
                + "\"application/vnd.edgeorch.bundle\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/java-archive\",\"digest\":\"" + layer + "\",\"size\":" + jar.length
                + "}]}").getBytes(StandardCharsets.UTF_8);
        String digest = Artifacts.sha256(manifest);
        served.put("/v2/" + repository + "/manifests/" + digest, manifest);
        return digest;
    }

    private AppUnit unit(String version, String digest) {
        return new AppUnit("hello", "hello", version, registry(), List.of(new AppUnit.Artifact("hello", "apps/hello", digest)),
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
        String one = push("apps/hello", bundle("app.hello", "1.0.0", null), null);
        UnitStatus first = runtime.apply(unit("1.0.0", one));
        assertEquals(AppState.RUNNING, first.state(), first.reason());
        assertEquals(1, appBundles().size());
        assertEquals(Bundle.ACTIVE, appBundles().get(0).getState());
        assertEquals(AppState.RUNNING, runtime.apply(unit("1.0.0", one)).state(), "idempotent");
        assertEquals(1, appBundles().size());

        String broken = push("apps/hello", bundle("app.hello", "1.1.0", "no.such.pkg"), null);
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
        byte[] real = bundle("app.hello", "1.0.0", null);
        String digest = push("apps/hello", real, bundle("app.evil", "6.6.6", null));
        UnitStatus s = runtime().apply(unit("1.0.0", digest));
        assertEquals(AppState.FAILED, s.state());
        assertTrue(s.reason().contains("refused"), s.reason());
        assertEquals(List.of(), appBundles());

        String tamperedManifest = "sha256:" + "0".repeat(64);
        served.put("/v2/apps/hello/manifests/" + tamperedManifest, served.get("/v2/apps/hello/manifests/" + digest));
        UnitStatus t = runtime().apply(unit("1.0.0", tamperedManifest));
        assertEquals(AppState.FAILED, t.state());
        assertTrue(t.reason().contains("does not match its digest"), t.reason());
        assertEquals(List.of(), appBundles());
    }
}
