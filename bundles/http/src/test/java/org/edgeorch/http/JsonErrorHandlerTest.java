package org.edgeorch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What Jetty refuses on its own comes back in the product's JSON error body, never as Jetty's HTML page. */
class JsonErrorHandlerTest {

    private static Server server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                if (target.equals("/teapot")) {
                    response.sendError(418);
                } else if (target.equals("/fails")) {
                    throw new IllegalStateException("secret internals");
                } else {
                    base.setHandled(true);
                    response.setStatus(204);
                }
            }
        });
        JsonErrorHandler errors = JsonErrorHandler.northbound();
        errors.setServer(server);
        server.setErrorHandler(errors);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void parserRefusalsAreJson() throws IOException {
        assertJson(raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "uri_too_long");
        assertJson(raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431,
                "request_header_fields_too_large");
        assertJson(raw("GARBAGE\r\n\r\n"), 400, "bad_request");
        // RFC 9110's answer to a version the server does not speak, however odd a 5xx for the client's mistake
        assertJson(raw("GET / HTTP/7.3\r\nHost: x\r\n\r\n"), 505, "http_version_not_supported");
        assertJson(raw("GET / HTTP/1.1\r\nHost: x\r\nBad\u0001Header: y\r\n\r\n"), 400, "bad_request");
    }

    @Test
    void badEscapesInThePathAreJson() throws IOException {
        for (String path : new String[] {"/soap/%4", "/a/%zz", "/a%00b", "/%"}) {
            assertJson(raw("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad_request");
        }
    }

    @Test
    void errorsSentByHandlersAreJsonForEveryMethodAndNameNoInternals() throws IOException {
        assertJson(raw("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n"), 418, "i_m_a_teapot");
        assertJson(raw("DELETE /teapot HTTP/1.1\r\nHost: x\r\n\r\n"), 418, "i_m_a_teapot");
        String failed = raw("PUT /fails HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertJson(failed, 500, "internal_error");
        assertFalse(failed.contains("secret") || failed.contains("IllegalState"), failed);
    }

    @Test
    void aQuotedReasonIsShortAndNamesNoClass() {
        String message = JsonErrorHandler.message(400, "x".repeat(500));
        assertTrue(message.length() < 200, message);
        assertEquals("the request is not well formed HTTP", JsonErrorHandler.message(400, "java.lang.NumberFormatException: 4"));
    }

    private static void assertJson(String answer, int status, String code) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertTrue(head.contains("content-type: application/json"), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertTrue(body.startsWith("{\"status\":" + status + ",\"code\":\"" + code + "\",\"message\":\""), answer);
        assertTrue(body.endsWith(",\"fields\":[]}"), answer);
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
