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

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // ---- HTTP ---------------------------------------------------------------------------------

    protected static String base() {
        return "http://127.0.0.1:" + System.getProperty("edge.it.httpPort");
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build());
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

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Waits until the status answers with every named component UP. */
    protected JsonNode awaitStatusUp(String... components) {
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
}
