package org.edgeorch.observability.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.edgeorch.observability.Alerts;
import org.edgeorch.observability.Alerts.ReceiverKind;
import org.edgeorch.observability.Alerts.ReceiverSpec;
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

import com.sun.net.httpserver.HttpServer;

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
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<AlertServiceImpl> services = new CopyOnWriteArrayList<>();
    private HttpServer webhook;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        // Alertmanager judges startsAt/endsAt by its own clock: this one stays behind it (the test advances it a few
        // seconds), as a resolve dated in Alertmanager's future would not take effect before the firing's end
        t.clock.advance(Duration.between(t.clock.instant(), Instant.now().minusSeconds(60)));
    }

    @AfterEach
    void tearDown() {
        services.forEach(AlertServiceImpl::deactivate);
        if (webhook != null) {
            webhook.stop(0);
        }
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private AlertServiceImpl service() {
        AlertServiceImpl s = new AlertServiceImpl(t.db, t.tenancy, t.audit, null, t.clock, Duration.ZERO, Duration.ofDays(30),
                SecretBox.fromFile(dir.resolve("alerts.key")));
        s.setEvents(new EventJournal(t.clock));
        services.add(s);
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process start(Path log, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private String maildir(Path mail) {
        try (Stream<Path> files = Files.exists(mail.resolve("new")) ? Files.list(mail.resolve("new")) : Stream.empty()) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.sorted().toList()) {
                all.append(Files.readString(f)).append("\n----\n");
            }
            return all.toString();
        } catch (IOException e) {
            return "";
        }
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

        // the webhook: refuses the first delivery, records the others with their signature
        List<String[]> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        webhook = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            int code = calls.incrementAndGet() == 1 ? 503 : 204;
            if (code == 204) {
                received.add(new String[] {new String(body, StandardCharsets.UTF_8),
                        x.getRequestHeaders().getFirst(Notifier.SIGNATURE_HEADER)});
            }
            x.sendResponseHeaders(code, -1);
            x.close();
        });
        webhook.start();

        int amPort = freePort();
        Path amConfig = dir.resolve("alertmanager.yml");
        Files.writeString(amConfig, "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n");
        start(dir.resolve("alertmanager.log"), "prometheus-alertmanager", "--config.file=" + amConfig,
                "--storage.path=" + dir.resolve("am-data"), "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=");
        int smtpPort = freePort();
        Path mail = dir.resolve("maildir");
        start(dir.resolve("smtp.log"), "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + smtpPort,
                "-c", "aiosmtpd.handlers.Mailbox", mail.toString());
        String am = "http://127.0.0.1:" + amPort;
        await("alertmanager", Duration.ofSeconds(30), () -> get(am + "/-/ready").contains("OK"));
        await("aiosmtpd", Duration.ofSeconds(30), () -> listening(smtpPort));

        AlertServiceImpl alerts = service();
        Alerts.Receiver hook = alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("ops-hook", ReceiverKind.WEBHOOK,
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook", null, null, null, KEY, null));
        assertTrue(hook.secret().set());
        alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("am", ReceiverKind.ALERTMANAGER, am, null, null, null,
                null, null));
        alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("mail", ReceiverKind.EMAIL, "smtp://127.0.0.1:" + smtpPort,
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
        assertEquals(1, calls.get());
        assertTrue(get(am + "/api/v2/alerts").contains("\"alertname\":\"host-down\""), get(am + "/api/v2/alerts"));
        assertTrue(maildir(mail).contains("Subject: [FIRING] host-down h1 (acme-p1)"), maildir(mail));

        // a restart: a new service over the same database and key sends what the outbox still holds
        alerts.deactivate();
        AlertServiceImpl restarted = service();
        assertEquals(0, restarted.deliver(t.db), "not before its back-off");
        t.clock.advance(Duration.ofSeconds(3));
        assertEquals(1, restarted.deliver(t.db));
        assertEquals(1, received.size());
        String body = received.get(0)[0];
        assertTrue(body.contains("\"state\":\"FIRING\"") && body.contains("\"subject\":\"h1\""), body);
        assertEquals("sha256=" + Notifier.hmac(KEY, body.getBytes(StandardCharsets.UTF_8)), received.get(0)[1]);
        assertFalse(Files.readString(dir.resolve("alertmanager.log")).contains(KEY));

        t.db.inTransaction(c -> Sql.update(c, "UPDATE host SET status = 'RUNNING', status_changed_at = ? WHERE id = ?",
                t.clock.instant(), hostId));
        restarted.evaluate(t.db);
        assertEquals(3, restarted.deliver(t.db));
        assertTrue(received.get(1)[0].contains("\"state\":\"RESOLVED\""), received.get(1)[0]);
        try {
            await("Alertmanager to resolve it", Duration.ofSeconds(10),
                    () -> !get(am + "/api/v2/alerts").contains("\"alertname\":\"host-down\""));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " at " + Instant.now() + ": " + get(am + "/api/v2/alerts"));
        }
        assertTrue(maildir(mail).contains("Subject: [RESOLVED] host-down h1 (acme-p1)"), maildir(mail));
        assertEquals(0L, (long) t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM alert_notification WHERE sent_at IS NULL",
                rs -> rs.getLong(1)).orElseThrow()), "the outbox is empty");

        // a test notification to each, now, outside the outbox
        long queued = t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM alert_notification", rs -> rs.getLong(1))
                .orElseThrow());
        for (String r : List.of("ops-hook", "am", "mail")) {
            Alerts.ReceiverTestResult sent = restarted.testReceiver(admin, "acme-p1", r);
            assertTrue(sent.delivered(), r + ": " + sent.error());
        }
        assertTrue(received.get(2)[0].contains("\"test\":true"), received.get(2)[0]);
        assertEquals("sha256=" + Notifier.hmac(KEY, received.get(2)[0].getBytes(StandardCharsets.UTF_8)), received.get(2)[1]);
        assertTrue(maildir(mail).contains("Subject: [TEST] receiver-test mail (acme-p1)"), maildir(mail));
        assertTrue(get(am + "/api/v2/alerts").contains("\"alertname\":\"receiver-test\""), get(am + "/api/v2/alerts"));
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> restarted.testReceiver(viewer, "acme-p1", "am")).reason());
        assertEquals(queued, (long) t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM alert_notification",
                rs -> rs.getLong(1)).orElseThrow()), "the tests left nothing in the outbox");

        // a changed receiver: the key removed, then a peer that is gone answers the test with what went wrong
        Alerts.Receiver changed = restarted.updateReceiver(admin, "acme-p1", "ops-hook", new Alerts.ReceiverChange(
                "http://127.0.0.1:" + freePort() + "/gone", null, null, null, "", Alerts.Severity.CRITICAL));
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
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        webhook = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            int code = calls.incrementAndGet() == 1 ? 503 : 204;
            if (code == 204) {
                received.add(new String(body, StandardCharsets.UTF_8));
            }
            x.sendResponseHeaders(code, -1);
            x.close();
        });
        webhook.start();
        AlertServiceImpl alerts = service();
        alerts.createReceiver(admin, "acme-p1", new ReceiverSpec("ops-hook", ReceiverKind.WEBHOOK,
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook", null, null, null, null, null));

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
        assertTrue(received.get(0).contains("\"state\":\"FIRING\"") && received.get(1).contains("\"state\":\"RESOLVED\""),
                received.toString());

        // fired inside a silence: nothing is sent; when the silence ends and the host is still down, the firing is
        Alerts.Silence silence = alerts.createSilence(admin, "acme-p1", new Alerts.SilenceSpec(null, "h1", "swap", 30L));
        down.run();
        alerts.evaluate(t.db);
        assertEquals(0, alerts.deliver(t.db));
        alerts.expireSilence(admin, "acme-p1", silence.id());
        alerts.evaluate(t.db);
        assertEquals(1, alerts.deliver(t.db));
        assertTrue(received.get(2).contains("\"state\":\"FIRING\""), received.get(2));
        up.run();
        alerts.evaluate(t.db);
        assertEquals(1, alerts.deliver(t.db));
        assertTrue(received.get(3).contains("\"state\":\"RESOLVED\""), received.get(3));
    }
}
