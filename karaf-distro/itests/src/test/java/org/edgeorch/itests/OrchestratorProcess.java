package org.edgeorch.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The orchestrator distribution as its own operating-system process ({@code bin/karaf server}), for tests
 * that must kill it ({@code kill -9} of the whole process tree) and start it again on the same data, which a
 * Pax Exam container cannot do. Runs in the test JVM.
 */
final class OrchestratorProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PASSWORD = "itest-admin-password";

    private final Path home;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private String token;

    /**
     * Unpacks the distribution into {@code home} and writes {@code settings}: file name under etc/ to the
     * properties to set in it (appended, so they win over the shipped values).
     */
    OrchestratorProcess(Path home, int httpPort, int sshPort, int rmiBase, Map<String, Map<String, String>> settings)
            throws IOException, InterruptedException {
        this.home = home;
        this.httpPort = httpPort;
        Files.createDirectories(home);
        Process tar = new ProcessBuilder("tar", "xzf", System.getProperty("edge.orchestrator.distribution"), "-C", home.toString(),
                "--strip-components=1").inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("cannot unpack the orchestrator into " + home);
        }
        append("org.ops4j.pax.web.cfg", Map.of("org.osgi.service.http.port", String.valueOf(httpPort)));
        append("org.apache.karaf.shell.cfg", Map.of("sshPort", String.valueOf(sshPort)));
        append("org.apache.karaf.management.cfg", Map.of("rmiRegistryPort", String.valueOf(rmiBase),
                "rmiServerPort", String.valueOf(rmiBase + 1)));
        append("org.edgeorch.tenancy.cfg", Map.of("initialAdminPassword", ADMIN_PASSWORD));
        for (Map.Entry<String, Map<String, String>> e : settings.entrySet()) {
            append(e.getKey(), e.getValue());
        }
    }

    private void append(String file, Map<String, String> values) throws IOException {
        StringBuilder b = new StringBuilder("\n");
        values.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(home.resolve("etc").resolve(file), b.toString(), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** Starts it and waits until the admin can log in and the database and Camel are up. */
    void start() throws Exception {
        launch();
        awaitReady();
    }

    /** Starts the process without waiting for it (several at once: {@link #awaitReady()} each). */
    void launch() throws IOException {
        process = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile()).start();
    }

    /** Waits until the admin can log in and the database and Camel are up. */
    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = send("POST", "/api/v1/auth/login", null,
                        "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
                if (r.statusCode() == 200) {
                    token = JSON.readTree(r.body()).get("token").asText();
                    JsonNode status = JSON.readTree(call("GET", "/api/v1/status", null).body());
                    if (status.toString().contains("\"camel\"") && !status.toString().contains("DOWN")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the orchestrator in " + home + " did not come up; see console.log and data/log");
    }

    /** Kills the whole process tree at once, as a power cut would. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        Processes.killTree(process);
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, token, body);
    }

    JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = call(method, path, body);
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    /** A call with another user's token. */
    HttpResponse<String> callAs(String bearer, String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, bearer, body);
    }

    /** Logs a user in and answers the bearer token. */
    String login(String username, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/api/v1/auth/login", null,
                JSON.writeValueAsString(Map.of("username", username, "password", password)));
        if (r.statusCode() != 200) {
            throw new AssertionError("login of " + username + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("token").asText();
    }

    int httpPort() {
        return httpPort;
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
