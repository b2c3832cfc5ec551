package org.edgeorch.observability.internal.alert;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeorch.apps.Selector;
import org.edgeorch.observability.Alerts.RuleKind;
import org.edgeorch.observability.Alerts.TargetType;
import org.edgeorch.store.Sql;

/**
 * What holds now, rule by rule, read from the tables the domains keep (host status, update runs, rollouts,
 * application status, certificates, release events, the telemetry history): each condition is a {@link Hit} on one
 * subject. State, not events, so an evaluator that starts late or takes over from another sees the same thing.
 */
final class Conditions {

    /** A metric whose latest sample is older than this no longer holds (the host stopped reporting it). */
    static final Duration STALE = Duration.ofMinutes(5);
    private static final String NONE = "";

    private Conditions() {
    }

    /** A rule as stored, with its overrides. */
    record StoredRule(String id, String projectId, String name, RuleKind kind, String parameter, Double threshold,
                      long durationSeconds, org.edgeorch.observability.Alerts.Severity severity, String selectorText,
                      Selector selector, boolean enabled, boolean builtin, Instant createdAt, Instant updatedAt,
                      List<StoredOverride> overrides) {
    }

    record StoredOverride(TargetType targetType, String targetId, String targetName, Double threshold,
                          Long durationSeconds, Boolean enabled) {
    }

    /** One condition that holds, on one subject. */
    record Hit(String subject, String hostId, String hostName, Double value, Instant since, String message) {
    }

    /** A rule's threshold, duration and enablement for one host after its overrides. */
    record Effective(boolean enabled, Double threshold, long durationSeconds) {
    }

    record HostRow(String id, String name, String siteId) {
    }

    /** The project's hosts with what scoping reads: site, region chain and (when a rule has a selector) labels. */
    static final class Fleet {
        final Map<String, HostRow> hosts = new HashMap<>();
        final Map<String, String> siteRegion = new HashMap<>();
        final Map<String, String> regionParent = new HashMap<>();
        final Map<String, Map<String, String>> labels = new HashMap<>();

        static Fleet load(Connection c, String projectId, boolean withLabels) throws SQLException {
            Fleet f = new Fleet();
            Sql.list(c, "SELECT id, name, site_id FROM host WHERE project_id = ?", rs -> {
                f.hosts.put(rs.getString(1), new HostRow(rs.getString(1), rs.getString(2), rs.getString(3)));
                return null;
            }, projectId);
            Sql.list(c, "SELECT id, region_id FROM site WHERE project_id = ?", rs -> {
                f.siteRegion.put(rs.getString(1), rs.getString(2));
                return null;
            }, projectId);
            Sql.list(c, "SELECT id, parent_id FROM region WHERE project_id = ?", rs -> {
                f.regionParent.put(rs.getString(1), rs.getString(2));
                return null;
            }, projectId);
            if (withLabels) {
                Sql.list(c, "SELECT host_id, meta_key, meta_value FROM host_label WHERE project_id = ?", rs -> {
                    f.labels.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                    return null;
                }, projectId);
            }
            return f;
        }

        /** The rule for this host, or null when the host is outside its selector or the rule is off for it. */
        Effective effective(StoredRule rule, String hostId) {
            HostRow h = hosts.get(hostId);
            if (h == null) {
                return null;
            }
            if (rule.selector() != null && !rule.selector().matches(labels.getOrDefault(hostId, Map.of()))) {
                return null;
            }
            List<StoredOverride> chain = new ArrayList<>();
            Map<String, StoredOverride> byTarget = new HashMap<>();
            for (StoredOverride o : rule.overrides()) {
                byTarget.put(o.targetType() + "/" + o.targetId(), o);
            }
            add(chain, byTarget.get("HOST/" + hostId));
            if (h.siteId() != null) {
                add(chain, byTarget.get("SITE/" + h.siteId()));
                String region = siteRegion.get(h.siteId());
                for (int depth = 0; region != null && depth < 64; depth++) {
                    add(chain, byTarget.get("REGION/" + region));
                    region = regionParent.get(region);
                }
            }
            Boolean enabled = null;
            Double threshold = null;
            Long duration = null;
            for (StoredOverride o : chain) {
                enabled = enabled != null ? enabled : o.enabled();
                threshold = threshold != null ? threshold : o.threshold();
                duration = duration != null ? duration : o.durationSeconds();
            }
            boolean on = enabled != null ? enabled : rule.enabled();
            if (!on) {
                return null;
            }
            return new Effective(true, threshold != null ? threshold : rule.threshold(),
                    duration != null ? duration : rule.durationSeconds());
        }

        private static void add(List<StoredOverride> chain, StoredOverride o) {
            if (o != null) {
                chain.add(o);
            }
        }
    }

    /** Whether the rule may hold anywhere: enabled itself, or enabled by an override. */
    static boolean active(StoredRule rule) {
        return rule.enabled() || rule.overrides().stream().anyMatch(o -> Boolean.TRUE.equals(o.enabled()));
    }

    /** The conditions of a rule that hold at {@code now}, by subject. */
    static Map<String, Hit> holding(Connection c, StoredRule rule, Fleet fleet, Instant now) throws SQLException {
        Map<String, Hit> hits = new LinkedHashMap<>();
        switch (rule.kind()) {
            case METRIC -> metric(c, rule, fleet, now, hits);
            case HOST_STATUS -> Sql.list(c, "SELECT id, name, status_changed_at, status_reason FROM host"
                    + " WHERE project_id = ? AND status = ?", rs -> {
                        Effective e = fleet.effective(rule, rs.getString(1));
                        Instant since = Sql.instant(rs, 3);
                        if (e != null && !since.plusSeconds(e.durationSeconds()).isAfter(now)) {
                            String reason = rs.getString(4);
                            hits.put(rs.getString(2), new Hit(rs.getString(2), rs.getString(1), rs.getString(2), null, since,
                                    "host " + rs.getString(2) + " is " + rule.parameter() + " since " + since
                                            + (reason == null || reason.isBlank() ? "" : ": " + reason)));
                        }
                        return null;
                    }, rule.projectId(), rule.parameter());
            case UPDATE_RUN_FAILED -> Sql.list(c, "SELECT r.host_id, r.host_name, r.status, r.to_version, r.updated_at,"
                    + " r.failure FROM update_run r WHERE r.project_id = ? AND r.status IN ('FAILED', 'ROLLED_BACK', 'TIMED_OUT')"
                    + " AND NOT EXISTS (SELECT 1 FROM update_run n WHERE n.host_id = r.host_id AND n.created_at > r.created_at)",
                    rs -> {
                        if (fleet.effective(rule, rs.getString(1)) != null) {
                            String failure = rs.getString(6);
                            hits.put(rs.getString(2), new Hit(rs.getString(2), rs.getString(1), rs.getString(2), null,
                                    Sql.instant(rs, 5), "the update of host " + rs.getString(2) + " to " + rs.getString(4)
                                            + " is " + rs.getString(3) + (failure == null ? "" : " (" + failure + ")")));
                        }
                        return null;
                    }, rule.projectId());
            case ROLLOUT_PAUSED -> {
                if (rule.enabled()) {
                    Sql.list(c, "SELECT name, state_reason FROM rollout WHERE project_id = ? AND state = 'PAUSED'", rs -> {
                        String reason = rs.getString(2);
                        hits.put(rs.getString(1), new Hit(rs.getString(1), null, null, null, now, "rollout "
                                + rs.getString(1) + " is PAUSED" + (reason == null ? "" : ": " + reason)));
                        return null;
                    }, rule.projectId());
                }
            }
            case APP_UNHEALTHY -> Sql.list(c, "SELECT d.name, s.host_id, h.name, s.state, s.reason, s.updated_at"
                    + " FROM app_host_status s JOIN app_deployment d ON d.id = s.deployment_id JOIN host h ON h.id = s.host_id"
                    + " WHERE s.project_id = ? AND s.state IN ('UNHEALTHY', 'FAILED')", rs -> {
                        if (fleet.effective(rule, rs.getString(2)) != null) {
                            String subject = rs.getString(1) + "@" + rs.getString(3);
                            String reason = rs.getString(5);
                            hits.put(subject, new Hit(subject, rs.getString(2), rs.getString(3), null, Sql.instant(rs, 6),
                                    "deployment " + rs.getString(1) + " is " + rs.getString(4) + " on host " + rs.getString(3)
                                            + (reason == null ? "" : ": " + reason)));
                        }
                        return null;
                    }, rule.projectId());
            case CERTIFICATE_EXPIRING -> {
                double maxDays = rule.threshold();
                for (StoredOverride o : rule.overrides()) {
                    if (o.threshold() != null) {
                        maxDays = Math.max(maxDays, o.threshold());
                    }
                }
                Sql.list(c, "SELECT c.host_id, h.name, MAX(c.not_after) FROM host_certificate c JOIN host h ON h.id = c.host_id"
                        + " WHERE c.project_id = ? AND c.revoked_at IS NULL AND h.status <> 'INVALIDATED'"
                        + " GROUP BY c.host_id, h.name HAVING MAX(c.not_after) < ?", rs -> {
                            Effective e = fleet.effective(rule, rs.getString(1));
                            Instant notAfter = Sql.instant(rs, 3);
                            double days = Duration.between(now, notAfter).toMinutes() / 1440.0;
                            if (e != null && days < e.threshold()) {
                                hits.put(rs.getString(2), new Hit(rs.getString(2), rs.getString(1), rs.getString(2),
                                        Math.round(days * 10) / 10.0, now, "the certificate of host " + rs.getString(2)
                                                + (days < 0 ? " expired at " : " expires at ") + notAfter));
                            }
                            return null;
                        }, rule.projectId(), now.plus(Duration.ofMinutes(Math.round(maxDays * 1440))));
            }
            case RELEASE_REJECTED -> {
                if (rule.enabled()) {
                    Sql.list(c, "SELECT e.profile, e.version, e.tag, e.reason, e.occurred_at FROM release_event e"
                            + " WHERE e.outcome = 'REJECTED' AND e.occurred_at > ? AND e.profile IN"
                            + " (SELECT release_profile FROM os_profile WHERE project_id = ?) ORDER BY e.id", rs -> {
                                String what = rs.getString(2) != null ? rs.getString(2) : rs.getString(3);
                                String subject = rs.getString(1) + " " + (what == null ? "?" : what);
                                hits.put(subject, new Hit(subject, null, null, null, Sql.instant(rs, 5), "release "
                                        + subject + " was rejected: " + rs.getString(4)));
                                return null;
                            }, now.minus(Duration.ofMinutes(Math.round(rule.threshold() * 60))), rule.projectId());
                }
            }
            default -> throw new IllegalStateException(rule.kind().toString());
        }
        return hits;
    }

    /**
     * A metric at or above the threshold for the duration: for each host and device, the run of samples at or above
     * it that ends with the latest one must reach back the duration, and the latest must be recent.
     */
    private static void metric(Connection c, StoredRule rule, Fleet fleet, Instant now, Map<String, Hit> hits)
            throws SQLException {
        long longest = rule.durationSeconds();
        for (StoredOverride o : rule.overrides()) {
            if (o.durationSeconds() != null) {
                longest = Math.max(longest, o.durationSeconds());
            }
        }
        long from = now.minusSeconds(longest).minus(STALE).toEpochMilli();
        long stale = now.minus(STALE).toEpochMilli();
        record Sample(long at, double value) {
        }
        Map<String, List<Sample>> series = new LinkedHashMap<>();
        Sql.list(c, "SELECT host_id, device, at_ms, val FROM host_metric_raw WHERE project_id = ? AND name = ?"
                + " AND at_ms > ? ORDER BY host_id, device, at_ms", rs -> {
                    series.computeIfAbsent(rs.getString(1) + "\n" + rs.getString(2), k -> new ArrayList<>())
                            .add(new Sample(rs.getLong(3), rs.getDouble(4)));
                    return null;
                }, rule.projectId(), rule.parameter(), from);
        for (Map.Entry<String, List<Sample>> s : series.entrySet()) {
            int nl = s.getKey().indexOf('\n');
            String hostId = s.getKey().substring(0, nl);
            String device = s.getKey().substring(nl + 1);
            Effective e = fleet.effective(rule, hostId);
            List<Sample> samples = s.getValue();
            Sample latest = samples.get(samples.size() - 1);
            if (e == null || latest.at() < stale || latest.value() < e.threshold()) {
                continue;
            }
            long runStart = latest.at();
            for (int i = samples.size() - 1; i >= 0 && samples.get(i).value() >= e.threshold(); i--) {
                runStart = samples.get(i).at();
            }
            if (runStart + e.durationSeconds() * 1000 > now.toEpochMilli()) {
                continue;
            }
            String host = fleet.hosts.get(hostId).name();
            String subject = device.equals(NONE) ? host : host + ":" + device;
            hits.put(subject, new Hit(subject, hostId, host, latest.value(), Instant.ofEpochMilli(runStart),
                    rule.parameter() + " " + latest.value() + " on " + subject + ", at or above " + e.threshold()
                            + " since " + Instant.ofEpochMilli(runStart)));
        }
    }
}
