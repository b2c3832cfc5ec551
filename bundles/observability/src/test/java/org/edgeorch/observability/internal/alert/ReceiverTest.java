package org.edgeorch.observability.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.edgeorch.observability.Alerts;
import org.edgeorch.observability.Alerts.ReceiverKind;
import org.edgeorch.observability.Alerts.ReceiverSpec;
import org.edgeorch.observability.testing.AlertPeers;
import org.edgeorch.security.SecretBox;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.EventJournal;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Receivers against real peers: a webhook (an HTTP server in this JVM checking the HMAC), Debian's
 * {@code prometheus-alertmanager} and an SMTP server (Debian's {@code python3-aiosmtpd} writing a maildir). The first
 * webhook delivery is refused: the notification stays in the outbox and a new service (a restart) sends it.
 */
class ReceiverTest {

    private static final String KEY = "webhook-hmac-key-0123456789";

    @TempDir
    Path dir;

    private TenancyFixture t;
    private final List<AlertServiceImpl> services = new CopyOnWriteArrayList<>();
    private AlertPeers peers;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        // Alertmanager judges startsAt/endsAt by its own clock: this one stays behind it (the test advances it a few
        // seconds), as a resolve dated in Alertmanager's future would not take effect before the firing's end
        t.clock.advance(Duration.between(t.clock.instant(), Instant.now().minusSeconds(60)));
        peers = AlertPeers.start(Files.createDirectories(dir.resolve("peers")));
    }

    @AfterEach
    void tearDown() {
        services.forEach(AlertServiceImpl::deactivate);
        peers.close();
    }

    private AlertServiceImpl service() {
        AlertServiceImpl s = new AlertServiceImpl(t.db, t.tenancy, t.audit, null, t.clock, Duration.ZERO, Duration.ofDays(30),
                SecretBox.fromFile(dir.resolve("alerts.key")));
        s.setEvents(new EventJournal(t.clock));
        services.add(s);
        return s;
    }

    private String maildir() {
        StringBuilder all = new StringBuilder();
        peers.mails().forEach(m -> all.append(m.text()).append("\n----\n"));
        return all.toString();
    }

    @Test
    void aFiringAndResolvedAlertReachesTheWebhookAlertmanagerAndSmtpAndSurvivesARestart() throws Exception {
        t.organizationWithProject("acme");
        Caller admin = t.login("acme-admin");
        Caller viewer = t.member("acme", "acme-p1", "vic", Role.VIEWER);
        String projectId = t.tenancy.project(admin, "acme-p1").id();
        String hostId = UUID.randomUUID().toString();
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO host (id, project_id, name, status, status_changed_at, created_at)"
                + " VALUES (?, ?, 'h1', 'RUNNING', ?, ?)", hostId, projectId, t.clock.instant(), t.clock.instant()));

        // the webhook refuses the first delivery and records the others with their signature
        peers.refuseNext(1);
        String am = peers.alertmanagerUrl();
        AlertServiceImpl alerts = service();
        Alerts.Receiver hook = alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("ops-hook", ReceiverKind.WEBHOOK,
                peers.webhookUrl(), null, null, null, KEY, null));
        assertTrue(hook.secret().set());
        alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("am", ReceiverKind.ALERTMANAGER, am, null, null, null,
                null, null));
        alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("mail", ReceiverKind.EMAIL, peers.smtpUrl(),
                "edgeorch@example.com", List.of("ops@example.com"), null, null, null));
        assertEquals(List.of("am", "mail", "ops-hook"), alerts.receivers(viewer, "acme-p1").stream()
                .map(Alerts.Receiver::name).toList());
        assertEquals(List.of(false, false, true), alerts.receivers(viewer, "acme-p1").stream()
                .map(r -> r.secret().set()).toList());
        String stored = t.db.inTransaction(c -> Sql.string(c, "SELECT secret_sealed FROM alert_receiver WHERE name = 'ops-hook'"));
        assertFalse(stored.contains(KEY), "the key is sealed at rest");
        assertEquals("url", assertThrows(TenancyException.class, () -> alerts.createReceiver(admin, "acme-p1",
                new ReceiverSpec("bad", ReceiverKind.WEBHOOK, "ftp://x/", null, null, null, null, null))).field());
        assertEquals("secret", assertThrows(TenancyException.class, () -> alerts.createReceiver(admin, "acme-p1",
                new ReceiverSpec("bad", ReceiverKind.WEBHOOK, "http://x/", null, null, null, "short", null))).field());
        assertEquals("emailTo", assertThrows(TenancyException.class, () -> alerts.createReceiver(admin, "acme-p1",
                new ReceiverSpec("bad", ReceiverKind.EMAIL, "smtp://x:25", "a@b.c", List.of("not an address"), null,
                        null, null))).field());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> alerts.createReceiver(viewer, "acme-p1",
                new ReceiverSpec("v", ReceiverKind.ALERTMANAGER, am, null, null, null, null, null))).reason());

        t.db.inTransaction(c -> Sql.update(c, "UPDATE host SET status = 'NO_CONNECTION', status_changed_at = ? WHERE id = ?",
                t.clock.instant(), hostId));
        alerts.evaluate(t.db);
        assertEquals(2, alerts.deliver(t.db), "Alertmanager and SMTP take it; the webhook answers 503");
        assertEquals(List.of(), peers.deliveries());
        assertTrue(peers.alertmanagerAlerts().contains("\"alertname\":\"host-down\""), peers.alertmanagerAlerts());
        assertTrue(maildir().contains("Subject: [FIRING] host-down h1 (acme-p1)"), maildir());

        // a restart: a new service over the same database and key sends what the outbox still holds
        alerts.deactivate();
        AlertServiceImpl restarted = service();
        assertEquals(0, restarted.deliver(t.db), "not before its back-off");
        t.clock.advance(Duration.ofSeconds(3));
        assertEquals(1, restarted.deliver(t.db));
        assertEquals(1, peers.deliveries().size());
        String body = peers.deliveries().get(0).body();
        assertTrue(body.contains("\"state\":\"FIRING\"") && body.contains("\"subject\":\"h1\""), body);
        assertEquals("sha256=" + Notifier.hmac(KEY, body.getBytes(StandardCharsets.UTF_8)), peers.deliveries().get(0).signature());
        assertFalse(peers.log("alertmanager.log").contains(KEY));

        t.db.inTransaction(c -> Sql.update(c, "UPDATE host SET status = 'RUNNING', status_changed_at = ? WHERE id = ?",
                t.clock.instant(), hostId));
        restarted.evaluate(t.db);
        assertEquals(3, restarted.deliver(t.db));
        assertTrue(peers.deliveries().get(1).body().contains("\"state\":\"RESOLVED\""), peers.deliveries().get(1).body());
        try {
            AlertPeers.await("Alertmanager to resolve it", Duration.ofSeconds(10),
                    () -> !peers.alertmanagerAlerts().contains("\"alertname\":\"host-down\""));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " at " + Instant.now() + ": " + peers.alertmanagerAlerts());
        }
        assertTrue(maildir().contains("Subject: [RESOLVED] host-down h1 (acme-p1)"), maildir());
        assertEquals(0L, (long) t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM alert_notification WHERE sent_at IS NULL",
                rs -> rs.getLong(1)).orElseThrow()), "the outbox is empty");

        // a test notification to each, now, outside the outbox
        long queued = t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM alert_notification", rs -> rs.getLong(1))
                .orElseThrow());
        for (String r : List.of("ops-hook", "am", "mail")) {
            Alerts.ReceiverTestResult sent = restarted.testReceiver(admin, "acme-p1", r);
            assertTrue(sent.delivered(), r + ": " + sent.error());
        }
        assertTrue(peers.deliveries().get(2).body().contains("\"test\":true"), peers.deliveries().get(2).body());
        assertEquals("sha256=" + Notifier.hmac(KEY, peers.deliveries().get(2).body().getBytes(StandardCharsets.UTF_8)), peers.deliveries().get(2).signature());
        assertTrue(maildir().contains("Subject: [TEST] receiver-test mail (acme-p1)"), maildir());
        assertTrue(peers.alertmanagerAlerts().contains("\"alertname\":\"receiver-test\""), peers.alertmanagerAlerts());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> restarted.testReceiver(viewer, "acme-p1", "am")).reason());
        assertEquals(queued, (long) t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM alert_notification",
                rs -> rs.getLong(1)).orElseThrow()), "the tests left nothing in the outbox");

        // a changed receiver: the key removed, then a peer that is gone answers the test with what went wrong
        Alerts.Receiver changed = restarted.updateReceiver(admin, "acme-p1", "ops-hook", new Alerts.ReceiverChange(
                "http://127.0.0.1:" + AlertPeers.freePort() + "/gone", null, null, null, "", Alerts.Severity.CRITICAL));
        assertFalse(changed.secret().set());
        assertEquals(Alerts.Severity.CRITICAL, restarted.receiver(viewer, "acme-p1", "ops-hook").minSeverity());
        Alerts.ReceiverTestResult gone = restarted.testReceiver(admin, "acme-p1", "ops-hook");
        assertFalse(gone.delivered());
        assertTrue(gone.error().contains("Connect"), gone.error());
        assertEquals("url", assertThrows(TenancyException.class, () -> restarted.updateReceiver(admin, "acme-p1", "mail",
                new Alerts.ReceiverChange("http://x/", null, null, null, null, null))).field());
        assertEquals("secret", assertThrows(TenancyException.class, () -> restarted.updateReceiver(admin, "acme-p1", "am",
                new Alerts.ReceiverChange(null, null, null, null, KEY, null))).field());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> restarted.updateReceiver(admin,
                "acme-p1", "nope", new Alerts.ReceiverChange(null, null, null, null, null, null))).reason());
        restarted.deleteReceiver(admin, "acme-p1", "ops-hook");
        assertEquals(List.of("am", "mail"), restarted.receivers(viewer, "acme-p1").stream().map(Alerts.Receiver::name).toList());
        assertEquals(0L, (long) t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM audit_event WHERE detail LIKE ?",
                rs -> rs.getLong(1), "%" + KEY + "%").orElseThrow()), "no secret in the audit log");
        assertTrue(t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM audit_event WHERE action = 'alert-receiver.test'",
                rs -> rs.getLong(1)).orElseThrow()) == 4, "each test by the admin is audited");
    }

    @Test
    void aResolveWaitsForItsFiringAndAnAlertFiredInsideASilenceIsToldWhenTheSilenceEnds() throws Exception {
        t.organizationWithProject("acme");
        Caller admin = t.login("acme-admin");
        String projectId = t.tenancy.project(admin, "acme-p1").id();
        String hostId = UUID.randomUUID().toString();
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO host (id, project_id, name, status, status_changed_at, created_at)"
                + " VALUES (?, ?, 'h1', 'RUNNING', ?, ?)", hostId, projectId, t.clock.instant(), t.clock.instant()));
        peers.refuseNext(1);
        AlertServiceImpl alerts = service();
        alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("ops-hook", ReceiverKind.WEBHOOK,
                peers.webhookUrl(), null, null, null, null, null));

        Runnable down = () -> t.db.inTransaction(c -> Sql.update(c, "UPDATE host SET status = 'NO_CONNECTION',"
                + " status_changed_at = ? WHERE id = ?", t.clock.instant(), hostId));
        Runnable up = () -> t.db.inTransaction(c -> Sql.update(c, "UPDATE host SET status = 'RUNNING',"
                + " status_changed_at = ? WHERE id = ?", t.clock.instant(), hostId));
        down.run();
        alerts.evaluate(t.db);
        assertEquals(0, alerts.deliver(t.db), "the webhook refuses the firing");
        up.run();
        alerts.evaluate(t.db);
        assertEquals(0, alerts.deliver(t.db), "the resolve waits for the firing's retry");
        t.clock.advance(Duration.ofSeconds(3));
        assertEquals(1, alerts.deliver(t.db), "the firing first");
        assertEquals(1, alerts.deliver(t.db), "then, on the next pass, its resolve");
        assertTrue(peers.deliveries().get(0).body().contains("\"state\":\"FIRING\"") && peers.deliveries().get(1).body().contains("\"state\":\"RESOLVED\""),
                peers.deliveries().toString());

        // fired inside a silence: nothing is sent; when the silence ends and the host is still down, the firing is
        Alerts.Silence silence = alerts.createSilence(admin, "acme-p1", new Alerts.SilenceSpec(null, "h1", "swap", 30L));
        down.run();
        alerts.evaluate(t.db);
        assertEquals(0, alerts.deliver(t.db));
        alerts.expireSilence(admin, "acme-p1", silence.id());
        alerts.evaluate(t.db);
        assertEquals(1, alerts.deliver(t.db));
        assertTrue(peers.deliveries().get(2).body().contains("\"state\":\"FIRING\""), peers.deliveries().get(2).body());
        up.run();
        alerts.evaluate(t.db);
        assertEquals(1, alerts.deliver(t.db));
        assertTrue(peers.deliveries().get(3).body().contains("\"state\":\"RESOLVED\""), peers.deliveries().get(3).body());
    }
}
