package org.edgeorch.agent;

import static org.edgeorch.agent.AgentDeadlineTest.certificate;
import static org.edgeorch.agent.AgentDeadlineTest.ecKey;
import static org.edgeorch.agent.AgentDeadlineTest.poll;
import static org.edgeorch.agent.AgentDeadlineTest.serverContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLParameters;

import org.edgeorch.agent.internal.AgentFiles;
import org.edgeorch.agent.internal.Pem;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.southbound.DesiredState;
import org.edgeorch.spi.southbound.SampleSet;
import org.edgeorch.spi.southbound.Southbound;
import org.edgeorch.spi.southbound.SouthboundError;
import org.edgeorch.spi.southbound.SyncRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * The agent samples at the interval of its desired state, keeps sampling while the orchestrator is out of reach, and
 * sends the backlog when it is back, each set once taken; against a real HTTPS server asking for the host's
 * certificate, as the orchestrator's southbound does.
 */
class AgentTelemetryTest {

    @TempDir
    Path dir;

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService agentThread = Executors.newSingleThreadScheduledExecutor();
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private HttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        serverThreads.shutdownNow();
        agentThread.shutdownNow();
    }

    @Test
    void samplesKeptWhileTheOrchestratorIsDownAreSentOnceWhenItIsBack() throws Exception {
        KeyPair caKey = ecKey();
        X509Certificate ca = certificate("CN=test authority", caKey, "CN=test authority", caKey.getPublic(), true);
        KeyPair serverKey = ecKey();
        X509Certificate serverCert = certificate("CN=test authority", caKey, "CN=localhost", serverKey.getPublic(), false);
        KeyPair hostKey = ecKey();
        X509Certificate hostCert = certificate("CN=test authority", caKey, "CN=node-1", hostKey.getPublic(), false);

        AtomicBoolean down = new AtomicBoolean();
        List<SampleSet> received = new CopyOnWriteArrayList<>();
        AtomicInteger failedWhileDown = new AtomicInteger();
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
        server.createContext(Southbound.SYNC, exchange -> {
            SyncRequest sync = json.readValue(exchange.getRequestBody().readAllBytes(), SyncRequest.class);
            byte[] body;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (down.get()) {
                failedWhileDown.incrementAndGet();
                body = json.writeValueAsBytes(new SouthboundError(503, "UNAVAILABLE", "down for the test"));
                exchange.sendResponseHeaders(503, body.length);
            } else {
                List<SampleSet> sets = sync.telemetry() == null ? List.of() : sync.telemetry();
                received.addAll(sets);
                exchange.getResponseHeaders().set(Southbound.TELEMETRY_HEADER, Integer.toString(sets.size()));
                exchange.getResponseHeaders().set("ETag", "\"e1\"");
                body = json.writeValueAsBytes(new DesiredState("acme", "node-1", Map.of(), 1,
                        Instant.now().plus(Duration.ofDays(300)).toEpochMilli(), null, List.of(), List.of(), 1));
                exchange.sendResponseHeaders(200, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();

        AgentFiles files = new AgentFiles(dir.resolve("agent"));
        files.write("ca.pem", Pem.certificate(ca));
        files.write("identity.pem", Pem.privateKey(hostKey.getPrivate()) + Pem.certificate(hostCert));
        AtomicInteger readings = new AtomicInteger();
        Agent.Settings settings = new Agent.Settings(URI.create("https://localhost:" + server.getAddress().getPort()),
                null, null, dir.resolve("agent"), null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(20));
        try (Agent agent = new Agent(settings, () -> SimulatedHardware.forHost(1), agentThread, null, null, null, null,
                () -> new Telemetry(Instant.now(), List.of(new Telemetry.Sample(Telemetry.CPU_USAGE, "",
                        readings.incrementAndGet()))))) {
            agent.start(Duration.ZERO);
            // the first answer sets the interval (1 s); its samples arrive
            poll(Duration.ofSeconds(60), () -> received.size() >= 2);

            down.set(true);
            poll(Duration.ofSeconds(60), () -> failedWhileDown.get() >= 2 && agent.status().pendingTelemetry() >= 5);
            int buffered = agent.status().pendingTelemetry();
            int before = received.size();

            down.set(false);
            poll(Duration.ofSeconds(60), () -> received.size() >= before + buffered);
            poll(Duration.ofSeconds(60), () -> agent.status().pendingTelemetry() <= 1);
            assertEquals(0, agent.status().droppedTelemetry());
        }
        List<Long> sequences = new ArrayList<>(received.stream().map(SampleSet::sequence).toList());
        String buffer = received.get(0).buffer();
        assertTrue(received.stream().allMatch(s -> buffer.equals(s.buffer())), "one buffer: " + received);
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals(i + 1L, sequences.get(i), "every set once, oldest first, none lost: " + sequences);
        }
        // each reading reached the server with the value it was read with, in order
        for (int i = 0; i < received.size(); i++) {
            assertEquals(i + 1.0, received.get(i).samples().get(0).value(), 0.0);
        }
        System.out.printf("%d set(s) received in order, %d sync(s) refused while down%n", received.size(),
                failedWhileDown.get());
        assertTrue(new String(java.nio.file.Files.readAllBytes(dir.resolve("agent/telemetry.id")), StandardCharsets.UTF_8)
                .strip().equals(buffer));
    }
}
