package org.edgeorch.observability.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.edgeorch.fleet.TelemetryChannel;
import org.edgeorch.observability.TelemetryService;
import org.edgeorch.spi.Telemetry.Sample;
import org.edgeorch.spi.southbound.SampleSet;
import org.edgeorch.store.Database;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.TenancyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry in two tables: {@code host_metric_raw} as sent, and {@code host_metric_5m}, what compaction makes of raw
 * samples older than {@code rawRetentionHours}: 5-minute buckets of min, max, sum and count. Compaction runs every
 * ten minutes on the holder of the {@value #COMPACT_JOB} lease, host by host in a fenced transaction each (read, merge into
 * the buckets, delete), so a sample is in exactly one table at any time and a query reads both.
 */
@Component(service = {TelemetryService.class, TelemetryChannel.class}, configurationPid = ObservabilityConfig.PID)
public class TelemetryServiceImpl implements TelemetryService, TelemetryChannel {

    static final String COMPACT_JOB = "telemetry-compact";
    static final long BUCKET_MS = Duration.ofMinutes(5).toMillis();
    static final int MAX_POINTS = 2_000;
    static final Duration MAX_RANGE = Duration.ofDays(400);
    /** A host clock ahead of ours by more than this sends samples that are dropped. */
    static final Duration FUTURE = Duration.ofMinutes(10);
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]{0,62}");
    /** A node buffer's id, as the agent makes it (a UUID); anything else is no batch id. */
    static final Pattern BUFFER = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /**
     * How long a project's interval is answered from memory on the sync path; another orchestrator on the same
     * database that took a change serves it within this (this one's own changes at once).
     */
    static final Duration INTERVAL_CACHE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryServiceImpl.class);

    private final Database db;
    private final TenancyService tenancy;
    private final LeaderLeases leases;
    private final Clock clock;
    private final Duration rawRetention;
    private final Duration rollupRetention;
    private final ScheduledExecutorService executor;
    private final AuditLog audit;

    /** Where ingest counts what it stored and skipped; package-visible so tests can set one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile OrchestratorMetrics metrics;
    private record CachedInterval(int seconds, long until) {
    }
    private final Map<String, CachedInterval> intervals = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    public TelemetryServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit,
                                @Reference LeaderLeases leases, ObservabilityConfig config) {
        this(db, tenancy, audit, leases, Clock.systemUTC(),
                Duration.ofHours(ScrapeAuth.bounded("rawRetentionHours", config.rawRetentionHours(), 1, 24 * 31)),
                Duration.ofDays(ScrapeAuth.bounded("rollupRetentionDays", config.rollupRetentionDays(), 1, 3650)));
        executor.scheduleWithFixedDelay(this::compactLogged, 1, 10, TimeUnit.MINUTES);
    }

    TelemetryServiceImpl(Database db, TenancyService tenancy, AuditLog audit, LeaderLeases leases, Clock clock,
                         Duration rawRetention, Duration rollupRetention) {
        this.db = db;
        this.audit = audit;
        this.tenancy = tenancy;
        this.leases = leases;
        this.clock = clock;
        this.rawRetention = rawRetention;
        this.rollupRetention = rollupRetention;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeorch-telemetry");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    // ---- settings ----------------------------------------------------------------------------------------

    @Override
    public Settings settings(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        Integer set = db.inTransaction(c -> storedInterval(c, p.id()));
        return new Settings(p.name(), set == null ? DEFAULT_INTERVAL_SECONDS : set, set == null);
    }

    @Override
    public Settings configure(Caller caller, String project, Integer intervalSeconds) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        try {
            if (intervalSeconds == null) {
                throw new TenancyException(Reason.INVALID, "intervalSeconds", "intervalSeconds is required: seconds"
                        + " between two telemetry samples, " + MIN_INTERVAL_SECONDS + " to " + MAX_INTERVAL_SECONDS);
            }
            if (intervalSeconds < MIN_INTERVAL_SECONDS || intervalSeconds > MAX_INTERVAL_SECONDS) {
                throw new TenancyException(Reason.INVALID, "intervalSeconds", "intervalSeconds must be "
                        + MIN_INTERVAL_SECONDS + " to " + MAX_INTERVAL_SECONDS + " seconds, not " + intervalSeconds);
            }
            java.sql.Timestamp now = java.sql.Timestamp.from(clock.instant());
            db.inTransaction(c -> {
                if (Sql.update(c, "UPDATE telemetry_setting SET interval_seconds = ?, updated_at = ? WHERE project_id = ?",
                        intervalSeconds, now, p.id()) == 0) {
                    Sql.update(c, "INSERT INTO telemetry_setting (project_id, interval_seconds, updated_at) VALUES (?, ?, ?)",
                            p.id(), intervalSeconds, now);
                }
                return null;
            });
            intervals.put(p.id(), new CachedInterval(intervalSeconds, clock.millis() + INTERVAL_CACHE.toMillis()));
            audit.record(caller.username(), p.orgId(), p.id(), "telemetry-settings.update", "project", p.name(),
                    Outcome.SUCCESS, caller.sourceAddress(), "intervalSeconds " + intervalSeconds);
            return new Settings(p.name(), intervalSeconds, false);
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), "telemetry-settings.update", "project", p.name(),
                    Outcome.FAILED, caller.sourceAddress(), e.getMessage());
            throw e;
        }
    }

    /** For the sync path: from memory for {@link #INTERVAL_CACHE}, then read again (one primary-key read). */
    @Override
    public int telemetryIntervalSeconds(String projectId) {
        long now = clock.millis();
        CachedInterval cached = intervals.get(projectId);
        if (cached != null && cached.until() > now) {
            return cached.seconds();
        }
        Integer set = db.inTransaction(c -> storedInterval(c, projectId));
        int seconds = set == null ? DEFAULT_INTERVAL_SECONDS : set;
        intervals.put(projectId, new CachedInterval(seconds, now + INTERVAL_CACHE.toMillis()));
        return seconds;
    }

    private static Integer storedInterval(Connection c, String projectId) throws SQLException {
        return Sql.one(c, "SELECT interval_seconds FROM telemetry_setting WHERE project_id = ?", rs -> rs.getInt(1),
                projectId).orElse(null);
    }

    // ---- ingest ------------------------------------------------------------------------------------------

    private record Key(String name, String device, long at) {
    }

    /** What one ingest did, for the metrics: samples stored, in re-sent sets (skipped), unstorable. */
    private record Ingested(int stored, long duplicate, long dropped) {
    }

    /** A host's mark: the node buffer it sends from and the highest set number of it stored. */
    private record Mark(String buffer, long sequence) {
    }

    @Override
    public int ingest(String projectId, String hostId, List<SampleSet> sets) {
        if (sets == null || sets.isEmpty()) {
            return 0;
        }
        int total = 0;
        for (SampleSet set : sets) {
            total += set == null ? 0 : set.samples().size();
            if (total > MAX_SAMPLES_PER_CALL) {
                throw new TenancyException(Reason.INVALID, "telemetry", "at most " + MAX_SAMPLES_PER_CALL
                        + " samples per sync; send the rest with the next one");
            }
        }
        long now = clock.millis();
        long newest = now + FUTURE.toMillis();
        long oldest = now - rawRetention.toMillis();
        Ingested result = db.inTransaction(c -> {
            // The mark first: its row lock serialises two syncs of the host, so a re-sent set is skipped, not raced.
            Mark mark = Sql.update(c, "UPDATE host_telemetry_mark SET updated_at = ? WHERE host_id = ?",
                    java.sql.Timestamp.from(clock.instant()), hostId) == 0 ? null
                    : Sql.one(c, "SELECT buffer_id, last_seq FROM host_telemetry_mark WHERE host_id = ?",
                            rs -> new Mark(rs.getString(1), rs.getLong(2)), hostId).orElse(null);
            long duplicate = 0;
            long dropped = 0;
            Mark latest = null;
            List<Key> keys = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            Set<Key> seen = new HashSet<>();
            for (SampleSet set : sets) {
                if (set == null) {
                    continue;
                }
                boolean batched = set.buffer() != null && set.sequence() > 0 && BUFFER.matcher(set.buffer()).matches();
                if (batched) {
                    if (mark != null && mark.buffer().equals(set.buffer()) && set.sequence() <= mark.sequence()) {
                        duplicate += set.samples().size();
                        continue;
                    }
                    latest = latest != null && latest.buffer().equals(set.buffer())
                            ? new Mark(set.buffer(), Math.max(latest.sequence(), set.sequence()))
                            : new Mark(set.buffer(), set.sequence());
                }
                if (set.at() > newest || set.at() < oldest) {
                    dropped += set.samples().size();
                    continue;
                }
                for (Sample s : set.samples()) {
                    if (s == null || s.name() == null || !NAME.matcher(s.name()).matches() || !Double.isFinite(s.value())) {
                        dropped++;
                        continue;
                    }
                    String device = s.device().length() > 63 ? s.device().substring(0, 63) : s.device();
                    Key k = new Key(s.name(), device, set.at());
                    if (seen.add(k)) {
                        keys.add(k);
                        values.add(s.value());
                    } else {
                        duplicate++;
                    }
                }
            }
            int n = 0;
            if (!keys.isEmpty()) {
                long min = keys.stream().mapToLong(Key::at).min().orElseThrow();
                long max = keys.stream().mapToLong(Key::at).max().orElseThrow();
                // Sets without a batch id (other senders), or a sample sent twice in one buffer: sample by sample.
                Set<Key> stored = new HashSet<>(Sql.list(c, "SELECT name, device, at_ms FROM host_metric_raw"
                        + " WHERE host_id = ? AND at_ms >= ? AND at_ms <= ?",
                        rs -> new Key(rs.getString(1), rs.getString(2), rs.getLong(3)), hostId, min, max));
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO host_metric_raw"
                        + " (host_id, project_id, name, device, at_ms, val) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < keys.size(); i++) {
                        Key k = keys.get(i);
                        if (stored.contains(k)) {
                            duplicate++;
                            continue;
                        }
                        ps.setString(1, hostId);
                        ps.setString(2, projectId);
                        ps.setString(3, k.name());
                        ps.setString(4, k.device());
                        ps.setLong(5, k.at());
                        ps.setDouble(6, values.get(i));
                        ps.addBatch();
                        n++;
                    }
                    if (n > 0) {
                        ps.executeBatch();
                    }
                }
            }
            if (latest != null) {
                java.sql.Timestamp at = java.sql.Timestamp.from(clock.instant());
                if (mark == null) {
                    Sql.update(c, "INSERT INTO host_telemetry_mark (host_id, buffer_id, last_seq, updated_at) VALUES (?, ?, ?, ?)",
                            hostId, latest.buffer(), latest.sequence(), at);
                } else {
                    long seq = mark.buffer().equals(latest.buffer()) ? Math.max(mark.sequence(), latest.sequence())
                            : latest.sequence();
                    Sql.update(c, "UPDATE host_telemetry_mark SET buffer_id = ?, last_seq = ?, updated_at = ? WHERE host_id = ?",
                            latest.buffer(), seq, at, hostId);
                }
            }
            return new Ingested(n, duplicate, dropped);
        });
        OrchestratorMetrics m = metrics;
        if (m != null) {
            m.telemetryIngested(result.stored(), result.duplicate(), result.dropped());
        }
        return result.stored();
    }

    // ---- query -------------------------------------------------------------------------------------------

    @Override
    public Series query(Caller caller, String project, String host, String name, Instant from, Instant to,
                        Duration step) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new TenancyException(Reason.INVALID, "name", "a metric name such as cpu.usage.percent is required");
        }
        Instant end = to == null ? clock.instant() : to;
        Instant start = from == null ? end.minus(Duration.ofHours(1)) : from;
        if (!start.isBefore(end)) {
            throw new TenancyException(Reason.INVALID, "from", "from must be before to");
        }
        Duration range = Duration.between(start, end);
        if (range.compareTo(MAX_RANGE) > 0) {
            throw new TenancyException(Reason.INVALID, "from", "a range is at most " + MAX_RANGE.toDays() + " days");
        }
        Duration s = step != null ? step : Duration.ofSeconds(Math.max(60, range.toSeconds() / 300));
        if (s.toSeconds() < 1 || range.toMillis() / s.toMillis() > MAX_POINTS) {
            throw new TenancyException(Reason.INVALID, "step", "step must be at least a second and give at most "
                    + MAX_POINTS + " points over the range");
        }
        long from0 = start.toEpochMilli();
        long to0 = end.toEpochMilli();
        long stepMs = s.toMillis();
        return db.inTransaction(c -> {
            String hostId = Sql.one(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", rs -> rs.getString(1),
                    p.id(), host).orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "no host " + host));
            Map<String, TreeMap<Long, double[]>> byDevice = new TreeMap<>();
            Sql.list(c, "SELECT device, at_ms, val FROM host_metric_raw WHERE host_id = ? AND name = ? AND at_ms >= ?"
                    + " AND at_ms < ?", rs -> {
                        add(byDevice, rs.getString(1), bucket(rs.getLong(2), from0, stepMs), rs.getDouble(3),
                                rs.getDouble(3), rs.getDouble(3), 1);
                        return null;
                    }, hostId, name, from0, to0);
            Sql.list(c, "SELECT device, bucket_ms, min_val, max_val, sum_val, n FROM host_metric_5m WHERE host_id = ?"
                    + " AND name = ? AND bucket_ms >= ? AND bucket_ms < ?", rs -> {
                        add(byDevice, rs.getString(1), bucket(Math.max(rs.getLong(2), from0), from0, stepMs),
                                rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getInt(6));
                        return null;
                    }, hostId, name, from0 - BUCKET_MS + 1, to0);
            List<DeviceSeries> devices = new ArrayList<>();
            byDevice.forEach((device, buckets) -> {
                List<Point> points = new ArrayList<>();
                buckets.forEach((at, a) -> points.add(new Point(Instant.ofEpochMilli(at), a[0], a[2] / a[3], a[1],
                        (long) a[3])));
                devices.add(new DeviceSeries(device, points));
            });
            return new Series(host, name, start, end, s.toSeconds(), devices);
        });
    }

    private static long bucket(long at, long from, long step) {
        return from + Math.floorDiv(at - from, step) * step;
    }

    /** Folds min, max, sum and count into a bucket: {min, max, sum, count}. */
    private static void add(Map<String, TreeMap<Long, double[]>> byDevice, String device, long bucket, double min,
                            double max, double sum, long n) {
        double[] a = byDevice.computeIfAbsent(device, d -> new TreeMap<>()).computeIfAbsent(bucket,
                b -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0});
        a[0] = Math.min(a[0], min);
        a[1] = Math.max(a[1], max);
        a[2] += sum;
        a[3] += n;
    }

    // ---- compaction and retention --------------------------------------------------------------------------

    private void compactLogged() {
        try {
            if (leases.isLeader(COMPACT_JOB)) {
                int n = compact(leases.fenced(COMPACT_JOB));
                if (n > 0) {
                    LOG.info("Compacted {} telemetry sample(s) into 5-minute buckets", n);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Compacting telemetry failed; the next run retries: {}", e.toString());
        }
    }

    /**
     * Moves raw samples older than the raw retention into 5-minute buckets, host by host, and deletes buckets older
     * than the rollup retention; returns how many raw samples were compacted.
     */
    int compact(Database fenced) {
        long cutoff = clock.millis() - rawRetention.toMillis();
        List<String> hosts = fenced.inTransaction(c -> Sql.list(c, "SELECT DISTINCT host_id FROM host_metric_raw WHERE at_ms < ?",
                rs -> rs.getString(1), cutoff));
        int moved = 0;
        for (String host : hosts) {
            moved += fenced.inTransaction(c -> compactHost(c, host, cutoff));
        }
        long expired = clock.millis() - rollupRetention.toMillis();
        fenced.inTransaction(c -> Sql.update(c, "DELETE FROM host_metric_5m WHERE bucket_ms < ?", expired));
        return moved;
    }

    private record Bucket(String project, String name, String device, long at) {
    }

    private static int compactHost(Connection c, String host, long cutoff) throws SQLException {
        Map<Bucket, double[]> buckets = new java.util.HashMap<>();
        int[] n = {0};
        Sql.list(c, "SELECT project_id, name, device, at_ms, val FROM host_metric_raw WHERE host_id = ? AND at_ms < ?", rs -> {
            Bucket b = new Bucket(rs.getString(1), rs.getString(2), rs.getString(3),
                    Math.floorDiv(rs.getLong(4), BUCKET_MS) * BUCKET_MS);
            double v = rs.getDouble(5);
            double[] a = buckets.computeIfAbsent(b, k -> new double[] {v, v, 0, 0});
            a[0] = Math.min(a[0], v);
            a[1] = Math.max(a[1], v);
            a[2] += v;
            a[3]++;
            n[0]++;
            return null;
        }, host, cutoff);
        try (PreparedStatement update = c.prepareStatement("UPDATE host_metric_5m SET min_val = CASE WHEN min_val < ?"
                + " THEN min_val ELSE ? END, max_val = CASE WHEN max_val > ? THEN max_val ELSE ? END, sum_val = sum_val + ?,"
                + " n = n + ? WHERE host_id = ? AND name = ? AND device = ? AND bucket_ms = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO host_metric_5m (host_id, project_id, name, device,"
                     + " bucket_ms, min_val, max_val, sum_val, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Bucket, double[]> e : buckets.entrySet()) {
                Bucket b = e.getKey();
                double[] a = e.getValue();
                update.setDouble(1, a[0]);
                update.setDouble(2, a[0]);
                update.setDouble(3, a[1]);
                update.setDouble(4, a[1]);
                update.setDouble(5, a[2]);
                update.setInt(6, (int) a[3]);
                update.setString(7, host);
                update.setString(8, b.name());
                update.setString(9, b.device());
                update.setLong(10, b.at());
                if (update.executeUpdate() == 0) {
                    insert.setString(1, host);
                    insert.setString(2, b.project());
                    insert.setString(3, b.name());
                    insert.setString(4, b.device());
                    insert.setLong(5, b.at());
                    insert.setDouble(6, a[0]);
                    insert.setDouble(7, a[1]);
                    insert.setDouble(8, a[2]);
                    insert.setInt(9, (int) a[3]);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        Sql.update(c, "DELETE FROM host_metric_raw WHERE host_id = ? AND at_ms < ?", host, cutoff);
        return n[0];
    }
}
