package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The event stream on the running orchestrator (Derby): a host's status change read live from
 * {@code /events/stream} (Server-Sent Events with a bearer header, as the dashboard's fetch sends it) and replayed
 * after {@code Last-Event-ID}; the journal with filters, bad input, another tenant, SOAP and {@code edge:events}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventsIT extends HttpItestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return options(distribution("orchestrator", 18196, 18116, 12199), adminPassword());
    }

    private void project() {
        awaitStatusUp("database");
        if (call("GET", "/api/v1/projects/events", token, null).statusCode() == 200) {
            return;
        }
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"events\"}"));
    }

    /** One Server-Sent Event as the stream sent it. */
    record Sse(String id, String event, JsonNode data) {
    }

    /** Reads a stream on its own thread, event by event, until closed. */
    final class SseReader implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final LinkedBlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        final List<String> comments = new ArrayList<>();
        private final Thread thread;

        SseReader(String path, String bearer, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + bearer);
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            thread = new Thread(this::read, "sse-reader");
            thread.setDaemon(true);
            if (response.statusCode() == 200) {
                thread.start();
            }
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Sse(id, event, JSON.readTree(data.toString())));
                        }
                        id = null;
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        synchronized (comments) {
                            comments.add(line);
                        }
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (Exception e) {
                // closed by the test
            }
        }

        Sse next() throws InterruptedException {
            Sse e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull("an event within 10 s", e);
            return e;
        }

        @Override
        public void close() throws Exception {
            response.body().close();
            thread.interrupt();
        }
    }

    @Test
    public void aHostsStatusChangeArrivesLiveAndIsReplayedAfterLastEventId() throws Exception {
        project();
        String streamPath = "/api/v1/projects/events/events/stream";
        String registeredId;
        String changedId;
        try (SseReader live = new SseReader(streamPath, token, null)) {
            assertEquals(200, live.response.statusCode());
            assertTrue(live.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            created(call("POST", "/api/v1/projects/events/hosts", token, "{\"name\":\"e1\",\"serialNumber\":\"SN-E1\"}"));
            Sse registered = live.next();
            assertEquals("host.registered", registered.event());
            assertEquals("e1", registered.data().get("subject").asText());
            assertEquals(registered.id(), registered.data().get("id").asText());
            registeredId = registered.id();

            assertEquals(200, call("POST", "/api/v1/projects/events/hosts/e1/invalidate", token,
                    "{\"reason\":\"stolen from the shop\"}").statusCode());
            Sse changed = live.next();
            assertEquals("host.status-changed", changed.event());
            assertEquals("INVALIDATED", changed.data().get("status").asText());
            assertEquals("REGISTERED", changed.data().get("previous").asText());
            assertEquals("stolen from the shop", changed.data().get("message").asText());
            changedId = changed.id();
            assertTrue(Long.parseLong(changedId) > Long.parseLong(registeredId));
        }

        // The reader reconnects after the first event: the one it missed comes first, then nothing more.
        try (SseReader resumed = new SseReader(streamPath, token, registeredId)) {
            Sse replayed = resumed.next();
            assertEquals(changedId, replayed.id());
            assertEquals("INVALIDATED", replayed.data().get("status").asText());
            assertEquals(null, resumed.events.poll(1, TimeUnit.SECONDS));
        }
        // lastEventId as a parameter too (a client that cannot set headers), and with a type filter
        try (SseReader filtered = new SseReader(streamPath + "?type=host.status-changed&lastEventId=0", token, null)) {
            Sse first = filtered.next();
            assertEquals(changedId, first.id());
        }

        JsonNode page = json(get("/api/v1/projects/events/events?type=host.status-changed&subject=e1"));
        assertEquals(1, page.get("total").asInt());
        assertEquals("INVALIDATED", page.get("events").get(0).get("status").asText());
        assertEquals(2, json(get("/api/v1/projects/events/events?subject=e1")).get("total").asInt());
        assertEquals(1, json(get("/api/v1/projects/events/events?subject=e1&after=" + registeredId)).get("total").asInt());

        String shell = shell("edge:events --project events --subject e1");
        assertTrue(shell, shell.contains("host.status-changed") && shell.contains("INVALIDATED") && shell.contains("2 of 2"));
        String soap = soap("/soap/events", token, null, "<p:listEvents><p:project>events</p:project>"
                + "<p:type>host.status-changed</p:type><p:offset>0</p:offset><p:limit>0</p:limit></p:listEvents>");
        assertTrue(soap, soap.contains("INVALIDATED") && soap.matches("(?s).*total>1</.*"));
    }

    @Test
    public void badInputIsRefusedWithTheErrorModelAndAnotherTenantsStreamIsNotFound() throws Exception {
        project();
        for (String bad : List.of("/api/v1/projects/events/events?type=NOPE", "/api/v1/projects/events/events?limit=5000",
                "/api/v1/projects/events/events?from=yesterday", "/api/v1/projects/events/events/stream?lastEventId=abc",
                "/api/v1/projects/events/events/stream?type=" + "x".repeat(300))) {
            HttpResponse<String> r = get(bad);
            assertEquals(bad + ": " + r.body(), 400, r.statusCode());
            assertEquals(400, json(r).get("status").asInt());
            assertFalse(r.body(), r.body().contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        }
        assertEquals(401, call("GET", "/api/v1/projects/events/events/stream", null, null).statusCode());

        if (call("GET", "/api/v1/orgs/rival", token, null).statusCode() != 200) {
            created(call("POST", "/api/v1/orgs", token, "{\"name\":\"rival\"}"));
            created(call("POST", "/api/v1/orgs/rival/users", token, "{\"username\":\"rival-admin\",\"password\":\"rival-admin-password\"}"));
            created(call("POST", "/api/v1/orgs/rival/roles", token,
                    "{\"subjectType\":\"USER\",\"subject\":\"rival-admin\",\"role\":\"ORG_ADMIN\"}"));
            created(call("POST", "/api/v1/projects", login("rival-admin", "rival-admin-password"),
                    "{\"organization\":\"rival\",\"name\":\"rival-p\"}"));
        }
        String rival = login("rival-admin", "rival-admin-password");
        try (SseReader theirs = new SseReader("/api/v1/projects/events/events/stream", rival, "0")) {
            assertEquals(404, theirs.response.statusCode());
        }
        assertEquals(404, call("GET", "/api/v1/projects/events/events", rival, null).statusCode());
        try (SseReader own = new SseReader("/api/v1/projects/rival-p/events/stream", rival, "0")) {
            assertEquals(200, own.response.statusCode());
            created(call("POST", "/api/v1/projects/events/hosts", token, "{\"name\":\"e2\",\"serialNumber\":\"SN-E2\"}"));
            assertEquals("none of another project's events", null, own.events.poll(2, TimeUnit.SECONDS));
        }
    }

    @Test
    public void edgeEventsFollowPrintsWhatHappens() throws Exception {
        project();
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH", Duration.ofSeconds(60), () -> ssh(port, "admin", ADMIN_PASSWORD, "edge:events --project events")
                .contains("event(s)"));
        // The console session runs until the helper's 30 s are up and it interrupts the command (as Ctrl-C does).
        StringBuilder printed = new StringBuilder();
        Thread follower = new Thread(() -> printed.append(shell("edge:events --project events --limit 1 --follow")));
        follower.start();
        Thread.sleep(3000);
        created(call("POST", "/api/v1/projects/events/hosts", token, "{\"name\":\"followed\",\"serialNumber\":\"SN-F\"}"));
        follower.join(45_000);
        String out = printed.toString();
        assertTrue(out, out.contains("Following the events of events"));
        assertTrue(out, out.contains("host.registered  followed  REGISTERED"));
    }
}
