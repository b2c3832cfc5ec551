package org.edgeorch.observability.internal.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.edgeorch.observability.Alerts.Alert;
import org.edgeorch.observability.Alerts.AlertQuery;
import org.edgeorch.observability.Alerts.AlertState;
import org.edgeorch.observability.Alerts.Rule;
import org.edgeorch.observability.Alerts.RuleChange;
import org.edgeorch.observability.Alerts.RuleKind;
import org.edgeorch.observability.Alerts.RuleOverride;
import org.edgeorch.observability.Alerts.RuleSpec;
import org.edgeorch.observability.Alerts.Severity;
import org.edgeorch.observability.Alerts.SilenceSpec;
import org.edgeorch.observability.Alerts.TargetType;
import org.edgeorch.spi.Telemetry;
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

/** Alert rules, their evaluation and the alert lifecycle on real Derby with the product's migrations. */
class AlertServiceTest {

    @TempDir
    Path dir;

    private TenancyFixture t;
    private AlertServiceImpl alerts;
    private String acmeId;
    private Caller admin;
    private Caller viewer;
    private Caller operator;
    private Caller stranger;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        t.organizationWithProject("other");
        admin = t.login("acme-admin");
        viewer = t.member("acme", "acme-p1", "vic", Role.VIEWER);
        operator = t.member("acme", "acme-p1", "olga", Role.EDGE_OPERATOR);
        stranger = t.member("other", "other-p1", "oscar", Role.PROJECT_ADMIN);
        acmeId = t.tenancy.project(admin, "acme-p1").id();
        alerts = service();
    }

    private AlertServiceImpl service() {
        AlertServiceImpl s = new AlertServiceImpl(t.db, t.tenancy, t.audit, null, t.clock, Duration.ZERO, Duration.ofDays(30),
                org.edgeorch.security.SecretBox.fromFile(dir.resolve("alerts.key")));
        s.setEvents(new EventJournal(t.clock));
        return s;
    }

    @AfterEach
    void tearDown() {
        alerts.deactivate();
    }

    private String host(String name, String status, String siteId) {
        String id = UUID.randomUUID().toString();
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO host (id, project_id, site_id, name, status, status_changed_at,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", id, acmeId, siteId, name, status, t.clock.instant(),
                t.clock.instant()));
        return id;
    }

    private void status(String hostId, String status) {
        t.db.inTransaction(c -> Sql.update(c, "UPDATE host SET status = ?, status_changed_at = ? WHERE id = ?", status,
                t.clock.instant(), hostId));
    }

    private void sample(String hostId, String name, String device, double value) {
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO host_metric_raw (host_id, project_id, name, device, at_ms, val)"
                + " VALUES (?, ?, ?, ?, ?, ?)", hostId, acmeId, name, device, t.clock.millis(), value));
    }

    private List<Alert> alerts(AlertState state) {
        return alerts.alerts(viewer, "acme-p1", new AlertQuery(state, null, null, 0, 100)).alerts();
    }

    private long events(String status) {
        return t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM event_log WHERE type = 'ALERT_CHANGED'"
                + " AND status = ?", rs -> rs.getLong(1), status).orElseThrow());
    }

    @Test
    void everyProjectHasTheDefaultRulesEditableWithinBounds() {
        List<Rule> rules = alerts.rules(viewer, "acme-p1");
        assertEquals(List.of("app-unhealthy", "certificate-expiring", "cpu-high", "disk-full", "host-down", "host-error",
                "memory-high", "release-rejected", "rollout-paused", "temperature-high", "update-failed"),
                rules.stream().map(Rule::name).toList());
        Rule disk = alerts.rule(viewer, "acme-p1", "disk-full");
        assertEquals(Telemetry.FS_USED_PERCENT, disk.parameter());
        assertEquals(85.0, disk.threshold());
        assertEquals(300, disk.durationSeconds());
        assertTrue(disk.enabled() && disk.builtin());
        assertEquals(75.0, alerts.rule(viewer, "acme-p1", "temperature-high").threshold());

        Rule changed = alerts.updateRule(admin, "acme-p1", "disk-full", new RuleChange(90.0, 600L, Severity.CRITICAL,
                "tier=pos", null));
        assertEquals(90.0, changed.threshold());
        assertEquals("tier=pos", changed.selector());
        TenancyException tooHigh = assertThrows(TenancyException.class, () -> alerts.updateRule(admin, "acme-p1",
                "disk-full", new RuleChange(101.0, null, null, null, null)));
        assertEquals("threshold", tooHigh.field());
        assertEquals(Reason.INVALID, assertThrows(TenancyException.class, () -> alerts.updateRule(admin, "acme-p1",
                "disk-full", new RuleChange(null, 86_401L, null, null, null))).reason());
        assertEquals("selector", assertThrows(TenancyException.class, () -> alerts.updateRule(admin, "acme-p1",
                "disk-full", new RuleChange(null, null, null, "tier in (", null))).field());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> alerts.deleteRule(admin, "acme-p1", "disk-full")).reason(), "a default rule is disabled, not deleted");
        assertEquals("durationSeconds", assertThrows(TenancyException.class, () -> alerts.createRule(admin, "acme-p1",
                new RuleSpec("paused-long", RuleKind.ROLLOUT_PAUSED, null, null, 60L, null, null, null))).field());
        assertEquals("parameter", assertThrows(TenancyException.class, () -> alerts.createRule(admin, "acme-p1",
                new RuleSpec("gpu", RuleKind.METRIC, "gpu.percent", 50.0, 60L, null, null, null))).field());

        Rule load = alerts.createRule(admin, "acme-p1", new RuleSpec("load-high", RuleKind.METRIC, Telemetry.LOAD_5, 8.0,
                120L, null, null, null));
        assertEquals(Severity.WARNING, load.severity());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class, () -> alerts.createRule(admin, "acme-p1",
                new RuleSpec("load-high", RuleKind.METRIC, Telemetry.LOAD_5, 8.0, 120L, null, null, null))).reason());
        alerts.deleteRule(admin, "acme-p1", "load-high");

        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> alerts.updateRule(viewer, "acme-p1",
                "disk-full", new RuleChange(70.0, null, null, null, null))).reason());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> alerts.updateRule(operator, "acme-p1",
                "disk-full", new RuleChange(70.0, null, null, null, null))).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> alerts.rules(stranger, "acme-p1")).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> alerts.alerts(stranger, "acme-p1", null)).reason());
    }

    @Test
    void aSilentHostFiresOnceAndResolvesWhenItIsBack() {
        String h1 = host("h1", "RUNNING", null);
        host("h2", "RUNNING", null);
        alerts.evaluate(t.db);
        assertTrue(alerts(AlertState.FIRING).isEmpty());

        status(h1, "NO_CONNECTION");
        t.clock.advance(Duration.ofSeconds(2));
        assertEquals(1, alerts.evaluate(t.db)[0]);
        assertEquals(0, alerts.evaluate(t.db)[0], "the same condition does not fire again");
        List<Alert> firing = alerts(AlertState.FIRING);
        assertEquals(1, firing.size());
        Alert a = firing.get(0);
        assertEquals("host-down", a.rule());
        assertEquals("h1", a.subject());
        assertEquals(Severity.CRITICAL, a.severity());
        assertNull(a.mutedBy());
        assertEquals(1, events("FIRING"));

        Alert acked = alerts.acknowledge(operator, "acme-p1", a.id());
        assertEquals("olga", acked.acknowledgedBy());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> alerts.acknowledge(viewer, "acme-p1", a.id())).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> alerts.acknowledge(stranger, "acme-p1", a.id())).reason());

        status(h1, "RUNNING");
        t.clock.advance(Duration.ofSeconds(2));
        assertEquals(1, alerts.evaluate(t.db)[1]);
        assertTrue(alerts(AlertState.FIRING).isEmpty());
        Alert resolved = alerts.alert(viewer, "acme-p1", a.id());
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertEquals(t.clock.instant(), resolved.resolvedAt());
        assertEquals(1, events("RESOLVED"));
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> alerts.acknowledge(operator, "acme-p1", a.id())).reason());

        status(h1, "NO_CONNECTION");
        alerts.evaluate(t.db);
        assertEquals(1, alerts(AlertState.FIRING).size(), "a new outage is a new alert");
        assertEquals(2, alerts(null).size());
    }

    @Test
    void twoEvaluatorsAtOnceFireOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            host("h" + i, "NO_CONNECTION", null);
        }
        AlertServiceImpl other = service();
        try {
            for (int round = 0; round < 3; round++) {
                CompletableFuture<?> a = CompletableFuture.runAsync(() -> evaluateQuietly(alerts));
                CompletableFuture<?> b = CompletableFuture.runAsync(() -> evaluateQuietly(other));
                a.get();
                b.get();
            }
        } finally {
            other.deactivate();
        }
        assertEquals(20, alerts(AlertState.FIRING).size());
        assertEquals(20, events("FIRING"));
        // the unique key refuses a second firing row outright
        String key = t.db.inTransaction(c -> Sql.string(c, "SELECT firing_key FROM alert WHERE state = 'FIRING'"
                + " FETCH FIRST 1 ROWS ONLY"));
        assertThrows(RuntimeException.class, () -> t.db.inTransaction(c -> Sql.update(c, "INSERT INTO alert (id,"
                + " project_id, rule_id, rule_name, kind, severity, subject, state, message, since_at, fired_at, firing_key)"
                + " SELECT 'dup', project_id, rule_id, rule_name, kind, severity, subject, state, message, since_at,"
                + " fired_at, firing_key FROM alert WHERE firing_key = ?", key)));
    }

    private void evaluateQuietly(AlertServiceImpl s) {
        try {
            s.evaluate(t.db);
        } catch (RuntimeException e) {
            // the loser of a race on the unique key (or a Derby deadlock) rolls back; the winner's alert stands
        }
    }

    @Test
    void aMetricFiresOnlyAfterItsDurationAndOverridesChangeTheThreshold() {
        String siteId = UUID.randomUUID().toString();
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO site (id, project_id, name, created_at) VALUES (?, ?, 'berlin', ?)",
                siteId, acmeId, t.clock.instant()));
        String h1 = host("h1", "RUNNING", siteId);
        String h2 = host("h2", "RUNNING", null);
        sample(h1, Telemetry.CPU_USAGE, "", 50);
        sample(h2, Telemetry.CPU_USAGE, "", 50);
        for (int i = 0; i < 8; i++) { // 90 % every 30 s: held 3.5 minutes, not yet the 5 the rule asks
            t.clock.advance(Duration.ofSeconds(30));
            sample(h1, Telemetry.CPU_USAGE, "", 90);
            sample(h2, Telemetry.CPU_USAGE, "", 90);
            sample(h1, Telemetry.FS_USED_PERCENT, "/data", 97);
        }
        alerts.evaluate(t.db);
        assertTrue(alerts(AlertState.FIRING).isEmpty(), "3.5 minutes at 90 %: not yet");
        alerts.setOverride(admin, "acme-p1", "cpu-high", new RuleOverride(TargetType.SITE, "berlin", 95.0, null, null));
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> alerts.setOverride(admin, "acme-p1",
                "cpu-high", new RuleOverride(TargetType.SITE, "nowhere", 95.0, null, null))).reason());
        for (int i = 0; i < 4; i++) {
            t.clock.advance(Duration.ofSeconds(30));
            sample(h1, Telemetry.CPU_USAGE, "", 90);
            sample(h2, Telemetry.CPU_USAGE, "", 91);
            sample(h1, Telemetry.FS_USED_PERCENT, "/data", 97);
        }
        alerts.evaluate(t.db);
        List<Alert> firing = alerts(AlertState.FIRING);
        assertEquals(List.of("h1:/data", "h2"), firing.stream().map(Alert::subject).sorted().toList(),
                "h1's site raised its CPU threshold to 95; its disk is per mount point");
        Alert cpu = firing.stream().filter(a -> a.subject().equals("h2")).findFirst().orElseThrow();
        assertEquals(91.0, cpu.value());
        assertEquals("cpu-high", cpu.rule());

        alerts.createSilence(operator, "acme-p1", new SilenceSpec(null, "h1", "replacing the disk", 60L));
        alerts.evaluate(t.db);
        Alert disk = alerts(AlertState.FIRING).stream().filter(a -> a.subject().equals("h1:/data")).findFirst().orElseThrow();
        assertTrue(disk.mutedBy().startsWith("silence "), disk.toString());
        assertEquals(Reason.INVALID, assertThrows(TenancyException.class, () -> alerts.createSilence(operator, "acme-p1",
                new SilenceSpec(null, "h1", null, 0L))).reason());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> alerts.createSilence(viewer, "acme-p1",
                new SilenceSpec(null, "h1", null, 10L))).reason());

        t.clock.advance(Duration.ofSeconds(30));
        sample(h2, Telemetry.CPU_USAGE, "", 40);
        alerts.updateRule(admin, "acme-p1", "disk-full", new RuleChange(null, null, null, null, false));
        alerts.evaluate(t.db);
        assertTrue(alerts(AlertState.FIRING).isEmpty(), "h2 dropped below; disk-full disabled");
    }
}
