package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.edgeorch.observability.testing.AlertPeers;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A host-down alert end to end on real parts: the orchestrator and a node as their own processes over mutual TLS, and
 * the three kinds of receiver on real peers — a webhook in this JVM (checking the HMAC), Debian's
 * {@code prometheus-alertmanager} and an SMTP server ({@code aiosmtpd}). The node freezes ({@code SIGSTOP}: it goes
 * silent with its state intact), goes NO_CONNECTION after three missed syncs, and the alert reaches all three; the node
 * goes on ({@code SIGCONT}), syncs, and the alert resolves at all three. The latencies from the node going silent (and
 * from its status changing) to each delivery are printed and written to {@code target/alert-latency.txt}
 * (bench/README.md).
 */
public class AlertNodeIT {

    private static final String KEY = "alert-node-it-hmac-key";
    private static final String PROJECT = "watch";

    private AlertPeers peers;
    private OrchestratorProcess orchestrator;
    private NodeProcess node;

    @After
    public void tearDown() throws Exception {
        if (node != null) {
            node.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    public void aSilentNodesHostDownAlertReachesTheWebhookAlertmanagerAndSmtpAndResolvesWhenItIsBack() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "alert-node");
        peers = AlertPeers.start(Files.createDirectories(work.resolve("peers")));
        int southbound = AlertPeers.freePort();
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("org.edgeorch.southbound.cfg", Map.of("port", String.valueOf(southbound)));
        settings.put("org.edgeorch.fleet.cfg", Map.of("syncIntervalSeconds", "2"));
        settings.put("org.edgeorch.alerts.cfg", Map.of("evaluationSeconds", "1"));
        orchestrator = new OrchestratorProcess(work.resolve("orchestrator"), AlertPeers.freePort(), AlertPeers.freePort(),
                AlertPeers.freePort(), settings);
        orchestrator.start();
        orchestrator.json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"" + PROJECT + "\"}");
        String receivers = "/api/v1/projects/" + PROJECT + "/alert-receivers";
        JsonNode hook = orchestrator.json("POST", receivers, "{\"name\":\"ops-hook\",\"kind\":\"WEBHOOK\",\"url\":\""
                + peers.webhookUrl() + "\",\"secret\":\"" + KEY + "\"}");
        assertTrue(hook.toString(), hook.get("secret").get("set").asBoolean());
        orchestrator.json("POST", receivers, "{\"name\":\"am\",\"kind\":\"ALERTMANAGER\",\"url\":\""
                + peers.alertmanagerUrl() + "\"}");
        orchestrator.json("POST", receivers, "{\"name\":\"mail\",\"kind\":\"EMAIL\",\"url\":\"" + peers.smtpUrl()
                + "\",\"emailFrom\":\"edgeorch@example.com\",\"emailTo\":[\"ops@example.com\"],\"minSeverity\":\"CRITICAL\"}");
        String listed = orchestrator.call("GET", receivers, null).body();
        assertFalse(listed, listed.contains(KEY));

        node = NodeProcess.enrolling(work.resolve("node"), orchestrator, southbound, PROJECT, null, 7, null, Map.of(),
                Map.of());
        node.start();
        Processes.await("the node RUNNING", Duration.ofSeconds(120), () -> "RUNNING".equals(host().get("status").asText()));
        String host = host().get("name").asText();

        // silent: the alert fires and reaches each receiver
        Instant silent = Instant.now();
        node.pause();
        Processes.await("host-down at the webhook", Duration.ofSeconds(90), () -> delivered("FIRING").isPresent());
        Processes.await("host-down in Alertmanager", Duration.ofSeconds(30), () -> inAlertmanager(host).isPresent());
        Instant amFiring = java.time.OffsetDateTime.parse(inAlertmanager(host).orElseThrow().get("updatedAt").asText())
                .toInstant();
        Processes.await("host-down by mail", Duration.ofSeconds(30), () -> mailed("FIRING", host).isPresent());
        JsonNode down = host();
        assertEquals("NO_CONNECTION", down.get("status").asText());
        Instant noConnection = Instant.parse(down.get("statusChangedAt").asText());
        AlertPeers.Delivery firing = delivered("FIRING").orElseThrow();
        assertEquals("sha256=" + hmac(firing.body()), firing.signature());
        JsonNode body = OrchestratorProcess.JSON.readTree(firing.body());
        assertEquals(PROJECT, body.get("project").asText());
        assertEquals(host, body.get("alert").get("subject").asText());
        JsonNode alerts = orchestrator.json("GET", "/api/v1/projects/" + PROJECT + "/alerts?rule=host-down", null);
        assertEquals(alerts.toString(), 1, alerts.get("total").asInt());
        Instant mailFiring = mailed("FIRING", host).orElseThrow().at();

        // back: it syncs, RUNNING again, and the alert resolves everywhere (Alertmanager first: it is watched, not told)
        Instant back = Instant.now();
        node.resume();
        AtomicReference<Instant> amResolved = new AtomicReference<>();
        Processes.await("host-down gone from Alertmanager", Duration.ofSeconds(90), () -> {
            boolean gone = peers.alertmanagerAlerts().startsWith("[") && inAlertmanager(host).isEmpty();
            if (gone) {
                amResolved.set(Instant.now());
            }
            return gone;
        });
        Processes.await("the resolve at the webhook", Duration.ofSeconds(30), () -> delivered("RESOLVED").isPresent());
        Processes.await("the resolve by mail", Duration.ofSeconds(30), () -> mailed("RESOLVED", host).isPresent());
        JsonNode up = host();
        assertEquals("RUNNING", up.get("status").asText());
        Instant running = Instant.parse(up.get("statusChangedAt").asText());
        AlertPeers.Delivery resolved = delivered("RESOLVED").orElseThrow();
        assertEquals("sha256=" + hmac(resolved.body()), resolved.signature());
        List<AlertPeers.Delivery> all = peers.deliveries();
        assertEquals(all.toString(), 2, all.stream().filter(d -> d.body().contains("\"rule\":\"host-down\"")).count());
        assertEquals("RESOLVED", orchestrator.json("GET", "/api/v1/projects/" + PROJECT + "/alerts?rule=host-down", null)
                .get("alerts").get(0).get("state").asText());
        Instant mailResolved = mailed("RESOLVED", host).orElseThrow().at();

        String figures = String.format(java.util.Locale.ROOT, "host-down, sync interval 2 s, evaluation every 1 s%n"
                + "silent -> NO_CONNECTION %s%n"
                + "silent -> webhook %s (NO_CONNECTION -> webhook %s)%n"
                + "silent -> alertmanager %s (NO_CONNECTION -> alertmanager %s)%n"
                + "silent -> smtp %s (NO_CONNECTION -> smtp %s)%n"
                + "back -> RUNNING %s%n"
                + "back -> webhook resolve %s (RUNNING -> webhook %s)%n"
                + "back -> alertmanager resolve, seen by a 250 ms poll %s (RUNNING -> %s)%n"
                + "back -> smtp resolve %s (RUNNING -> smtp %s)%n",
                s(silent, noConnection), s(silent, firing.at()), s(noConnection, firing.at()), s(silent, amFiring),
                s(noConnection, amFiring), s(silent, mailFiring), s(noConnection, mailFiring), s(back, running),
                s(back, resolved.at()), s(running, resolved.at()), s(back, amResolved.get()), s(running, amResolved.get()),
                s(back, mailResolved), s(running, mailResolved));
        System.out.print(figures);
        Files.writeString(Path.of(System.getProperty("edge.it.work"), "alert-latency.txt"), figures);
        assertFalse(peers.log("alertmanager.log").contains(KEY));
        assertFalse(orchestrator.call("GET", "/api/v1/projects/" + PROJECT + "/audit?limit=200", null).body().contains(KEY));
    }

    private JsonNode host() throws Exception {
        return orchestrator.json("GET", "/api/v1/projects/" + PROJECT + "/hosts", null).get("hosts").get(0);
    }

    private Optional<AlertPeers.Delivery> delivered(String state) {
        return peers.deliveries().stream().filter(d -> d.body().contains("\"rule\":\"host-down\"")
                && d.body().contains("\"state\":\"" + state + "\"")).findFirst();
    }

    private Optional<JsonNode> inAlertmanager(String host) throws Exception {
        String body = peers.alertmanagerAlerts();
        if (!body.startsWith("[")) {
            return Optional.empty();
        }
        for (JsonNode a : OrchestratorProcess.JSON.readTree(body)) {
            if ("host-down".equals(a.path("labels").path("alertname").asText())
                    && host.equals(a.path("labels").path("host").asText())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private Optional<AlertPeers.Mail> mailed(String state, String host) {
        return peers.mails().stream().filter(m -> m.text().contains("Subject: [" + state + "] host-down " + host + " ("
                + PROJECT + ")")).findFirst();
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String s(Instant from, Instant to) {
        return String.format(java.util.Locale.ROOT, "%.2f s", Duration.between(from, to).toMillis() / 1000.0);
    }
}
