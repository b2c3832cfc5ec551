package org.edgeorch.release.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.Digests;
import org.edgeorch.oci.Json;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.junit.jupiter.api.Test;

/**
 * What docker-registry 2.8 sends to a webhook, which the orchestrator's webhook route parses. A real event
 * body, as received here, is kept in {@code src/test/resources/org/edgeorch/release/oci/registry-push-event.json}.
 */
class RegistryNotificationTest {

    record Received(String authorization, String contentType, JsonNode body) {
    }

    @Test
    void aManifestPushReachesTheWebhooksWithRepositoryTagAndDigest() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        BlockingQueue<Received> filtered = new LinkedBlockingQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> receive(exchange, received));
        webhook.createContext("/filtered", exchange -> receive(exchange, filtered));
        webhook.start();
        URI url = URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/");
        try (RegistryHarness registry = RegistryHarness.start(List.of(
                new RegistryHarness.Endpoint("orchestrator", url.resolve("events"), Map.of("Authorization", "Bearer X")),
                new RegistryHarness.Endpoint("filtered", url.resolve("filtered"), Map.of(), List.of("pull"), List.of("application/octet-stream"))))) {
            OciClient client = registry.client();
            client.pushBlob("os/edge", "{}".getBytes(StandardCharsets.UTF_8), ReleaseArtifact.EMPTY_CONFIG_MEDIA_TYPE);
            Descriptor image = client.pushBlob("os/edge", "image".getBytes(StandardCharsets.UTF_8), ReleaseArtifact.IMAGE_MEDIA_TYPE);
            byte[] json = OciManifest.artifact(ReleaseArtifact.ARTIFACT_TYPE, List.of(image), Map.of()).toJson();
            long pushed = System.nanoTime();
            String digest = client.putManifest("os/edge", "1.0.0", json, ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);

            List<Received> blobEvents = new ArrayList<>();
            Received manifestEvent = null;
            long deadline = pushed + TimeUnit.SECONDS.toNanos(5);
            while (manifestEvent == null) {
                Received event = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(event, "no manifest push event within 5 s; received " + blobEvents + "; registry log:\n" + registry.logText());
                JsonNode target = event.body().path("events").path(0).path("target");
                if (target.path("mediaType").asText().equals(ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE)) {
                    manifestEvent = event;
                } else {
                    blobEvents.add(event);
                }
            }

            assertEquals("Bearer X", manifestEvent.authorization());
            assertEquals("application/vnd.docker.distribution.events.v1+json", manifestEvent.contentType());
            assertEquals(1, manifestEvent.body().path("events").size(), "one event per request");
            JsonNode event = manifestEvent.body().path("events").path(0);
            assertEquals("push", event.path("action").asText());
            JsonNode target = event.path("target");
            assertEquals("os/edge", target.path("repository").asText());
            assertEquals("1.0.0", target.path("tag").asText());
            assertEquals(digest, target.path("digest").asText());
            assertEquals(json.length, target.path("size").asLong());
            assertEquals(registry.uri() + "v2/os/edge/manifests/" + digest, target.path("url").asText());
            assertEquals("PUT", event.path("request").path("method").asText());

            // Blob uploads produce push events as well: no tag, media type application/octet-stream.
            assertEquals(2, blobEvents.size(), blobEvents.toString());
            for (Received blob : blobEvents) {
                JsonNode blobEvent = blob.body().path("events").path(0);
                assertEquals("push", blobEvent.path("action").asText());
                assertEquals("application/octet-stream", blobEvent.path("target").path("mediaType").asText());
                assertTrue(blobEvent.path("target").path("tag").isMissingNode(), blobEvent.toString());
            }

            // Reads are pull events, HEAD included; an endpoint can be told to ignore them, and blob pushes.
            client.manifestDigest("os/edge", "1.0.0");
            Received pull = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(pull, "no pull event for a HEAD");
            assertEquals("pull", pull.body().path("events").path(0).path("action").asText());
            assertEquals("HEAD", pull.body().path("events").path(0).path("request").path("method").asText());
            Received only = filtered.poll(5, TimeUnit.SECONDS);
            assertNotNull(only, "no event on the filtered endpoint");
            assertEquals(manifestEvent.body(), only.body());
            assertEquals(null, filtered.poll(500, TimeUnit.MILLISECONDS), "the filtered endpoint gets the manifest push only");
        } finally {
            webhook.stop(0);
        }
    }

    private static void receive(HttpExchange exchange, BlockingQueue<Received> queue) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            queue.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), Json.MAPPER.readTree(in.readAllBytes())));
        } finally {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }
    }

    @Test
    void theKeptSampleIsAManifestPushEvent() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("registry-push-event.json")) {
            assertNotNull(in, "registry-push-event.json");
            JsonNode event = Json.MAPPER.readTree(in).path("events").path(0);
            assertEquals("push", event.path("action").asText());
            assertEquals(ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE, event.path("target").path("mediaType").asText());
            assertEquals("os/edge-microvisor", event.path("target").path("repository").asText());
            assertEquals("1.4.2", event.path("target").path("tag").asText());
            assertTrue(Digests.DIGEST.matcher(event.path("target").path("digest").asText()).matches());
        }
    }
}
