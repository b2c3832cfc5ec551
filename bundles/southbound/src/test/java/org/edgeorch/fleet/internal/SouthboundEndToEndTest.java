package org.edgeorch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
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
import org.edgeorch.agent.internal.Pem;
import org.edgeorch.agent.internal.TlsContexts;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.fleet.Onboarding.IssuedToken;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.release.ImageDelivery;
import org.edgeorch.spi.southbound.Southbound;
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
                Duration.ofDays(365), null);
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

    @Test
    void anEnrolledHostDownloadsItsProjectsImagesWithRanges() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        Agent agent = agent(token.secret(), "node-img", 11, new AtomicInteger());
        await("enrolled", () -> agent.status().desired() != null);
        byte[] image = new byte[300_000];
        new java.util.Random(5).nextBytes(image);
        Path file = Files.write(dir.resolve("image"), image);
        String digest = "sha256:" + Pem.sha256Hex(image);
        String projectId = t.tenancy.project(admin, "acme-p1").id();
        server.setImages(new ImageDelivery() {
            @Override
            public Optional<CachedImage> image(String project, String wanted) {
                return project.equals(projectId) && wanted.equals(digest)
                        ? Optional.of(new CachedImage(digest, file, image.length)) : Optional.empty();
            }

            @Override
            public Optional<String> registryUrl(String project, String wanted) {
                return Optional.empty();
            }

            @Override
            public Optional<String> nodeRegistryUrl() {
                return Optional.empty();
            }
        });
        String identity = Files.readString(dir.resolve("node-img/identity.pem"));
        X509Certificate ca = Pem.certificates(Files.readString(dir.resolve("node-img/ca.pem"))).get(0);
        HttpClient host = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.context(ca, Pem.privateKey(identity), Pem.certificates(identity).get(0))).build();
        URI uri = URI.create("https://localhost:" + port + Southbound.IMAGES + digest);

        HttpResponse<byte[]> whole = host.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(image, whole.body());
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElse(null));

        HttpResponse<byte[]> rest = host.send(HttpRequest.newBuilder(uri).header("Range", "bytes=123456-").build(),
                BodyHandlers.ofByteArray());
        assertEquals(206, rest.statusCode());
        assertEquals("bytes 123456-299999/300000", rest.headers().firstValue("Content-Range").orElse(null));
        assertArrayEquals(Arrays.copyOfRange(image, 123456, image.length), rest.body());

        HttpResponse<byte[]> tail = host.send(HttpRequest.newBuilder(uri).header("Range", "bytes=-10").build(),
                BodyHandlers.ofByteArray());
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(image, image.length - 10, image.length), tail.body());

        HttpResponse<String> past = host.send(HttpRequest.newBuilder(uri).header("Range", "bytes=300000-").build(),
                BodyHandlers.ofString());
        assertEquals(416, past.statusCode());
        assertEquals("bytes */300000", past.headers().firstValue("Content-Range").orElse(null));

        HttpResponse<String> other = host.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + Southbound.IMAGES
                + "sha256:" + "0".repeat(64))).build(), BodyHandlers.ofString());
        assertEquals(404, other.statusCode());
        assertTrue(other.body().contains("IMAGE_NOT_FOUND"), other.body());
        HttpResponse<String> bad = host.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + Southbound.IMAGES
                + "latest")).build(), BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());

        HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.pinned(onboarding.certificateAuthority().sha256Fingerprint())).build();
        HttpResponse<String> refused = anonymous.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), refused.body());
        agent.close();
    }

    @Test
    void aTrickledBodyIs408AndOneAddressCannotTakeEveryThread() throws Exception {
        InetAddress slow = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        Socket trickling = tls(slow);
        OutputStream out = trickling.getOutputStream();
        out.write(enrolHeaders(1000));
        out.flush();
        String answer = null;
        for (int i = 0; i < 400 && answer == null; i++) {
            out.write('{');
            out.flush();
            trickling.setSoTimeout(50);
            try {
                int b = trickling.getInputStream().read();
                answer = b < 0 ? "" : (char) b + new String(trickling.getInputStream().readNBytes(300), StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException notYet) {
                // still sending
            } catch (IOException closed) {
                break;
            }
        }
        assertTrue(answer != null && answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"REQUEST_TIMEOUT\""), answer);
        trickling.close();

        List<Socket> held = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = tls(slow);
            s.getOutputStream().write(enrolHeaders(100));
            s.getOutputStream().write('{');
            s.getOutputStream().flush();
            held.add(s);
        }
        await("three requests held from one address", () -> server.limits().requestsInProgress(slow) == 3);
        Socket fourth = tls(slow);
        fourth.getOutputStream().write(enrolHeaders(2));
        fourth.getOutputStream().write("{}".getBytes(StandardCharsets.US_ASCII));
        fourth.getOutputStream().flush();
        fourth.setSoTimeout(10_000);
        String refused = new String(fourth.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.1 429", refused);
        // another address is served meanwhile
        HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.pinned(onboarding.certificateAuthority().sha256Fingerprint())).build();
        HttpResponse<String> other = anonymous.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                + Southbound.ENROL)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), BodyHandlers.ofString());
        assertEquals(400, other.statusCode(), other.body());
        for (Socket s : held) {
            s.close();
        }
        fourth.close();
        await("released when they end", () -> server.limits().requestsInProgress(slow) == 0);
    }

    private byte[] enrolHeaders(int length) {
        return ("POST " + Southbound.ENROL + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A TLS connection to the server from {@code from}, trusting its certificate authority, without a certificate. */
    private Socket tls(InetAddress from) throws Exception {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(from, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        SSLSocket s = (SSLSocket) TlsContexts.pinned(onboarding.certificateAuthority().sha256Fingerprint())
                .getSocketFactory().createSocket(plain, "localhost", port, true);
        s.startHandshake();
        return s;
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
            public int headerTimeoutSeconds() {
                return 2;
            }

            @Override
            public long minRequestBytesPerSecond() {
                return 100;
            }

            @Override
            public int maxConnectionsPerAddress() {
                return 64;
            }

            @Override
            public int maxRequestsPerAddress() {
                return 3;
            }

            @Override
            public int maxBodyBytes() {
                return 1 << 20;
            }
        };
    }
}
