package org.edgeorch.observability.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** {@code edgeorch_alerts_firing} counts firing alerts by project and severity only (no host, rule or subject). */
class AlertsGaugeTest {

    @TempDir
    Path dir;

    @Test
    void countsFiringAlertsByProjectAndSeverity() throws Exception {
        TenancyFixture t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        String project = t.tenancy.project(t.login("acme-admin"), "acme-p1").id();
        int[] n = {0};
        for (String[] a : new String[][] {{"CRITICAL", "FIRING"}, {"CRITICAL", "FIRING"}, {"WARNING", "FIRING"},
                {"WARNING", "RESOLVED"}}) {
            t.db.inTransaction(c -> Sql.update(c, "INSERT INTO alert (id, project_id, rule_id, rule_name, kind, severity,"
                    + " subject, state, message, since_at, fired_at, firing_key) VALUES (?, ?, 'r', 'host-down',"
                    + " 'HOST_STATUS', ?, ?, ?, 'm', ?, ?, ?)", "a" + n[0], project, a[0], "h" + n[0], a[1],
                    t.clock.instant(), t.clock.instant(), a[1].equals("FIRING") ? "r|h" + n[0]++ : null));
        }
        MetricSnapshot gauge = t.db.inTransaction(c -> OrchestratorMetrics.FleetCollector.read(c)).stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("edgeorch_alerts_firing")).findFirst().orElseThrow();
        Map<String, Double> byLabels = new TreeMap<>();
        for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) gauge).getDataPoints()) {
            byLabels.put(p.getLabels().toString(), p.getValue());
        }
        assertEquals(Map.of("{project=\"acme-p1\",severity=\"CRITICAL\"}", 2.0, "{project=\"acme-p1\",severity=\"WARNING\"}",
                1.0), byLabels);
    }
}
