package org.edgeorch.observability.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.edgeorch.store.Database;
import org.edgeorch.store.DataAccessException;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * {@code GET /metrics}: the orchestrator's and the fleet's metrics for Prometheus, to a bearer whose SHA-256 is the
 * configured {@code scrapeTokenSha256}. {@code GET /metrics/projects/{project}/hosts} (opt-in, {@code perHostMetrics}):
 * a series per host of one project, to an API token with read access to that project; another tenant's project is
 * a 404 like everywhere else. The Prometheus text format, or OpenMetrics when {@code Accept} asks for it.
 */
@Component(service = Servlet.class, configurationPid = ObservabilityConfig.PID, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/metrics",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/metrics/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=edgeorch-metrics"})
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);
    private static final Pattern HOSTS = Pattern.compile("/projects/([^/]{1,63})/hosts");

    private final transient OrchestratorMetrics metrics;
    private final transient Database db;
    private final transient AuthService auth;
    private final transient TenancyService tenancy;
    private final transient ScrapeAuth scrape;
    private final boolean perHost;
    private final transient ExpositionCache cache;

    @Activate
    public MetricsServlet(@Reference OrchestratorMetrics metrics, @Reference Database db, @Reference AuthService auth,
                          @Reference TenancyService tenancy, ObservabilityConfig config) {
        this.metrics = metrics;
        this.db = db;
        this.auth = auth;
        this.tenancy = tenancy;
        this.scrape = new ScrapeAuth(config.scrapeTokenSha256());
        this.perHost = config.perHostMetrics();
        this.cache = new ExpositionCache(ScrapeAuth.bounded("expositionCacheSeconds", config.expositionCacheSeconds(), 0, 60)
                * 1000L, System::nanoTime);
        if (!scrape.configured()) {
            LOG.info("/metrics answers 401 until scrapeTokenSha256 is set in etc/{}.cfg", ObservabilityConfig.PID);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            if (path.isEmpty() || path.equals("/")) {
                if (!scrape.accepts(request.getHeader("Authorization"))) {
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
                    error(response, 401, "unauthenticated", scrape.configured() ? "a valid scrape token is required"
                            : "no scrape token is configured (scrapeTokenSha256 in etc/" + ObservabilityConfig.PID + ".cfg)");
                    return;
                }
                String accept = request.getHeader("Accept");
                send(response, cache.get("global:" + format(accept), () -> {
                    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
                    String type = metrics.write(accept, body);
                    return new ExpositionCache.Rendered(type, body.toByteArray());
                }));
                return;
            }
            Matcher m = HOSTS.matcher(path);
            if (!perHost || !m.matches()) {
                error(response, 404, "not_found", perHost ? "no metrics at this path"
                        : "per-host metrics are off (perHostMetrics in etc/" + ObservabilityConfig.PID + ".cfg)");
                return;
            }
            String token = ScrapeAuth.bearer(request.getHeader("Authorization"));
            if (token == null) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
                error(response, 401, "unauthenticated", "an API token is required");
                return;
            }
            Caller caller = auth.authenticate(token, request.getRemoteAddr());
            Project project = tenancy.authorize(caller, m.group(1), Permission.PROJECT_READ);
            String accept = request.getHeader("Accept");
            // Authorised above, for this caller: the cached page is only ever the project's own.
            send(response, cache.get("hosts:" + project.id() + ":" + format(accept), () -> {
                ExpositionFormatWriter writer = OrchestratorMetrics.writer(accept);
                ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
                writer.write(body, hosts(project));
                return new ExpositionCache.Rendered(writer.getContentType(), body.toByteArray());
            }));
        } catch (TenancyException e) {
            switch (e.reason()) {
                case UNAUTHENTICATED -> error(response, 401, "unauthenticated", e.getMessage());
                case FORBIDDEN -> error(response, 403, "forbidden", e.getMessage());
                case NOT_FOUND -> error(response, 404, "not_found", e.getMessage());
                default -> error(response, 400, "invalid", e.getMessage());
            }
        } catch (DataAccessException e) {
            LOG.warn("/metrics could not read the database: {}", e.toString());
            response.setHeader("Retry-After", "5");
            error(response, 503, "unavailable", "the orchestrator cannot reach its database; retry later");
        }
    }

    /** A project's hosts: one {@code edgeorch_host_status} series per host (value 1) and when each was last seen. */
    private MetricSnapshots hosts(Project project) {
        record Row(String host, String site, String status, java.sql.Timestamp seen) {
        }
        var rows = db.inTransaction(c -> Sql.list(c, "SELECT h.name, COALESCE(s.name, ''), h.status, h.last_seen_at"
                + " FROM host h LEFT JOIN site s ON s.id = h.site_id WHERE h.project_id = ? ORDER BY h.name",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4)), project.id()));
        GaugeSnapshot.Builder status = GaugeSnapshot.builder().name("edgeorch_host_status")
                .help("A host of the project, its site (empty when none) and status; always 1");
        GaugeSnapshot.Builder seen = GaugeSnapshot.builder().name("edgeorch_host_last_seen_timestamp_seconds")
                .help("When the host last synced (Unix seconds); absent when it never did");
        for (Row r : rows) {
            status.dataPoint(GaugeDataPointSnapshot.builder().value(1)
                    .labels(Labels.of("project", project.name(), "host", r.host(), "site", r.site(), "status", r.status())).build());
            if (r.seen() != null) {
                seen.dataPoint(GaugeDataPointSnapshot.builder().value(r.seen().getTime() / 1000.0)
                        .labels(Labels.of("project", project.name(), "host", r.host())).build());
            }
        }
        return MetricSnapshots.of(status.build(), seen.build());
    }

    /** The cache's name for the format {@code accept} gets. */
    private static String format(String accept) {
        return OrchestratorMetrics.writer(accept) instanceof io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter
                ? "openmetrics" : "text";
    }

    private static void send(HttpServletResponse response, ExpositionCache.Rendered page) throws IOException {
        response.setStatus(200);
        response.setContentType(page.contentType());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(page.body().length);
        response.getOutputStream().write(page.body());
    }

    /** The REST API's error model: {@code {"status":..,"code":..,"message":..,"fields":[]}}. */
    private static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = ("{\"status\":" + status + ",\"code\":\"" + code + "\",\"message\":\"" + escape(message)
                + "\",\"fields\":[]}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : (s == null ? "" : s).toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }
}
