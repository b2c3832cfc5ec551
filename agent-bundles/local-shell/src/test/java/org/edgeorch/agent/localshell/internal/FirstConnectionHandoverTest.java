package org.edgeorch.agent.localshell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FirstConnectionHandoverTest {

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final AtomicReference<ServerSocket> realServer = new AtomicReference<>();
    private FirstConnectionHandover handover;

    @AfterEach
    void tearDown() throws IOException {
        if (handover != null) {
            handover.close();
        }
        if (realServer.get() != null) {
            realServer.get().close();
        }
    }

    @Test
    void nothingStartsUntilTheFirstClientThenTheFirstClientIsRelayedToTheRealServer() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        CountDownLatch bind = new CountDownLatch(1);
        CountDownLatch echoing = new CountDownLatch(1);
        handover = new FirstConnectionHandover(LOOPBACK_ANY_PORT, () -> {
            starts.incrementAndGet();
            startEchoServer(bind, echoing);
        }, Duration.ofSeconds(30));
        InetSocketAddress held = handover.address();
        assertEquals(0, starts.get());
        assertFalse(handover.handedOver());
        // the port is taken while nothing runs behind it
        assertThrows(BindException.class, () -> new ServerSocket(held.getPort(), 50, held.getAddress()).close());

        try (Socket first = new Socket(held.getAddress(), held.getPort())) {
            first.setSoTimeout(30_000);
            byte[] hello = "hello through the relay".getBytes(StandardCharsets.US_ASCII);
            first.getOutputStream().write(hello);
            // the real server binds only after the port was released and its start asked for
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!handover.handedOver() || starts.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "the first client did not start the server");
                Thread.onSpinWait();
            }
            bind.countDown();
            assertArrayEquals(hello, first.getInputStream().readNBytes(hello.length));
            assertTrue(echoing.await(30, TimeUnit.SECONDS));
            assertEquals(1, starts.get());
            assertTrue(handover.handedOver());
            // later clients reach the real server on the same port
            try (Socket second = new Socket(held.getAddress(), held.getPort())) {
                second.setSoTimeout(30_000);
                second.getOutputStream().write('x');
                assertEquals('x', second.getInputStream().read());
            }
            // the client's end of input reaches the server, whose close ends the first client's stream
            first.shutdownOutput();
            assertEquals(-1, first.getInputStream().read());
        }
        assertEquals(1, starts.get());
    }

    @Test
    void aServerThatNeverListensDisconnectsTheFirstClientAfterTheDeadline() throws Exception {
        handover = new FirstConnectionHandover(LOOPBACK_ANY_PORT, () -> { }, Duration.ofMillis(300));
        InetSocketAddress held = handover.address();
        try (Socket first = new Socket(held.getAddress(), held.getPort())) {
            first.setSoTimeout(30_000);
            assertEquals(-1, first.getInputStream().read());
        }
        assertTrue(handover.handedOver());
    }

    @Test
    void aServerThatFailsToStartDisconnectsTheFirstClient() throws Exception {
        handover = new FirstConnectionHandover(LOOPBACK_ANY_PORT, () -> {
            throw new IllegalStateException("no SSH today");
        }, Duration.ofSeconds(30));
        InetSocketAddress held = handover.address();
        try (Socket first = new Socket(held.getAddress(), held.getPort())) {
            first.setSoTimeout(30_000);
            assertEquals(-1, first.getInputStream().read());
        }
    }

    @Test
    void closeReleasesThePortWithoutStartingAnything() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        handover = new FirstConnectionHandover(LOOPBACK_ANY_PORT, starts::incrementAndGet, Duration.ofSeconds(30));
        InetSocketAddress held = handover.address();
        handover.close();
        handover = null;
        new ServerSocket(held.getPort(), 50, held.getAddress()).close();
        assertEquals(0, starts.get());
    }

    @Test
    void aTakenPortIsAnErrorAtOnce() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThrows(BindException.class, () -> new FirstConnectionHandover(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()), () -> { }, Duration.ofSeconds(1)));
        }
    }

    @Test
    void theAddressComesFromTheShellConfigurationWithKarafsDefaults() {
        assertEquals(new InetSocketAddress("127.0.0.1", 8102),
                LocalShellOnDemand.address(Map.of("sshHost", "127.0.0.1", "sshPort", "8102")));
        assertEquals(new InetSocketAddress("0.0.0.0", 8101), LocalShellOnDemand.address(Map.of()));
        assertEquals(new InetSocketAddress("127.0.0.1", 8101),
                LocalShellOnDemand.address(Map.of("sshHost", "127.0.0.1", "sshPort", "eighty")));
        assertEquals(new InetSocketAddress("127.0.0.1", 8101),
                LocalShellOnDemand.address(Map.of("sshHost", "127.0.0.1", "sshPort", 70000)));
    }

    /** The real server, started late on the held port as Karaf's SSH bundle is: echoes each connection's bytes. */
    private void startEchoServer(CountDownLatch bind, CountDownLatch echoing) {
        InetSocketAddress held = handover.address();
        Thread t = new Thread(() -> {
            try {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                if (!bind.await(30, TimeUnit.SECONDS)) {
                    server.close();
                    return;
                }
                server.bind(held);
                realServer.set(server);
                echoing.countDown();
                while (!server.isClosed()) {
                    Socket s = server.accept();
                    Thread echo = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // client gone
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                }
            } catch (IOException | InterruptedException ignored) {
                // closed by tearDown
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
