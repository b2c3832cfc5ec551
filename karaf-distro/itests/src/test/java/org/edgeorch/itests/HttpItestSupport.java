package org.edgeorch.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** HTTP and JSON helpers for tests of the orchestrator (the node runtime has neither a web server nor Jackson). */
public abstract class HttpItestSupport extends ItestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** The initial administrator's password, set through configuration in the test's copy of the runtime. */
    protected static final String ADMIN_PASSWORD = "itest-admin-password";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Bearer token sent with {@link #get} and {@link #call}; set by {@link #awaitStatusUp} (the admin's). */
    protected String token;

    protected static org.ops4j.pax.exam.Option adminPassword() {
        return org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                "etc/org.edgeorch.tenancy.cfg", "initialAdminPassword", ADMIN_PASSWORD);
    }

    /** Logs in and returns the bearer token. */
    protected String login(String username, String password) {
        HttpResponse<String> r = call("POST", "/api/v1/auth/login", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (r.statusCode() != 200) {
            throw new AssertionError("login of " + username + " failed: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("token").asText();
    }

    /** A request with a JSON body (or none) and the given bearer token (or none). */
    protected HttpResponse<String> call(String method, String path, String bearer, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    protected static String base() {
        return "http://127.0.0.1:" + System.getProperty("edge.it.httpPort");
    }

    protected HttpResponse<String> get(String path) {
        return call("GET", path, token, null);
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- raw sockets: requests no HTTP client would send ---------------------------------------

    /** A plain socket to the web container's port (REST, SOAP, UI). */
    protected static java.net.Socket webSocket() throws IOException {
        return new java.net.Socket("127.0.0.1", Integer.parseInt(System.getProperty("edge.it.httpPort")));
    }

    /**
     * A TLS socket, without a client certificate, to the southbound port; the server's certificate is not checked
     * (what is tested is its answer, not its identity).
     */
    protected static java.net.Socket southboundSocket(int port) throws IOException {
        try {
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
                    throw new UnsupportedOperationException("client side only");
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {
                    // any server: the test reads its answers only
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
            socket.startHandshake();
            return socket;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Writes {@code request} as it is (ISO-8859-1 bytes) and reads the whole answer, the server closing after it. */
    protected static String rawAnswer(java.net.Socket socket, String request) throws IOException {
        try (socket) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * Checks that a raw answer has {@code status} and a JSON error body with {@code code} (any code when null) and a
     * message, and returns that body.
     */
    protected static JsonNode assertRawJsonError(String answer, int status, String code) throws IOException {
        org.junit.Assert.assertTrue(answer, answer.startsWith("HTTP/1.1 " + status + " "));
        int split = answer.indexOf("\r\n\r\n");
        org.junit.Assert.assertTrue(answer, answer.substring(0, split).toLowerCase(java.util.Locale.ROOT)
                .contains("content-type: application/json"));
        JsonNode error = JSON.readTree(answer.substring(split + 4));
        org.junit.Assert.assertEquals(answer, status, error.get("status").asInt());
        if (code != null) {
            org.junit.Assert.assertEquals(answer, code, error.get("code").asText());
        }
        org.junit.Assert.assertTrue(answer, error.get("message").asText().length() > 0);
        return error;
    }

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Waits until the status answers with every named component UP. */
    protected JsonNode awaitStatusUp(String... components) {
        await("health", BOOT_TIMEOUT, () -> call("GET", "/api/v1/health", null, null).statusCode() == 200);
        await("the initial administrator", BOOT_TIMEOUT, () -> {
            token = login("admin", ADMIN_PASSWORD);
            return true;
        });
        await("status with " + String.join(", ", components) + " UP", BOOT_TIMEOUT, () -> {
            HttpResponse<String> r = get("/api/v1/status");
            if (r.statusCode() != 200) {
                return false;
            }
            JsonNode status = json(r);
            for (String name : components) {
                boolean up = false;
                for (JsonNode c : status.get("components")) {
                    up |= c.get("name").asText().equals(name) && c.get("state").asText().equals("UP");
                }
                if (!up) {
                    return false;
                }
            }
            return true;
        });
        return json(get("/api/v1/status"));
    }

    /** Runs one command over SSH as a product user; returns what it printed. */
    protected static String ssh(int port, String user, String password, String command) throws Exception {
        org.apache.sshd.client.SshClient client = org.apache.sshd.client.SshClient.setUpDefaultClient();
        client.start();
        try (org.apache.sshd.client.session.ClientSession session = client.connect(user, "127.0.0.1", port).verify(10, java.util.concurrent.TimeUnit.SECONDS).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(10, java.util.concurrent.TimeUnit.SECONDS);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (org.apache.sshd.client.channel.ChannelExec channel = session.createExecChannel(command)) {
                channel.setOut(out);
                channel.setErr(out);
                channel.open().verify(10, java.util.concurrent.TimeUnit.SECONDS);
                channel.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED), java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
            }
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            client.stop();
        }
    }


    /**
     * Sends a SOAP 1.1 call; authenticates with a bearer token, or a WS-Security UsernameToken
     * ({@code {user, password}}), or not at all. Returns the response envelope.
     */
    protected String soap(String path, String bearer, String[] usernameToken, String body) {
        String header = usernameToken == null ? "" : "<s:Header><wsse:Security xmlns:wsse=\""
                + "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\"><wsse:UsernameToken>"
                + "<wsse:Username>" + usernameToken[0] + "</wsse:Username><wsse:Password Type=\"http://docs.oasis-open.org/wss/"
                + "2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText\">" + usernameToken[1]
                + "</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header>";
        String envelope = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:p=\"urn:edgeorch:platform:v1\">" + header + "<s:Body>" + body + "</s:Body></s:Envelope>";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "text/xml; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(envelope));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build()).body();
    }

    protected static HttpResponse<String> created(HttpResponse<String> r) {
        org.junit.Assert.assertEquals(r.body(), 201, r.statusCode());
        return r;
    }
}
