package org.edgeorch.observability.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.UUID;

import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics on real Derby with the product's migrations: the fleet's counts, the formats, the token, the labels. */
class OrchestratorMetricsTest {

    @TempDir
    Path dir;

    private TenancyFixture t;
    private String acmeId;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        acmeId = t.tenancy.project(t.login("acme-admin"), "acme-p1").id();
    }

    private void host(String name, String status) {
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO host (id, project_id, name, status, status_changed_at, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), acmeId, name, status,
                Timestamp.from(t.clock.instant()), Timestamp.from(t.clock.instant())));
    }

    private static String scrape(OrchestratorMetrics m, String accept) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(accept, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsTheFleetByBoundedLabelsAndTheCallsServed() throws Exception {
        host("h1", "RUNNING");
        host("h2", "RUNNING");
        host("h3", "NO_CONNECTION");
        OrchestratorMetrics m = new OrchestratorMetrics(t.db, 0, false);
        m.southboundCall("sync", 200, 3_000_000);
        m.southboundCall("sync", 304, 1_000_000);
        m.southboundCall("sync", 304, 1_000_000);
        m.httpRequest("rest", "GET", 404, 2_000_000);

        String text = scrape(m, "text/plain");
        assertTrue(text.contains("edgeorch_hosts{project=\"acme-p1\",site=\"\",status=\"RUNNING\"} 2.0"), text);
        assertTrue(text.contains("edgeorch_hosts{project=\"acme-p1\",site=\"\",status=\"NO_CONNECTION\"} 1.0"), text);
        assertFalse(text.contains("h1"), "no host name on the global endpoint: " + text);
        assertTrue(text.contains("edgeorch_syncs_total{outcome=\"unchanged\"} 2.0"), text);
        assertTrue(text.contains("edgeorch_syncs_total{outcome=\"changed\"} 1.0"), text);
        assertTrue(text.contains("edgeorch_southbound_request_duration_seconds_count{call=\"sync\",code=\"304\"} 2"), text);
        assertTrue(text.contains("edgeorch_http_request_duration_seconds_count{api=\"rest\",code=\"4xx\",method=\"GET\"} 1"), text);

        host("h4", "RUNNING");
        assertTrue(scrape(m, null).contains("status=\"RUNNING\"} 3.0"), "no cache at fleetCacheSeconds=0");

        String open = scrape(m, "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertTrue(open.endsWith("# EOF\n"), open);
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
                OrchestratorMetrics.writer("application/openmetrics-text").getContentType());
        assertTrue(OrchestratorMetrics.writer("*/*").getContentType().startsWith("text/plain"));
    }

    @Test
    void fleetCountsAreReusedWithinTheCacheTime() throws Exception {
        host("h1", "RUNNING");
        OrchestratorMetrics m = new OrchestratorMetrics(t.db, 60_000, false);
        assertTrue(scrape(m, null).contains("status=\"RUNNING\"} 1.0"));
        host("h2", "RUNNING");
        assertTrue(scrape(m, null).contains("status=\"RUNNING\"} 1.0"));
    }

    @Test
    void theScrapeTokenIsCheckedAgainstItsHashOnly() {
        String hash = HexFormat.of().formatHex(ScrapeAuth.sha256("s3cret-token"));
        ScrapeAuth auth = new ScrapeAuth(hash.toUpperCase());
        assertTrue(auth.accepts("Bearer s3cret-token"));
        assertTrue(auth.accepts("bearer s3cret-token"));
        assertFalse(auth.accepts("Bearer s3cret-tokeN"));
        assertFalse(auth.accepts("Basic czNjcmV0LXRva2Vu"));
        assertFalse(auth.accepts("Bearer "));
        assertFalse(auth.accepts(null));
        assertFalse(new ScrapeAuth("").accepts("Bearer s3cret-token"), "no token configured: nobody scrapes");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new ScrapeAuth("s3cret-token"));
        assertFalse(bad.getMessage().contains("s3cret"), "the refusal does not echo what was configured");
    }

    @Test
    void httpLabelsComeFromAFixedFew() {
        assertEquals("rest", HttpMetricsFilter.api("/api/v1/projects/p/hosts"));
        assertEquals("soap", HttpMetricsFilter.api("/soap/fleet"));
        assertEquals("dashboard", HttpMetricsFilter.api("/ui/index.html"));
        assertEquals("metrics", HttpMetricsFilter.api("/metrics"));
        assertEquals("other", HttpMetricsFilter.api("/apix"));
        assertEquals("other", HttpMetricsFilter.api(null));
        assertEquals("OTHER", HttpMetricsFilter.method("PROPFIND"));
        assertEquals("GET", HttpMetricsFilter.method("GET"));
    }
}
