package org.edgeorch.bench.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.ContentResponse;
import org.junit.jupiter.api.Test;

/** The two pieces that let one client act as many hosts: a key per peer address, and a source address per host. */
class SharedClientTest {

    @Test
    void everyHostHasItsOwnLoopbackAddressOutside127001() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 70_000; i++) {
            String a = HostKeys.address(i);
            assertNotEquals("127.0.0.1", a);
            seen.add(a);
        }
        assertEquals(70_000, seen.size());
        assertEquals("127.1.0.0", HostKeys.address(0));
        assertEquals("127.2.0.1", HostKeys.address(65_537));
        assertThrows(IllegalArgumentException.class, () -> HostKeys.address(-1));
    }

    @Test
    void theEnginesPeerAddressPicksTheHostsKeyAndAnUnknownPeerGetsNone() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        KeyPair a = g.generateKeyPair();
        KeyPair b = g.generateKeyPair();
        X509Certificate[] chainA = new X509Certificate[0];
        HostKeys keys = new HostKeys();
        keys.put("127.1.0.1", a.getPrivate(), chainA);
        keys.put("127.1.0.2", b.getPrivate());
        SSLContext tls = SSLContext.getDefault();
        String alias = keys.chooseEngineClientAlias(new String[] {"EC"}, null, tls.createSSLEngine("127.1.0.2", 8443));
        assertEquals("127.1.0.2", alias);
        assertSame(b.getPrivate(), keys.getPrivateKey(alias));
        assertSame(a.getPrivate(), keys.getPrivateKey(keys.chooseEngineClientAlias(new String[] {"EC"}, null,
                tls.createSSLEngine("127.1.0.1", 8443))));
        assertArrayEquals(chainA, keys.getCertificateChain("127.1.0.1"));
        // the enrolment destination (no host yet) and a key type the host has not: no certificate
        assertNull(keys.chooseEngineClientAlias(new String[] {"EC"}, null, tls.createSSLEngine("127.0.0.1", 8443)));
        assertNull(keys.chooseEngineClientAlias(new String[] {"RSA"}, null, tls.createSSLEngine("127.1.0.1", 8443)));
    }

    @Test
    void aConnectionToAHostsAddressComesFromThatAddress() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            CompletableFuture<String> from = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        // the request head
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return s.getInetAddress().getHostAddress();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            HttpClient client = new HttpClient(new LoopbackTransport(1), null);
            client.start();
            try {
                ContentResponse r = client.newRequest("http://" + HostKeys.address(258) + ":" + server.getLocalPort() + "/")
                        .timeout(20, TimeUnit.SECONDS).send();
                assertEquals(204, r.getStatus());
                assertEquals("127.1.1.2", from.get(20, TimeUnit.SECONDS));
            } finally {
                client.stop();
            }
        }
    }

    @Test
    void stagesGrowTheFleetWithAStrategyEach() {
        assertEquals(java.util.List.of(new FleetSimulator.Stage(5000, false, 60), new FleetSimulator.Stage(10000, true, 90)),
                FleetSimulator.Stage.parse("5000:keep:60, 10000:close:90"));
        assertThrows(IllegalArgumentException.class, () -> FleetSimulator.Stage.parse("5000:open:60"));
        assertThrows(IllegalArgumentException.class, () -> FleetSimulator.Stage.parse("10000:keep:60,5000:keep:60"));
        assertThrows(IllegalArgumentException.class, () -> FleetSimulator.Stage.parse("5000:keep"));
    }
}
