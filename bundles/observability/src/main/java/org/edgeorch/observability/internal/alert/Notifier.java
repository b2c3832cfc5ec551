package org.edgeorch.observability.internal.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.edgeorch.observability.Alerts.Alert;
import org.edgeorch.observability.Alerts.AlertState;
import org.edgeorch.observability.Alerts.ReceiverKind;
import org.edgeorch.observability.Alerts.RuleKind;
import org.edgeorch.observability.Alerts.Severity;
import org.edgeorch.security.SecretBox;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends what the outbox ({@code alert_notification}) holds: rows are written in the transaction that fires or resolves
 * an alert, and the holder of the {@value #JOB} lease sends the due ones, marks them sent, or schedules the next try
 * with exponential back-off (2 s doubling to 5 minutes; given up after {@value #MAX_ATTEMPTS} tries). Delivery is at
 * least once: a crash between the send and the mark sends again, with the same {@code X-Edgeorch-Delivery} id.
 * Alertmanager receivers also get every firing alert again each {@link #RESEND} (Alertmanager expires alerts that are
 * not resent). Secrets are opened only to sign or authenticate and are never logged.
 */
final class Notifier {

    static final String JOB = "alert-notify";
    static final int MAX_ATTEMPTS = 15;
    static final Duration RESEND = Duration.ofSeconds(60);
    static final Duration AM_VALIDITY = Duration.ofMinutes(5);
    static final String SIGNATURE_HEADER = "X-Edgeorch-Signature";
    static final String TEST_RULE = "receiver-test";
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final SecretBox secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Instant lastResend = Instant.EPOCH;

    Notifier(Clock clock, SecretBox secrets) {
        this.clock = clock;
        this.secrets = secrets;
    }

    String seal(String receiverId, String secret) {
        return secret == null ? null : secrets.seal(secret, "alert-receiver:" + receiverId);
    }

    /** Queues a firing alert for every receiver of its project that takes its severity. */
    static void enqueueFiring(Connection c, String projectId, Alert a, Instant now) throws SQLException {
        for (String[] r : Sql.list(c, "SELECT id, min_severity FROM alert_receiver WHERE project_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, projectId)) {
            if (a.severity().ordinal() <= Severity.valueOf(r[1]).ordinal()) {
                insert(c, r[0], a.id(), AlertState.FIRING, now);
            }
        }
    }

    /** Whether a firing of this alert was queued for any receiver (a muted alert's is not, until its mute lifts). */
    static boolean notified(Connection c, String alertId) throws SQLException {
        return Sql.one(c, "SELECT 1 FROM alert_notification WHERE alert_id = ? AND status = ? FETCH FIRST 1 ROWS ONLY",
                rs -> 1, alertId, AlertState.FIRING).isPresent();
    }

    /**
     * Queues a resolve for each receiver told of the firing (muted since or not), and for every Alertmanager of the
     * project that takes the severity: the resends may have told it even when the firing was queued before it existed.
     */
    static void enqueueResolved(Connection c, String projectId, Alert a, Instant now) throws SQLException {
        for (String[] r : Sql.list(c, "SELECT r.id, r.kind, r.min_severity, (SELECT COUNT(*) FROM alert_notification n"
                + " WHERE n.receiver_id = r.id AND n.alert_id = ? AND n.status = ?) FROM alert_receiver r"
                + " WHERE r.project_id = ?", rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4)}, a.id(), AlertState.FIRING, projectId)) {
            boolean told = !"0".equals(r[3]);
            boolean alertmanager = ReceiverKind.ALERTMANAGER.name().equals(r[1])
                    && a.severity().ordinal() <= Severity.valueOf(r[2]).ordinal();
            if (told || alertmanager) {
                insert(c, r[0], a.id(), AlertState.RESOLVED, now);
            }
        }
    }

    private static void insert(Connection c, String receiverId, String alertId, AlertState status, Instant now)
            throws SQLException {
        Sql.update(c, "INSERT INTO alert_notification (receiver_id, alert_id, status, attempts, next_at, created_at)"
                + " VALUES (?, ?, ?, 0, ?, ?)", receiverId, alertId, status, now, now);
    }

    record Target(String id, String projectName, ReceiverKind kind, String url, String from, String to, String user,
                  String sealed) {
    }

    /** The project's receiver of that name, ready to send to. */
    java.util.Optional<Target> target(Connection c, String projectId, String name) throws SQLException {
        return Sql.one(c, "SELECT " + TARGET + " FROM alert_receiver r JOIN project p ON p.id = r.project_id"
                + " WHERE r.project_id = ? AND r.name = ?", rs -> target(rs, 1), projectId, name);
    }

    /**
     * Sends one test notification now (INFO, rule {@value #TEST_RULE}): to Alertmanager an alert that ends a minute
     * later by itself; the outbox is not involved and nothing is retried.
     */
    org.edgeorch.observability.Alerts.ReceiverTestResult test(Target t, String name) {
        Instant now = clock.instant();
        Alert a = new Alert("test-" + java.util.UUID.randomUUID(), TEST_RULE, null, Severity.INFO, name, null,
                AlertState.FIRING, null, "A test notification from Edge Orchestrator to receiver " + name, now, now, null,
                null, null, null);
        long start = System.nanoTime();
        String error = send(t, List.of(a), 0, Duration.ofMinutes(1));
        return new org.edgeorch.observability.Alerts.ReceiverTestResult(name, error == null, error,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    private record Due(long id, int attempts, String status, Target target, Alert alert) {
    }

    private static final String TARGET = "r.id, p.name, r.kind, r.url, r.email_from, r.email_to, r.smtp_user, r.secret_sealed";
    private static final String ALERT = "a.id, a.rule_name, a.kind, a.severity, a.subject, a.host_name, a.state, a.val,"
            + " a.message, a.since_at, a.fired_at, a.resolved_at, a.acknowledged_by, a.acknowledged_at, a.muted_by";

    private static Target target(java.sql.ResultSet rs, int at) throws SQLException {
        return new Target(rs.getString(at), rs.getString(at + 1), ReceiverKind.valueOf(rs.getString(at + 2)),
                rs.getString(at + 3), rs.getString(at + 4), rs.getString(at + 5), rs.getString(at + 6), rs.getString(at + 7));
    }

    private static Alert alert(java.sql.ResultSet rs, int at) throws SQLException {
        double v = rs.getDouble(at + 7);
        Double value = rs.wasNull() ? null : v;
        return new Alert(rs.getString(at), rs.getString(at + 1), RuleKind.valueOf(rs.getString(at + 2)),
                Severity.valueOf(rs.getString(at + 3)), rs.getString(at + 4), rs.getString(at + 5),
                AlertState.valueOf(rs.getString(at + 6)), value, rs.getString(at + 8), Sql.instant(rs, at + 9),
                Sql.instant(rs, at + 10), Sql.instant(rs, at + 11), rs.getString(at + 12), Sql.instant(rs, at + 13),
                rs.getString(at + 14));
    }

    /** Sends what is due; returns how many were sent. */
    int deliver(Database fenced) {
        Instant now = clock.instant();
        List<Due> due = fenced.inTransaction(c -> Sql.list(c, "SELECT n.id, n.attempts, n.status, " + TARGET + ", " + ALERT
                + " FROM alert_notification n JOIN alert_receiver r ON r.id = n.receiver_id JOIN project p ON p.id = r.project_id"
                + " JOIN alert a ON a.id = n.alert_id WHERE n.sent_at IS NULL AND n.failed_at IS NULL AND n.next_at <= ?"
                // in order per receiver and alert: a resolve waits for its firing (retried or given up) to go first
                + " AND NOT EXISTS (SELECT 1 FROM alert_notification e WHERE e.receiver_id = n.receiver_id"
                + " AND e.alert_id = n.alert_id AND e.id < n.id AND e.sent_at IS NULL AND e.failed_at IS NULL)"
                + " ORDER BY n.id FETCH FIRST 200 ROWS ONLY", rs -> new Due(rs.getLong(1), rs.getInt(2), rs.getString(3),
                        target(rs, 4), alert(rs, 12)), now));
        int sent = 0;
        for (Due d : due) {
            // a webhook or a mail tells the alert as it was when queued: FIRING even if it resolved since; Alertmanager
            // is told the alert's state now, so a late firing never undoes its resolve there
            Alert a = d.alert();
            Alert as = d.status().equals(AlertState.FIRING.name()) && a.state() != AlertState.FIRING
                    && d.target().kind() != ReceiverKind.ALERTMANAGER ? new Alert(a.id(), a.rule(), a.kind(), a.severity(), a.subject(), a.host(), AlertState.FIRING, a.value(),
                            a.message(), a.since(), a.firedAt(), null, a.acknowledgedBy(), a.acknowledgedAt(), a.mutedBy())
                    : a;
            String error = send(d.target(), List.of(as), d.id(), AM_VALIDITY);
            Instant at = clock.instant();
            if (error == null) {
                fenced.inTransaction(c -> Sql.update(c, "UPDATE alert_notification SET sent_at = ?, attempts = attempts + 1,"
                        + " last_error = NULL WHERE id = ?", at, d.id()));
                sent++;
            } else {
                int attempts = d.attempts() + 1;
                long backoff = Math.min(300, 2L << Math.min(attempts - 1, 20));
                String cut = error.length() > 500 ? error.substring(0, 500) : error;
                LOG.info("Notification {} to receiver {} failed (try {}): {}", d.id(), d.target().id(), attempts, cut);
                fenced.inTransaction(c -> Sql.update(c, "UPDATE alert_notification SET attempts = ?, next_at = ?,"
                        + " last_error = ?, failed_at = ? WHERE id = ?", attempts, at.plusSeconds(backoff), cut,
                        attempts >= MAX_ATTEMPTS ? at : null, d.id()));
            }
        }
        return sent;
    }

    /** Alertmanager forgets an alert that is not resent: every {@link #RESEND}, each firing, unmuted alert again. */
    void resendFiring(Database fenced) {
        Instant now = clock.instant();
        if (lastResend.plus(RESEND).isAfter(now)) {
            return;
        }
        lastResend = now;
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, List<Alert>> alerts = new LinkedHashMap<>();
        fenced.inTransaction(c -> Sql.list(c, "SELECT " + TARGET + ", " + ALERT + " FROM alert_receiver r"
                + " JOIN project p ON p.id = r.project_id JOIN alert a ON a.project_id = r.project_id"
                + " WHERE r.kind = 'ALERTMANAGER' AND a.state = 'FIRING' AND a.muted_by IS NULL", rs -> {
                    Target t = target(rs, 1);
                    targets.put(t.id(), t);
                    alerts.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(alert(rs, 9));
                    return null;
                }));
        for (Map.Entry<String, Target> t : targets.entrySet()) {
            String error = send(t.getValue(), alerts.get(t.getKey()), 0, AM_VALIDITY);
            if (error != null) {
                LOG.info("Resending firing alerts to Alertmanager receiver {} failed: {}", t.getKey(), error);
            }
        }
    }

    /** Null when sent, else what went wrong. */
    String send(Target t, List<Alert> alerts, long deliveryId, Duration validity) {
        try {
            switch (t.kind()) {
                case WEBHOOK -> {
                    byte[] body = JSON.writeValueAsBytes(webhookBody(t, alerts.get(0), deliveryId));
                    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(t.url())).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header("X-Edgeorch-Delivery", Long.toString(deliveryId))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (t.sealed() != null) {
                        r.header(SIGNATURE_HEADER, "sha256=" + hmac(secrets.open(t.sealed(), "alert-receiver:" + t.id()), body));
                    }
                    return status(http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                }
                case ALERTMANAGER -> {
                    List<Map<String, Object>> body = new ArrayList<>();
                    for (Alert a : alerts) {
                        body.add(alertmanagerAlert(t, a, validity));
                    }
                    HttpRequest r = HttpRequest.newBuilder(URI.create(t.url().replaceAll("/+$", "") + "/api/v2/alerts"))
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
                    return status(http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode());
                }
                case EMAIL -> {
                    Alert a = alerts.get(0);
                    URI u = URI.create(t.url());
                    SmtpClient.send(u.getHost(), u.getPort() < 0 ? 25 : u.getPort(), t.user(),
                            t.sealed() == null ? null : secrets.open(t.sealed(), "alert-receiver:" + t.id()), t.from(),
                            List.of(t.to().split(",")), (a.kind() == null ? "[TEST] " : "[" + a.state() + "] ") + a.rule() + " " + a.subject() + " ("
                                    + t.projectName() + ")", mailBody(t, a));
                    return null;
                }
                default -> throw new IllegalStateException(t.kind().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String status(int code) {
        return code / 100 == 2 ? null : "answered HTTP " + code;
    }

    static String hmac(String key, byte[] body) throws java.security.GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static Map<String, Object> alertJson(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("rule", a.rule());
        m.put("kind", a.kind() == null ? null : a.kind().name());
        m.put("severity", a.severity().name());
        m.put("subject", a.subject());
        m.put("host", a.host());
        m.put("state", a.state().name());
        m.put("value", a.value());
        m.put("message", a.message());
        m.put("since", str(a.since()));
        m.put("firedAt", str(a.firedAt()));
        m.put("resolvedAt", str(a.resolvedAt()));
        return m;
    }

    private static Map<String, Object> webhookBody(Target t, Alert a, long deliveryId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delivery", deliveryId);
        m.put("project", t.projectName());
        m.put("alert", alertJson(a));
        if (a.kind() == null) {
            m.put("test", true);
        }
        return m;
    }

    /**
     * Alertmanager's v2 form. A firing alert ends {@code validity} after now unless resent (every {@link #RESEND}); a
     * resolved one ends at its resolve. Alertmanager keeps the later of two explicit ends while the newer one lies in
     * its future, so the orchestrator's clock must not run ahead of Alertmanager's (both on NTP), or the resolve takes
     * effect only when the last firing's {@code endsAt} passes.
     */
    private Map<String, Object> alertmanagerAlert(Target t, Alert a, Duration validity) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", a.rule());
        labels.put("project", t.projectName());
        labels.put("subject", a.subject());
        labels.put("severity", a.severity().name().toLowerCase());
        if (a.host() != null) {
            labels.put("host", a.host());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", labels);
        m.put("annotations", Map.of("summary", a.message(), "alert_id", a.id()));
        m.put("startsAt", str(a.since()));
        m.put("endsAt", str(a.state() == AlertState.RESOLVED && a.resolvedAt() != null ? a.resolvedAt()
                : clock.instant().plus(validity)));
        return m;
    }

    private static String mailBody(Target t, Alert a) {
        return a.message() + "\n\nproject: " + t.projectName() + "\nrule: " + a.rule()
                + (a.kind() == null ? "" : " (" + a.kind() + ")") + "\nseverity: "
                + a.severity() + "\nsubject: " + a.subject() + "\nstate: " + a.state() + "\nsince: " + a.since()
                + (a.value() == null ? "" : "\nvalue: " + a.value()) + (a.resolvedAt() == null ? "" : "\nresolved: "
                + a.resolvedAt()) + "\nalert: " + a.id() + "\n";
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
