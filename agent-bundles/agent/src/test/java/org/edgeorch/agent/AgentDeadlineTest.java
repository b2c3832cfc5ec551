package org.edgeorch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.edgeorch.agent.internal.AgentFiles;
import org.edgeorch.agent.internal.Pem;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * A southbound server that answers a sync with its headers at once and then one byte of body every 200 ms must not
 * hold the agent: the JDK client's request timeout stops at the response headers, so only a deadline over the whole
 * exchange ends it. The server is a real HTTPS server asking for the host's certificate (mutual TLS, as the
 * orchestrator does), with a test authority issuing both sides.
 */
class AgentDeadlineTest {

    @TempDir
    Path dir;

    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService agentThread = Executors.newSingleThreadScheduledExecutor();
    private HttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        trickler.shutdownNow();
        serverThreads.shutdownNow();
        agentThread.shutdownNow();
    }

    @Test
    void aSyncWhoseAnswerTricklesIsAbandonedAtTheCallDeadline() throws Exception {
        KeyPair caKey = ecKey();
        X509Certificate ca = certificate("CN=test authority", caKey, "CN=test authority", caKey.getPublic(), true);
        KeyPair serverKey = ecKey();
        X509Certificate serverCert = certificate("CN=test authority", caKey, "CN=localhost", serverKey.getPublic(), false);
        KeyPair hostKey = ecKey();
        X509Certificate hostCert = certificate("CN=test authority", caKey, "CN=node-1", hostKey.getPublic(), false);

        AtomicInteger syncs = new AtomicInteger();
        AtomicReference<String> clientSubject = new AtomicReference<>();
        AtomicInteger bytesSent = new AtomicInteger();
        AtomicBoolean hungUp = new AtomicBoolean();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(serverKey.getPrivate(), serverCert, ca)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Certificate[] peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            clientSubject.set(((X509Certificate) peer[0]).getSubjectX500Principal().getName());
            if (syncs.incrementAndGet() > 1) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 1 << 20);
            OutputStream body = exchange.getResponseBody();
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            self.set(trickler.scheduleAtFixedRate(() -> {
                try {
                    body.write(' ');
                    body.flush();
                    bytesSent.incrementAndGet();
                } catch (IOException e) {
                    hungUp.set(true);
                    self.get().cancel(false);
                }
            }, 0, 200, TimeUnit.MILLISECONDS));
        });
        server.start();

        // The node's data folder as enrolment leaves it: the authority, the host's key and certificate.
        AgentFiles files = new AgentFiles(dir.resolve("agent"));
        files.write("ca.pem", Pem.certificate(ca));
        files.write("identity.pem", Pem.privateKey(hostKey.getPrivate()) + Pem.certificate(hostCert));

        Agent.Settings settings = new Agent.Settings(URI.create("https://localhost:" + server.getAddress().getPort()),
                null, null, dir.resolve("agent"), null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(2));
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        Agent.Observer observer = new Agent.Observer() {
            @Override
            public void failed(String call, Exception e) {
                firstFailure.compareAndSet(null, e);
            }
        };
        try (Agent agent = new Agent(settings, () -> SimulatedHardware.forHost(1), agentThread, null, observer)) {
            agent.start(Duration.ZERO);
            // Generous bounds for a loaded machine; without a deadline neither ever happens (the body lasts 58 hours).
            poll(Duration.ofSeconds(60), () -> firstFailure.get() != null);
            poll(Duration.ofSeconds(60), hungUp::get);
            assertTrue(agent.status().consecutiveFailures() >= 1);
            assertEquals(null, agent.status().lastSyncAt());
        }
        Exception e = firstFailure.get();
        assertTrue(e instanceof java.net.http.HttpTimeoutException, e.toString());
        assertTrue(e.getMessage().contains("/southbound/v1/sync") && e.getMessage().contains("call deadline of PT2S"),
                e.getMessage());
        assertTrue(clientSubject.get().contains("CN=node-1"), "the sync went over mutual TLS: " + clientSubject.get());
        assertTrue(bytesSent.get() >= 1, "the answer had started: " + bytesSent.get());
        System.out.printf("trickled %d byte(s) before the agent hung up; %d sync(s)%n", bytesSent.get(), syncs.get());
    }

    @Test
    void aCallDeadlineIsPositiveAndDefaultsToAMinute() {
        Path d = dir.resolve("x");
        URI u = URI.create("https://localhost:1");
        assertEquals(Duration.ofSeconds(60), new Agent.Settings(u, null, null, d, null, null, null, null).callDeadline());
        assertEquals(Duration.ofSeconds(60), new Agent.Settings(u, null, null, d, null, null, null, null, null).callDeadline());
        assertThrows(IllegalArgumentException.class,
                () -> new Agent.Settings(u, null, null, d, null, null, null, null, Duration.ZERO));
    }

    static void poll(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static X509Certificate certificate(String issuer, KeyPair issuerKey, String subject,
                                               java.security.PublicKey key, boolean authority) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(subject.hashCode() & 0xffff)),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))),
                new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
        if (!authority) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    static SSLContext serverContext(PrivateKey key, X509Certificate cert, X509Certificate ca) throws Exception {
        char[] pw = "test".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, pw, new Certificate[] {cert, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
