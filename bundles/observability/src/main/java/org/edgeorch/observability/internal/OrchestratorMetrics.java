package org.edgeorch.observability.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.edgeorch.observability.Instruments;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The orchestrator's metrics for Prometheus (client_java, embedded in this bundle): its JVM, the HTTP and southbound
 * calls it answers and how long they took, the syncs, the database pool, and the fleet's state counted from the
 * database at scrape time (cached for {@code fleetCacheSeconds}). Every label is bounded: projects, sites and status
 * names, never a host.
 */
@Component(service = {Instruments.class, OrchestratorMetrics.class}, configurationPid = ObservabilityConfig.PID)
public class OrchestratorMetrics implements Instruments {

    /** Seconds: from a fast REST read to a slow sync or an image chunk. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram http;
    private final Histogram southbound;
    private final Counter syncs;
    private final Counter telemetrySamples;
    private final FleetCollector fleet;

    @Activate
    public OrchestratorMetrics(@Reference Database db, ObservabilityConfig config) {
        this(db, ScrapeAuth.bounded("fleetCacheSeconds", config.fleetCacheSeconds(), 0, 300) * 1000L, true);
    }

    OrchestratorMetrics(Database db, long fleetCacheMillis, boolean jvm) {
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
        http = Histogram.builder().name("edgeorch_http_request_duration_seconds").unit(Unit.SECONDS)
                .help("HTTP requests the orchestrator answered (REST, SOAP, dashboard, metrics), by API, method and status class")
                .labelNames("api", "method", "code").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        southbound = Histogram.builder().name("edgeorch_southbound_request_duration_seconds").unit(Unit.SECONDS)
                .help("Southbound calls from hosts (enrol, renew, sync, image), by call and status")
                .labelNames("call", "code").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        syncs = Counter.builder().name("edgeorch_syncs")
                .help("Host syncs answered: changed (a new desired state), unchanged (304), refused (4xx) or failed (5xx)")
                .labelNames("outcome").register(registry);
        telemetrySamples = Counter.builder().name("edgeorch_telemetry_samples")
                .help("Telemetry samples hosts sent: stored, duplicate (in a set re-sent after a lost answer, skipped by"
                        + " its batch id) or dropped (unstorable: bad name or value, from the future, past retention)")
                .labelNames("outcome").register(registry);
        GaugeWithCallback.builder().name("edgeorch_db_pool_connections")
                .help("Database pool (HikariCP) connections by state: active, idle, pending (threads waiting), max")
                .labelNames("state").callback(cb -> {
                    if (db.dataSource() instanceof HikariDataSource pool) {
                        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                        if (bean != null) {
                            cb.call(bean.getActiveConnections(), "active");
                            cb.call(bean.getIdleConnections(), "idle");
                            cb.call(bean.getThreadsAwaitingConnection(), "pending");
                        }
                        cb.call(pool.getMaximumPoolSize(), "max");
                    }
                }).register(registry);
        fleet = new FleetCollector(db, fleetCacheMillis);
        registry.register(fleet);
    }

    @Override
    public void southboundCall(String call, int status, long nanos) {
        southbound.labelValues(call, Integer.toString(status)).observe(nanos / 1e9);
        if ("sync".equals(call)) {
            syncs.labelValues(status == 304 || status == 200 ? (status == 304 ? "unchanged" : "changed")
                    : status < 500 ? "refused" : "failed").inc();
        }
    }

    /** What one ingest did with the samples of a sync. */
    void telemetryIngested(long stored, long duplicate, long dropped) {
        telemetrySamples.labelValues("stored").inc(stored);
        telemetrySamples.labelValues("duplicate").inc(duplicate);
        telemetrySamples.labelValues("dropped").inc(dropped);
    }

    /** One HTTP request answered by the web container; {@code api} is one of a fixed few. */
    void httpRequest(String api, String method, int status, long nanos) {
        http.labelValues(api, method, (status / 100) + "xx").observe(nanos / 1e9);
    }

    /** The writer for an {@code Accept} header: OpenMetrics when asked for, else the Prometheus text format. */
    static ExpositionFormatWriter writer(String accept) {
        if (accept != null && accept.contains("application/openmetrics-text")) {
            return OpenMetricsTextFormatWriter.create();
        }
        return PrometheusTextFormatWriter.create();
    }

    /** Writes every metric in the format {@code accept} asks for; returns its content type. */
    String write(String accept, OutputStream out) throws IOException {
        ExpositionFormatWriter w = writer(accept);
        w.write(out, registry.scrape());
        return w.getContentType();
    }

    /** The fleet's state: counts by bounded labels, read with one query per kind. */
    static final class FleetCollector implements MultiCollector {

        private final Database db;
        private final long cacheMillis;
        private MetricSnapshots cached;
        private long cachedAt;

        FleetCollector(Database db, long cacheMillis) {
            this.db = db;
            this.cacheMillis = cacheMillis;
        }

        @Override
        public synchronized MetricSnapshots collect() {
            long now = System.currentTimeMillis();
            if (cached == null || now - cachedAt >= cacheMillis) {
                cached = db.inTransaction(FleetCollector::read);
                cachedAt = now;
            }
            return cached;
        }

        @Override
        public List<String> getPrometheusNames() {
            return List.of("edgeorch_hosts", "edgeorch_update_runs", "edgeorch_rollouts", "edgeorch_app_deployment_hosts",
                    "edgeorch_alerts_firing");
        }

        static MetricSnapshots read(Connection c) throws SQLException {
            List<MetricSnapshot> out = new ArrayList<>();
            out.add(gauge(c, "edgeorch_hosts", "Hosts by project, site (empty when none) and status",
                    "SELECT p.name, COALESCE(s.name, ''), h.status, COUNT(*) FROM host h JOIN project p ON p.id = h.project_id"
                            + " LEFT JOIN site s ON s.id = h.site_id GROUP BY p.name, s.name, h.status",
                    "project", "site", "status"));
            out.add(gauge(c, "edgeorch_update_runs", "OS update runs by project and status",
                    "SELECT p.name, u.status, COUNT(*) FROM update_run u JOIN project p ON p.id = u.project_id"
                            + " GROUP BY p.name, u.status", "project", "status"));
            out.add(gauge(c, "edgeorch_rollouts", "Rollouts by project and state",
                    "SELECT p.name, r.state, COUNT(*) FROM rollout r JOIN project p ON p.id = r.project_id"
                            + " GROUP BY p.name, r.state", "project", "state"));
            out.add(gauge(c, "edgeorch_app_deployment_hosts",
                    "Application deployments on hosts by project and the state their app agents report",
                    "SELECT p.name, a.state, COUNT(*) FROM app_host_status a JOIN project p ON p.id = a.project_id"
                            + " GROUP BY p.name, a.state", "project", "state"));
            out.add(gauge(c, "edgeorch_alerts_firing", "Alerts firing by project and severity (muted ones included)",
                    "SELECT p.name, a.severity, COUNT(*) FROM alert a JOIN project p ON p.id = a.project_id"
                            + " WHERE a.state = 'FIRING' GROUP BY p.name, a.severity", "project", "severity"));
            return new MetricSnapshots(out);
        }

        /** A gauge from a query whose columns are the label values, then the count. */
        private static GaugeSnapshot gauge(Connection c, String name, String help, String sql, String... labels)
                throws SQLException {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            for (GaugeDataPointSnapshot point : Sql.list(c, sql, rs -> {
                String[] values = new String[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    values[i] = rs.getString(i + 1);
                }
                return GaugeDataPointSnapshot.builder().labels(Labels.of(labels, values))
                        .value(rs.getLong(labels.length + 1)).build();
            })) {
                b.dataPoint(point);
            }
            return b.build();
        }
    }
}
