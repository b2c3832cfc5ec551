package org.edgeorch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.edgeorch.agent.Agent;
import org.edgeorch.agent.internal.Csr;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.fleet.Onboarding.IssuedToken;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.southbound.internal.SouthboundConfig;
import org.edgeorch.southbound.internal.SouthboundServer;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent against the real southbound server over HTTPS with mutual TLS, with the real fleet on
 * Derby behind it: enrolment, sync with 304s, inventory, renewal, refusal after invalidation, and
 * reports kept through an outage.
 */
class SouthboundEndToEndTest {

    @TempDir
    Path dir;

    TenancyFixture t;
    FleetServiceImpl fleet;
    OnboardingServiceImpl onboarding;
    SouthboundServer server;
    ScheduledExecutorService scheduler;
    Caller admin;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir.resolve("db"));
        t.organizationWithProject("acme");
        fleet = new FleetServiceImpl(t.db, t.tenancy, t.audit, t.clock);
        onboarding = new OnboardingServiceImpl(t.db, t.tenancy, t.audit, fleet, t.clock, 1, Duration.ofSeconds(9),
                Duration.ofDays(365), false);
        admin = t.login("acme-admin");
        server = new SouthboundServer(onboarding, config(0));
        port = server.port();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        scheduler.shutdownNow();
        server.stop();
    }

    private Agent agent(String token, String name, long seed, AtomicInteger notModified) throws Exception {
        Agent.Settings settings = new Agent.Settings(URI.create("https://localhost:" + port), token,
                onboarding.certificateAuthority().sha256Fingerprint(), dir.resolve(name), name, null, null, Duration.ofSeconds(2));
        Agent agent = new Agent(settings, () -> SimulatedHardware.forHost(seed), scheduler, null, new Agent.Observer() {
            @Override
            public void synced(long nanos, boolean wasNotModified) {
                if (wasNotModified) {
                    notModified.incrementAndGet();
                }
            }
        });
        agent.start(Duration.ZERO);
        return agent;
    }

    @Test
    void anAgentEnrolsSyncsRenewsAndIsRefusedOnceInvalidated() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), 5);
        AtomicInteger notModified = new AtomicInteger();
        Agent agent = agent(token.secret(), "node-1", 7, notModified);
        await("enrolled and synced", () -> agent.status().phase() == Agent.Phase.ENROLLED && agent.status().desired() != null);

        assertEquals(HostStatus.RUNNING, fleet.host(admin, "acme-p1", "node-1").status());
        assertEquals(SimulatedHardware.forHost(7).disks(), onboarding.inventory(admin, "acme-p1", "node-1").inventory().disks());
        assertEquals(SimulatedHardware.forHost(7).system().serialNumber(), fleet.host(admin, "acme-p1", "node-1").serialNumber());
        // the key never leaves the node and only its owner can read it
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node-1"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node-1/identity.pem"))));
        await("an unchanged desired state answered with 304", () -> notModified.get() >= 2);
        assertEquals(1, onboarding.inventoryChanges(admin, "acme-p1", "node-1", 0, 10).size(), "inventory sent once");

        String first = agent.status().certificateSerial();
        await("renewed after two thirds of 9 s", () -> !first.equals(agent.status().certificateSerial()));
        assertEquals(2, onboarding.certificates(admin, "acme-p1", "node-1").size());
        await("syncing with the new certificate", () -> agent.status().lastError() == null
                && agent.status().phase() == Agent.Phase.ENROLLED);

        onboarding.invalidateHost(admin, "acme-p1", "node-1", "test");
        await("refused", () -> agent.status().phase() == Agent.Phase.REFUSED);
        assertTrue(agent.status().lastError().contains("HOST_INVALIDATED"), agent.status().lastError());
        agent.close();
    }

    @Test
    void reportsMadeWhileTheOrchestratorIsAwayArriveWhenItIsBack() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        Agent agent = agent(token.secret(), "node-2", 8, new AtomicInteger());
        await("enrolled", () -> agent.status().desired() != null);
        server.stop();
        await("noticed the outage", () -> agent.status().consecutiveFailures() >= 2);
        agent.report("TEST", "made while offline");
        assertTrue(agent.status().pendingReports() >= 1);

        server = new SouthboundServer(onboarding, config(port));
        await("reports delivered", () -> agent.status().pendingReports() == 0 && agent.status().consecutiveFailures() == 0);
        List<String> kinds = onboarding.reports(admin, "acme-p1", "node-2", 0, 10).stream().map(r -> r.kind()).toList();
        assertTrue(kinds.containsAll(List.of("ENROLLED", "TEST", "RECONNECTED")), kinds.toString());
        agent.close();
    }

    @Test
    void aWrongPinOrAWrongTokenNeverEnrols() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        Agent.Settings wrongPin = new Agent.Settings(URI.create("https://localhost:" + port), token.secret(),
                "00".repeat(32), dir.resolve("pin"), "pin", null, null, Duration.ofSeconds(1));
        Agent a = new Agent(wrongPin, () -> SimulatedHardware.forHost(9), scheduler, null, null);
        a.start(Duration.ZERO);
        Agent b = agent("eoe_wrong", "wrong-token", 10, new AtomicInteger());
        await("both tried", () -> a.status().consecutiveFailures() >= 1 && b.status().consecutiveFailures() >= 1);
        assertEquals(Agent.Phase.NOT_ENROLLED, a.status().phase());
        assertEquals(Agent.Phase.NOT_ENROLLED, b.status().phase());
        assertTrue(b.status().lastError().contains("TOKEN_UNKNOWN"), b.status().lastError());
        assertEquals(0, fleet.hosts(admin, "acme-p1", new org.edgeorch.fleet.Fleet.HostQuery(null, null, null, null, null, null,
                false, 0, 10)).total());
        a.close();
        b.close();
    }

    @Test
    void theAgentsCsrIsAcceptedByOpenssl() throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        Path csr = dir.resolve("host.csr");
        Files.writeString(csr, Csr.create(g.generateKeyPair(), "node-ü"));
        Process p = new ProcessBuilder("openssl", "req", "-verify", "-noout", "-in", csr.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("verify OK") || out.contains("Certificate request self-signature verify OK"), out);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static SouthboundConfig config(int port) {
        return new SouthboundConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SouthboundConfig.class;
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String serverNames() {
                return "localhost,127.0.0.1";
            }

            @Override
            public int maxThreads() {
                return 16;
            }

            @Override
            public int idleTimeoutSeconds() {
                return 60;
            }

            @Override
            public int maxBodyBytes() {
                return 1 << 20;
            }
        };
    }
}
