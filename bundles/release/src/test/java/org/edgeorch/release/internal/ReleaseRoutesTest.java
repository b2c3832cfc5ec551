package org.edgeorch.release.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.edgeorch.release.RegistryPushListener;
import org.edgeorch.release.RegistryPushListener.RegistryPush;
import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.release.Releases.ProfileSpec;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.spi.release.ReleaseManifest;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The Camel routes in a real CamelContext against a real registry: a push is detected through the
 * registry's notification (webhook) within seconds, and through polling when no notification comes.
 */
class ReleaseRoutesTest {

    private static final String TOKEN = "webhook-secret-for-tests";

    @TempDir
    Path dir;

    TenancyFixture t;
    CamelContext camel;
    HttpServer webhook;
    RegistryHarness registry;
    Caller admin;
    ReleaseServiceTest.Key key;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir.resolve("db"));
        t.organizationWithProject("acme");
        admin = t.admin();
        key = ReleaseServiceTest.Key.create("release");
    }

    @AfterEach
    void tearDown() {
        if (camel != null) {
            camel.stop();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        if (registry != null) {
            registry.close();
        }
    }

    private ReleaseServiceImpl start(int pollSeconds, boolean notify) throws Exception {
        return start(pollSeconds, notify, () -> true);
    }

    private ReleaseServiceImpl start(int pollSeconds, boolean notify, BooleanSupplier pollLeader) throws Exception {
        return start(pollSeconds, notify, pollLeader, List.of());
    }

    private ReleaseServiceImpl start(int pollSeconds, boolean notify, BooleanSupplier pollLeader,
                                     List<RegistryPushListener> listeners) throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ReleaseRoutes[] routes = new ReleaseRoutes[1];
        webhook.createContext("/release/notifications", exchange -> {
            int status;
            try {
                routes[0].accept(exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestBody().readAllBytes());
                status = 202;
            } catch (TenancyException e) {
                status = 401;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
        URI url = URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/release/notifications");
        registry = notify
                ? RegistryHarness.start(List.of(new RegistryHarness.Endpoint("orchestrator", url, Map.of("Authorization", "Bearer " + TOKEN),
                List.of("pull"), List.of("application/octet-stream"))))
                : RegistryHarness.start();
        ReleaseServiceImpl service = new ReleaseServiceImpl(t.db, t.tenancy, t.audit, Clock.systemUTC(),
                ReleaseServiceTest.config(registry.uri().toString(), "os/"), dir.resolve("cache"));
        service.addSigner(admin, "release", key.pem());
        service.createProfile(t.login("acme-admin"), "acme-p1", "emt", new ProfileSpec("emt", "*", null, null, null));
        routes[0] = new ReleaseRoutes(service, pollSeconds, TOKEN, pollLeader);
        listeners.forEach(routes[0]::addListener);
        camel = new DefaultCamelContext();
        camel.addRoutes(routes[0]);
        camel.start();
        return service;
    }

    private void publish(String version) throws Exception {
        byte[] bytes = new byte[100_000];
        new Random(version.hashCode()).nextBytes(bytes);
        Path image = Files.write(dir.resolve(version), bytes);
        new ReleasePublisher().publish(registry.client(), "os/", new ReleaseManifest(null, "emt", version, OsType.IMMUTABLE,
                "x86_64", null, 0, "NONE", "", List.of(), List.of(), null), image, key::sign, null);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void thePushNotificationMakesTheReleaseAnOsResourceWithinSeconds() throws Exception {
        ReleaseServiceImpl service = start(0, true);
        long pushed = System.nanoTime();
        publish("1.0.0");
        await("the release is an OS resource", Duration.ofSeconds(10),
                () -> service.osResources(t.login("acme-admin"), "acme-p1", "emt").size() == 1);
        long millis = (System.nanoTime() - pushed) / 1_000_000;
        assertEquals(DetectionSource.WEBHOOK, service.release(admin, "emt", "1.0.0").source());
        assertTrue(millis < 10_000, millis + " ms");
        assertEquals(0, registry.requestCount("GET", "/v2/_catalog"), "found without polling");
        assertEquals(1, service.events(admin, "emt", null, 0, 10).size(), "one event, however many notifications");
    }

    @Test
    void pollingFindsWhatNoNotificationAnnouncedAndDoesNotLookTwice() throws Exception {
        ReleaseServiceImpl service = start(1, false);
        publish("2.0.0");
        publish("2.0.1");
        await("both releases are OS resources", Duration.ofSeconds(15),
                () -> service.osResources(t.login("acme-admin"), "acme-p1", "emt").size() == 2);
        assertEquals(DetectionSource.POLL, service.release(admin, "emt", "2.0.0").source());
        long manifestReads = registry.requestCount("GET", "/v2/os/emt/manifests/");
        Thread.sleep(2500);
        assertEquals(manifestReads, registry.requestCount("GET", "/v2/os/emt/manifests/"), "seen tags are not fetched again");
        assertEquals(2, service.events(admin, "emt", null, 0, 10).size());
    }

    @Test
    void onlyThePollLeaderPolls() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean leader = new java.util.concurrent.atomic.AtomicBoolean(false);
        ReleaseServiceImpl service = start(1, false, leader::get);
        publish("3.0.0");
        Thread.sleep(3500); // the timer's 2 s delay and more than one period as a follower
        assertEquals(0, registry.requestCount("GET", "/v2/_catalog"), "a follower polled the registry");
        assertEquals(0, service.osResources(t.login("acme-admin"), "acme-p1", "emt").size());
        leader.set(true);
        await("the new leader found the release", Duration.ofSeconds(10),
                () -> service.osResources(t.login("acme-admin"), "acme-p1", "emt").size() == 1);
    }

    /** A listener that records what it was handed, or fails. */
    private static final class Listener implements RegistryPushListener {
        final List<RegistryPush> pushes = new java.util.concurrent.CopyOnWriteArrayList<>();
        final boolean fails;

        Listener(boolean fails) {
            this.fails = fails;
        }

        @Override
        public String repositoryPrefix() {
            return "apps/";
        }

        @Override
        public int pushed(List<RegistryPush> mine) {
            if (fails) {
                throw new IllegalStateException("this listener always fails");
            }
            pushes.addAll(mine);
            return mine.size();
        }
    }

    @Test
    void otherDomainsGetTheirPushesAndOsReleasesAreDetectedAsBeforeEvenWhenAListenerFails() throws Exception {
        Listener failing = new Listener(true);
        Listener apps = new Listener(false);
        ReleaseServiceImpl service = start(0, true, () -> true, List.of(failing, apps));
        String appDigest = org.edgeorch.release.oci.SignedArtifacts.push(registry.client(), "apps/acme-p1/web", "1.0.0",
                "application/vnd.edgeorch.test.v1", List.of(),
                new org.edgeorch.release.oci.SignedArtifacts.Part("{}".getBytes(), "application/json", "doc.json"),
                new org.edgeorch.release.oci.SignedArtifacts.Part(new byte[] {1}, "application/octet-stream", "doc.cms"), Map.of());
        publish("4.0.0");
        await("the release is an OS resource", Duration.ofSeconds(10),
                () -> service.osResources(t.login("acme-admin"), "acme-p1", "emt").size() == 1);
        assertEquals(DetectionSource.WEBHOOK, service.release(admin, "emt", "4.0.0").source());
        await("the application push reached its listener", Duration.ofSeconds(10), () -> !apps.pushes.isEmpty());
        assertEquals(List.of(new RegistryPush("apps/acme-p1/web", "1.0.0", appDigest)), apps.pushes.stream().distinct().toList(),
                "only the pushes under the listener's prefix");
        assertTrue(service.events(admin, null, null, 0, 10).stream().noneMatch(e -> e.repository().startsWith("apps/")),
                "OS detection never looked at the application's repository");
    }
}
