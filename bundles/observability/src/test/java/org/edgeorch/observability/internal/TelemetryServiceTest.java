package org.edgeorch.observability.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.edgeorch.observability.TelemetryService;
import org.edgeorch.observability.TelemetryService.Point;
import org.edgeorch.observability.TelemetryService.Series;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.Telemetry.Sample;
import org.edgeorch.spi.southbound.SampleSet;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry on real Derby with the product's migrations: ingest once, query with a step, compaction, isolation. */
class TelemetryServiceTest {

    @TempDir
    Path dir;

    private TenancyFixture t;
    private TelemetryServiceImpl telemetry;
    private String acmeId;
    private String hostId;
    private Caller viewer;
    private Caller stranger;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        t.organizationWithProject("other");
        viewer = t.member("acme", "acme-p1", "vic", Role.VIEWER);
        stranger = t.member("other", "other-p1", "oscar", Role.PROJECT_ADMIN);
        acmeId = t.tenancy.project(t.login("acme-admin"), "acme-p1").id();
        hostId = UUID.randomUUID().toString();
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO host (id, project_id, name, status, status_changed_at, created_at)"
                + " VALUES (?, ?, 'h1', 'RUNNING', ?, ?)", hostId, acmeId, Timestamp.from(t.clock.instant()),
                Timestamp.from(t.clock.instant())));
        telemetry = new TelemetryServiceImpl(t.db, t.tenancy, t.audit, null, t.clock, Duration.ofDays(1), Duration.ofDays(30));
    }

    @AfterEach
    void tearDown() {
        telemetry.deactivate();
    }

    /** A sample set every 30 s for {@code minutes}, CPU rising 0, 1, 2 ... and the root file system at 40 %. */
    private List<SampleSet> minutes(Instant start, int minutes) {
        List<SampleSet> sets = new ArrayList<>();
        for (int i = 0; i < minutes * 2; i++) {
            sets.add(new SampleSet(start.plusSeconds(30L * i).toEpochMilli(), List.of(new Sample(Telemetry.CPU_USAGE, "", i),
                    new Sample(Telemetry.FS_USED_PERCENT, "/", 40), new Sample(Telemetry.FS_USED_PERCENT, "/data", 70))));
        }
        return sets;
    }

    @Test
    void storesOnceAndAnswersPointsPerStep() {
        Instant start = t.clock.instant().minus(Duration.ofMinutes(10));
        List<SampleSet> sets = minutes(start, 10);
        assertEquals(60, telemetry.ingest(acmeId, hostId, sets));
        assertEquals(0, telemetry.ingest(acmeId, hostId, sets), "a re-sent sync stores nothing twice");

        Series cpu = telemetry.query(viewer, "acme-p1", "h1", Telemetry.CPU_USAGE, start, start.plus(Duration.ofMinutes(10)),
                Duration.ofMinutes(5));
        assertEquals(1, cpu.devices().size());
        List<Point> points = cpu.devices().get(0).points();
        assertEquals(2, points.size());
        assertEquals(new Point(start, 0, 4.5, 9, 10), points.get(0));
        assertEquals(new Point(start.plus(Duration.ofMinutes(5)), 10, 14.5, 19, 10), points.get(1));

        Series fs = telemetry.query(viewer, "acme-p1", "h1", Telemetry.FS_USED_PERCENT, start, null, null);
        assertEquals(List.of("/", "/data"), fs.devices().stream().map(TelemetryService.DeviceSeries::device).toList());
        assertEquals(60, fs.stepSeconds());
    }

    /** Sets {@code from} to {@code to} of a node buffer, one every 30 s from {@code start}, three samples each. */
    private static List<SampleSet> batched(String buffer, Instant start, int from, int to) {
        List<SampleSet> sets = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            sets.add(new SampleSet(start.plusSeconds(30L * i).toEpochMilli(), List.of(new Sample(Telemetry.CPU_USAGE, "", i),
                    new Sample(Telemetry.FS_USED_PERCENT, "/", 40), new Sample(Telemetry.LOAD_1, "", 0.5)), buffer, i));
        }
        return sets;
    }

    private static String scrape(OrchestratorMetrics metrics) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        metrics.write(null, out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aSetReSentAfterALostAnswerIsSkippedByItsBatchIdAndCountedOnce() throws Exception {
        OrchestratorMetrics metrics = new OrchestratorMetrics(t.db, 0, false);
        telemetry.metrics = metrics;
        String buffer = UUID.randomUUID().toString();
        Instant start = t.clock.instant().minus(Duration.ofMinutes(30));
        assertEquals(60, telemetry.ingest(acmeId, hostId, batched(buffer, start, 1, 20)));
        // the answer was lost: the node sends 11 to 20 again, with 21 to 25 sampled meanwhile
        List<SampleSet> again = new ArrayList<>(batched(buffer, start, 11, 20));
        again.addAll(batched(buffer, start, 21, 25));
        assertEquals(15, telemetry.ingest(acmeId, hostId, again));
        String text = scrape(metrics);
        assertTrue(text.contains("edgeorch_telemetry_samples_total{outcome=\"stored\"} 75.0"), text);
        assertTrue(text.contains("edgeorch_telemetry_samples_total{outcome=\"duplicate\"} 30.0"), text);

        // Compaction moved the first samples into 5-minute buckets; an orchestrator on the same database that keeps
        // raw samples longer gets the first sets once more: the batch ids keep them out (the raw table no longer has
        // them, so sample by sample they would be stored, and counted, a second time).
        t.clock.advance(Duration.ofDays(1).minusMinutes(15));
        assertTrue(telemetry.compact(t.db) > 0);
        TelemetryServiceImpl longer = new TelemetryServiceImpl(t.db, t.tenancy, t.audit, null, t.clock, Duration.ofDays(2),
                Duration.ofDays(30));
        try {
            assertEquals(0, longer.ingest(acmeId, hostId, batched(buffer, start, 1, 25)));
        } finally {
            longer.deactivate();
        }
        Series cpu = telemetry.query(viewer, "acme-p1", "h1", Telemetry.CPU_USAGE, start, start.plus(Duration.ofHours(1)),
                Duration.ofHours(1));
        assertEquals(25, cpu.devices().get(0).points().get(0).count(), "each sample counted once");

        // The node's data folder was wiped: a new buffer numbers from 1 again and is stored.
        String fresh = UUID.randomUUID().toString();
        Instant later = t.clock.instant().minus(Duration.ofMinutes(5));
        assertEquals(6, telemetry.ingest(acmeId, hostId, batched(fresh, later, 1, 2)));
        assertEquals(0, telemetry.ingest(acmeId, hostId, batched(fresh, later, 1, 2)));
        // a malformed buffer id is no batch id: deduplicated sample by sample
        assertEquals(3, telemetry.ingest(acmeId, hostId, batched("../not-a-uuid", later, 3, 3)));
        assertEquals(0, telemetry.ingest(acmeId, hostId, batched("../not-a-uuid", later, 3, 3)));
    }

    @Test
    void compactionKeepsMinAvgMaxAndQueriesReadBothTables() {
        Instant start = t.clock.instant().minus(Duration.ofMinutes(20));
        telemetry.ingest(acmeId, hostId, minutes(start, 20));
        Series before = telemetry.query(viewer, "acme-p1", "h1", Telemetry.CPU_USAGE, start.minus(Duration.ofHours(1)),
                start.plus(Duration.ofHours(1)), Duration.ofHours(2));

        t.clock.advance(Duration.ofDays(1).minusMinutes(10)); // the first 10 minutes are past raw retention
        assertEquals(60, telemetry.compact(t.db), "the samples older than a day: 20 sets of 3");
        assertEquals(60L, (long) t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM host_metric_raw", rs -> rs.getLong(1))
                .orElseThrow()));
        Series after = telemetry.query(viewer, "acme-p1", "h1", Telemetry.CPU_USAGE, start.minus(Duration.ofHours(1)),
                start.plus(Duration.ofHours(1)), Duration.ofHours(2));
        assertEquals(before.devices(), after.devices(), "the same min, avg, max and count from buckets and raw samples");
        assertEquals(new Point(start.minus(Duration.ofHours(1)), 0, 19.5, 39, 40), after.devices().get(0).points().get(0));

        t.clock.advance(Duration.ofDays(31));
        telemetry.compact(t.db);
        assertTrue(telemetry.query(viewer, "acme-p1", "h1", Telemetry.CPU_USAGE, start.minus(Duration.ofHours(1)),
                start.plus(Duration.ofHours(1)), Duration.ofHours(2)).devices().isEmpty(), "past rollup retention");
    }

    @Test
    void aProjectsIntervalIsTheDefaultUntilSetWithinBoundsByAConfigWriter() {
        Caller admin = t.login("acme-admin");
        assertEquals(new TelemetryService.Settings("acme-p1", 30, true), telemetry.settings(viewer, "acme-p1"));
        assertEquals(30, telemetry.telemetryIntervalSeconds(acmeId));

        assertEquals(new TelemetryService.Settings("acme-p1", 120, false), telemetry.configure(admin, "acme-p1", 120));
        assertEquals(new TelemetryService.Settings("acme-p1", 120, false), telemetry.settings(viewer, "acme-p1"));
        assertEquals(120, telemetry.telemetryIntervalSeconds(acmeId), "this orchestrator's own change at once");

        for (Integer bad : new Integer[] {null, 0, 9, 3_601, -5, Integer.MAX_VALUE}) {
            TenancyException e = assertThrows(TenancyException.class, () -> telemetry.configure(admin, "acme-p1", bad));
            assertEquals(TenancyException.Reason.INVALID, e.reason(), String.valueOf(bad));
            assertEquals("intervalSeconds", e.field());
            assertTrue(e.getMessage().contains("10 to 3600"), e.getMessage());
        }
        assertEquals(TenancyException.Reason.FORBIDDEN,
                assertThrows(TenancyException.class, () -> telemetry.configure(viewer, "acme-p1", 60)).reason());
        assertEquals(TenancyException.Reason.NOT_FOUND,
                assertThrows(TenancyException.class, () -> telemetry.configure(stranger, "acme-p1", 60)).reason());
        assertEquals(TenancyException.Reason.NOT_FOUND,
                assertThrows(TenancyException.class, () -> telemetry.settings(stranger, "acme-p1")).reason());
        assertEquals(120, telemetry.settings(viewer, "acme-p1").intervalSeconds(), "refusals change nothing");

        // Another orchestrator on the same database changed it: served from memory until the cache expires.
        TelemetryServiceImpl other = new TelemetryServiceImpl(t.db, t.tenancy, t.audit, null, t.clock, Duration.ofDays(1),
                Duration.ofDays(30));
        try {
            other.configure(admin, "acme-p1", 15);
            assertEquals(120, telemetry.telemetryIntervalSeconds(acmeId));
            t.clock.advance(TelemetryServiceImpl.INTERVAL_CACHE.plusSeconds(1));
            assertEquals(15, telemetry.telemetryIntervalSeconds(acmeId));
        } finally {
            other.deactivate();
        }
        assertTrue(t.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM audit_event WHERE action ="
                + " 'telemetry-settings.update' AND outcome = 'FAILED'", rs -> rs.getLong(1)).orElseThrow()) >= 6);
    }

    @Test
    void dropsWhatCannotBeStoredAndRefusesBadQueries() {
        Instant now = t.clock.instant();
        assertEquals(1, telemetry.ingest(acmeId, hostId, List.of(
                new SampleSet(now.plus(Duration.ofHours(1)).toEpochMilli(), List.of(new Sample(Telemetry.LOAD_1, "", 1))),
                new SampleSet(now.minus(Duration.ofDays(2)).toEpochMilli(), List.of(new Sample(Telemetry.LOAD_1, "", 1))),
                new SampleSet(now.toEpochMilli(), List.of(new Sample("Bad Name", "", 1), new Sample(Telemetry.LOAD_1, "", Double.NaN),
                        new Sample(Telemetry.LOAD_5, "", 0.5))))));
        List<SampleSet> huge = new ArrayList<>();
        for (int i = 0; i <= TelemetryService.MAX_SAMPLES_PER_CALL; i++) {
            huge.add(new SampleSet(now.toEpochMilli() - i, List.of(new Sample(Telemetry.LOAD_1, "", 1))));
        }
        assertEquals(TenancyException.Reason.INVALID,
                assertThrows(TenancyException.class, () -> telemetry.ingest(acmeId, hostId, huge)).reason());

        assertEquals(TenancyException.Reason.INVALID, assertThrows(TenancyException.class,
                () -> telemetry.query(viewer, "acme-p1", "h1", null, null, null, null)).reason());
        assertEquals(TenancyException.Reason.INVALID, assertThrows(TenancyException.class,
                () -> telemetry.query(viewer, "acme-p1", "h1", "load.1", now, now.minusSeconds(1), null)).reason());
        assertEquals(TenancyException.Reason.INVALID, assertThrows(TenancyException.class,
                () -> telemetry.query(viewer, "acme-p1", "h1", "load.1", now.minus(Duration.ofDays(1)), now,
                        Duration.ofSeconds(1))).reason());
        assertEquals(TenancyException.Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> telemetry.query(viewer, "acme-p1", "nope", "load.1", null, null, null)).reason());
        assertEquals(TenancyException.Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> telemetry.query(stranger, "acme-p1", "h1", "load.1", null, null, null)).reason(),
                "another tenant's host is not found");
    }
}
