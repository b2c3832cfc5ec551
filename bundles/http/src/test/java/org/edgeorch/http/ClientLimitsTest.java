package org.edgeorch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real Jetty connector with the limits on, driven by raw sockets as a slow or greedy client would. */
class ClientLimitsTest {

    private static final InetAddress ME = loopback(1);
    private static final InetAddress OTHER = loopback(2);

    private Server server;
    private ServerConnector connector;
    private ClientLimits limits;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** Reads the whole body as an endpoint does, and maps a body that came too slowly to 408. */
    private static final class ReadingHandler extends AbstractHandler {
        private final JsonErrorHandler errors = JsonErrorHandler.northbound();

        @Override
        public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            base.setHandled(true);
            byte[] body;
            try {
                body = request.getInputStream().readAllBytes();
            } catch (IOException | RuntimeException e) {
                if (!ClientLimits.timedOut(e)) {
                    throw e;
                }
                response.setHeader("Connection", "close");
                errors.write(response, 408, ClientLimits.timeoutMessage());
                return;
            }
            byte[] answer = ("{\"read\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
            response.setContentType("application/json");
            response.setContentLength(answer.length);
            response.getOutputStream().write(answer);
        }
    }

    private void start(ClientLimits.Settings settings) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("0.0.0.0");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new ReadingHandler());
        JsonErrorHandler errors = JsonErrorHandler.northbound();
        errors.setServer(server);
        server.setErrorHandler(errors);
        server.start();
        limits = ClientLimits.apply("test", connector, settings, errors);
    }

    private static ClientLimits.Settings settings(int idleMillis, int headerMillis, long minRate, int connections,
            int requests) {
        return new ClientLimits.Settings(Duration.ofMillis(idleMillis), Duration.ofMillis(headerMillis), minRate,
                connections, requests);
    }

    @Test
    void aBodyTrickledByteByByteEndsWith408AndTheErrorBody() throws Exception {
        start(settings(30_000, 5_000, 100, 0, 0));
        Socket s = open(ME);
        OutputStream out = s.getOutputStream();
        out.write(post(1000).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        String answer = null;
        for (int i = 0; i < 1000 && answer == null; i++) {
            try {
                out.write('x');
                out.flush();
            } catch (IOException closed) {
                break;
            }
            answer = readIfAny(s, 50);
        }
        if (answer == null) {
            answer = read(s);
        }
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"request_timeout\""), answer);
        assertTrue(answer.contains("application/json"), answer);
        assertFalse(answer.contains("Exception"), answer);
        // well before the idle timeout: the data rate, not the timeout, ended it
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
    }

    @Test
    void aBodyThatStopsEndsWith408AtTheIdleTimeout() throws Exception {
        start(settings(500, 5_000, 0, 0, 0));
        Socket s = open(ME);
        s.getOutputStream().write((post(10) + "abc").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String answer = read(s);
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"request_timeout\""), answer);
    }

    @Test
    void aBodySentWholeIsReadAndItsPlaceReleasedOnAKeptAliveConnection() throws Exception {
        start(settings(30_000, 5_000, 100, 4, 1));
        Socket s = open(ME);
        for (int i = 0; i < 3; i++) {
            s.getOutputStream().write((post(5) + "hello").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = read(s);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.contains("{\"read\":5}"), answer);
            poll(() -> limits.requestsInProgress(ME) == 0);
        }
        assertEquals(0, limits.refusedRequests());
    }

    @Test
    void requestsOverTheCapPerAddressAnswer429WhileOtherAddressesAreServed() throws Exception {
        start(settings(30_000, 0, 0, 0, 2));
        // two requests from OTHER whose bodies never end hold their threads
        for (int i = 0; i < 2; i++) {
            Socket held = open(OTHER);
            held.getOutputStream().write((post(100) + "x").getBytes(StandardCharsets.US_ASCII));
            held.getOutputStream().flush();
        }
        poll(() -> limits.requestsInProgress(OTHER) == 2);
        String refused = call(OTHER);
        assertTrue(refused.startsWith("HTTP/1.1 429"), refused);
        assertTrue(refused.contains("\"code\":\"too_many_requests\""), refused);
        assertTrue(refused.toLowerCase().contains("retry-after: 1"), refused);
        assertEquals(1, limits.refusedRequests());
        assertTrue(call(ME).startsWith("HTTP/1.1 200"));
        // when they end, their address is served again
        for (Socket s : sockets) {
            if (s.getLocalAddress().equals(OTHER)) {
                s.close();
            }
        }
        poll(() -> limits.requestsInProgress(OTHER) == 0);
        assertTrue(call(OTHER).startsWith("HTTP/1.1 200"));
    }

    @Test
    void connectionsOverTheCapPerAddressAreClosedAsTheyOpen() throws Exception {
        start(settings(30_000, 0, 0, 3, 0));
        for (int i = 0; i < 3; i++) {
            open(OTHER);
        }
        poll(() -> limits.connectionsOpen(OTHER) == 3);
        Socket excess = open(OTHER);
        excess.setSoTimeout(5_000);
        assertEquals(-1, readOrReset(excess.getInputStream()), "the fourth connection is closed");
        assertEquals(1, limits.refusedConnections());
        assertTrue(call(ME).startsWith("HTTP/1.1 200"));
        sockets.get(0).close();
        poll(() -> limits.connectionsOpen(OTHER) == 2);
        assertTrue(call(OTHER).startsWith("HTTP/1.1 200"));
    }

    @Test
    void headersTrickledByteByByteAreCutOffAtTheHeaderTimeout() throws Exception {
        start(settings(30_000, 600, 0, 0, 0));
        Socket s = open(OTHER);
        OutputStream out = s.getOutputStream();
        byte[] request = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < request.length && !closed; i++) {
            try {
                out.write(request[i]);
                out.flush();
                closed = readIfAny(s, 100) != null || s.isInputShutdown();
            } catch (IOException e) {
                closed = true;
            }
        }
        if (!closed) {
            s.setSoTimeout(5_000);
            assertEquals(-1, readOrReset(s.getInputStream()));
        }
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(took < 5_000, "closed after " + took + " ms");
        assertTrue(limits.headerTimeouts() >= 1);
        // a header block sent at once is not affected, nor is an idle keep-alive connection
        Socket idle = open(ME);
        assertTrue(call(ME).startsWith("HTTP/1.1 200"));
        idle.getOutputStream().write(get().getBytes(StandardCharsets.US_ASCII));
        assertTrue(read(idle).startsWith("HTTP/1.1 200"));
    }

    @Test
    void timedOutRecognisesJettysRefusalsInWhateverWrapsThem() {
        assertTrue(ClientLimits.timedOut(new BadMessageException(408, "Request content data rate < 100 B/s")));
        assertTrue(ClientLimits.timedOut(new IllegalStateException(new IOException(new BadMessageException(408)))));
        assertTrue(ClientLimits.timedOut(new IOException(new TimeoutException("Idle timeout expired: 500/500 ms"))));
        assertFalse(ClientLimits.timedOut(new BadMessageException(400, "bad")));
        assertFalse(ClientLimits.timedOut(new IOException("Connection reset")));
        assertFalse(ClientLimits.timedOut(null));
    }

    // ---- raw HTTP

    private static String post(int length) {
        return "POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static String get() {
        return "GET /x HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private Socket open(InetAddress from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), connector.getLocalPort()), 5_000);
        sockets.add(s);
        return s;
    }

    private String call(InetAddress from) throws IOException {
        Socket s = open(from);
        s.getOutputStream().write((post(5) + "hello").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return read(s);
    }

    /** One response: status line, headers and the body its Content-Length gives. */
    private static String read(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            got.write(b);
            String text = got.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                int length = contentLength(text.substring(0, end));
                if (text.length() - end - 4 >= length) {
                    return text;
                }
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readIfAny(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            int b = s.getInputStream().read();
            if (b < 0) {
                return "";
            }
            return (char) b + read(s);
        } catch (SocketTimeoutException none) {
            return null;
        }
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static int contentLength(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return 0;
    }

    private static void poll(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 10 s");
            }
            Thread.sleep(10);
        }
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
