package org.edgeorch.observability.internal.alert;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.edgeorch.apps.Selector;
import org.edgeorch.observability.AlertService;
import org.edgeorch.observability.Alerts.Alert;
import org.edgeorch.observability.Alerts.AlertPage;
import org.edgeorch.observability.Alerts.AlertQuery;
import org.edgeorch.observability.Alerts.AlertState;
import org.edgeorch.observability.Alerts.Receiver;
import org.edgeorch.observability.Alerts.ReceiverChange;
import org.edgeorch.observability.Alerts.ReceiverSpec;
import org.edgeorch.observability.Alerts.ReceiverTestResult;
import org.edgeorch.observability.Alerts.Rule;
import org.edgeorch.observability.Alerts.RuleChange;
import org.edgeorch.observability.Alerts.RuleKind;
import org.edgeorch.observability.Alerts.RuleOverride;
import org.edgeorch.observability.Alerts.RuleSpec;
import org.edgeorch.observability.Alerts.Severity;
import org.edgeorch.observability.Alerts.Silence;
import org.edgeorch.observability.Alerts.SilenceSpec;
import org.edgeorch.observability.Alerts.TargetType;
import org.edgeorch.observability.internal.alert.Conditions.Fleet;
import org.edgeorch.observability.internal.alert.Conditions.Hit;
import org.edgeorch.observability.internal.alert.Conditions.StoredOverride;
import org.edgeorch.observability.internal.alert.Conditions.StoredRule;
import org.edgeorch.scheduling.HostSchedules;
import org.edgeorch.security.SecretBox;
import org.edgeorch.store.Database;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.Event;
import org.edgeorch.store.event.EventPublisher;
import org.edgeorch.store.event.EventType;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.TenancyService;
import org.edgeorch.windows.MaintenanceWindows;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert rules, alerts and silences. Every {@code evaluationSeconds} the holder of the {@value #JOB} lease evaluates
 * each project in a fenced transaction of its own: the default rules are added where missing, every active rule's
 * conditions are read ({@link Conditions}), a condition that holds and has no FIRING alert gets one, a FIRING alert
 * whose condition no longer holds is RESOLVED, and each firing alert's mute (silence, maintenance window) is brought
 * up to date; every change is an {@code alert.changed} event in the same transaction. The unique
 * {@code firing_key} ("rule|subject" while FIRING) makes a second firing impossible even if two evaluate at once.
 */
@Component(service = AlertService.class, configurationPid = AlertConfig.PID)
@Designate(ocd = AlertConfig.class)
public class AlertServiceImpl implements AlertService {

    static final String JOB = "alert-evaluate";
    static final int MAX_RULES = 200;
    static final int MAX_OVERRIDES = 500;
    static final int MAX_LIMIT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(AlertServiceImpl.class);
    private static final String RULE_COLUMNS = "id, project_id, name, kind, parameter, threshold, duration_seconds,"
            + " severity, selector, enabled, builtin, created_at, updated_at";
    private static final String ALERT_COLUMNS = "id, rule_name, kind, severity, subject, host_name, state, val, message,"
            + " since_at, fired_at, resolved_at, acknowledged_by, acknowledged_at, muted_by";

    private final Database db;
    private final TenancyService tenancy;
    private final AuditLog audit;
    private final LeaderLeases leases;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Duration resolvedRetention;
    private volatile Instant lastMetricPass = Instant.EPOCH;
    private final Duration metricInterval;
    private final Notifier notifier;
    private final Receivers receivers;
    private static final String RECEIVER = "alert-receiver";

    /** The event journal (the store's); absent only in tests that build this class without one. */
    private volatile EventPublisher events;
    /** Maintenance windows (scheduling's); without it no alert is muted by a window. */
    private volatile HostSchedules schedules;

    @Activate
    public AlertServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit,
                            @Reference LeaderLeases leases, AlertConfig config) {
        this(db, tenancy, audit, leases, Clock.systemUTC(),
                Duration.ofSeconds(bounded("metricEvaluationSeconds", config.metricEvaluationSeconds(), 1, 600)),
                Duration.ofDays(bounded("resolvedRetentionDays", config.resolvedRetentionDays(), 1, 3650)),
                SecretBox.fromFile(config.secretKeyFile().isBlank()
                        ? java.nio.file.Paths.get(System.getProperty("karaf.data", "data"), "edgeorch", "alerts-secret.key")
                        : java.nio.file.Paths.get(config.secretKeyFile().strip())));
        long every = bounded("evaluationSeconds", config.evaluationSeconds(), 1, 300);
        executor.scheduleWithFixedDelay(this::evaluateLogged, every, every, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(this::notifyLogged, 1, 1, TimeUnit.SECONDS);
    }

    AlertServiceImpl(Database db, TenancyService tenancy, AuditLog audit, LeaderLeases leases, Clock clock,
                     Duration metricInterval, Duration resolvedRetention, SecretBox secrets) {
        this.db = db;
        this.tenancy = tenancy;
        this.audit = audit;
        this.leases = leases;
        this.clock = clock;
        this.metricInterval = metricInterval;
        this.resolvedRetention = resolvedRetention;
        this.notifier = new Notifier(clock, secrets);
        this.receivers = new Receivers(db, clock, notifier);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeorch-alerts");
            t.setDaemon(true);
            return t;
        });
    }

    static int bounded(String name, int value, int min, int max) {
        if (value < min || value > max) {
            LoggerFactory.getLogger(AlertServiceImpl.class).warn("{} = {} is outside {}..{}; using {}", name, value, min,
                    max, Math.max(min, Math.min(max, value)));
        }
        return Math.max(min, Math.min(max, value));
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(EventPublisher publisher) {
        this.events = publisher;
    }

    void unsetEvents(EventPublisher gone) {
        if (events == gone) {
            events = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSchedules(HostSchedules s) {
        this.schedules = s;
    }

    void unsetSchedules(HostSchedules gone) {
        if (schedules == gone) {
            schedules = null;
        }
    }

    // ---- rules -------------------------------------------------------------------------------------------

    @Override
    public List<Rule> rules(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        ensureDefaults(p.id());
        return db.inTransaction(c -> {
            List<Rule> out = new ArrayList<>();
            for (StoredRule r : loadRules(c, p.id())) {
                out.add(view(r));
            }
            return out;
        });
    }

    @Override
    public Rule rule(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        ensureDefaults(p.id());
        return db.inTransaction(c -> view(find(c, p.id(), name)));
    }

    @Override
    public Rule createRule(Caller caller, String project, RuleSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        String name = spec == null ? null : spec.name();
        return audited(caller, p, "alert-rule.create", name, () -> {
            if (spec.kind() == null) {
                throw new TenancyException(Reason.INVALID, "kind", "kind is required: one of "
                        + java.util.Arrays.toString(RuleKind.values()));
            }
            RuleBounds.name(spec.name());
            String parameter = RuleBounds.parameter(spec.kind(), spec.parameter());
            Double threshold = RuleBounds.threshold(spec.kind(), parameter, spec.threshold(), true);
            Long duration = RuleBounds.duration(spec.kind(), spec.durationSeconds());
            String selector = selector(spec.selector());
            ensureDefaults(p.id());
            Instant now = clock.instant();
            return db.inTransaction(c -> {
                if (Sql.one(c, "SELECT 1 FROM alert_rule WHERE project_id = ? AND name = ?", rs -> 1, p.id(), name).isPresent()) {
                    throw new TenancyException(Reason.CONFLICT, "name", "rule '" + name + "' already exists");
                }
                long count = Sql.one(c, "SELECT COUNT(*) FROM alert_rule WHERE project_id = ?", rs -> rs.getLong(1), p.id())
                        .orElse(0L);
                if (count >= MAX_RULES) {
                    throw new TenancyException(Reason.CONFLICT, "a project has at most " + MAX_RULES + " alert rules");
                }
                insertRule(c, p.id(), name, spec.kind(), parameter, threshold, duration == null ? 0 : duration,
                        spec.severity() == null ? Severity.WARNING : spec.severity(), selector,
                        spec.enabled() == null || spec.enabled(), false, now);
                return view(find(c, p.id(), name));
            });
        });
    }

    @Override
    public Rule updateRule(Caller caller, String project, String name, RuleChange change) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "alert-rule.update", name, () -> {
            ensureDefaults(p.id());
            return db.inTransaction(c -> {
                StoredRule r = find(c, p.id(), name);
                RuleChange ch = change == null ? new RuleChange(null, null, null, null, null) : change;
                Double threshold = ch.threshold() == null ? r.threshold()
                        : RuleBounds.threshold(r.kind(), r.parameter(), ch.threshold(), true);
                Long d = RuleBounds.duration(r.kind(), ch.durationSeconds());
                long duration = d == null ? r.durationSeconds() : d;
                String selector = ch.selector() == null ? r.selectorText()
                        : ch.selector().isBlank() ? null : selector(ch.selector());
                Sql.update(c, "UPDATE alert_rule SET threshold = ?, duration_seconds = ?, severity = ?, selector = ?,"
                        + " enabled = ?, updated_at = ? WHERE id = ?", threshold == null ? new Sql.Null(Types.DOUBLE) : threshold,
                        duration, ch.severity() == null ? r.severity() : ch.severity(),
                        selector, ch.enabled() == null ? r.enabled() : ch.enabled(), clock.instant(), r.id());
                return view(find(c, p.id(), name));
            });
        });
    }

    @Override
    public void deleteRule(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "alert-rule.delete", name, () -> {
            ensureDefaults(p.id());
            return db.inTransaction(c -> {
                StoredRule r = find(c, p.id(), name);
                if (r.builtin()) {
                    throw new TenancyException(Reason.CONFLICT, "'" + name + "' is a default rule: disable it instead"
                            + " (enabled = false)");
                }
                resolveAll(c, r, clock.instant(), "the rule was deleted");
                Sql.update(c, "DELETE FROM alert_rule WHERE id = ?", r.id());
                return null;
            });
        });
    }

    @Override
    public Rule setOverride(Caller caller, String project, String name, RuleOverride override) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "alert-rule.override", name, () -> {
            if (override == null || override.targetType() == null) {
                throw new TenancyException(Reason.INVALID, "targetType", "targetType must be region, site or host");
            }
            ensureDefaults(p.id());
            return db.inTransaction(c -> {
                StoredRule r = find(c, p.id(), name);
                String targetId = target(c, p.id(), override.targetType(), override.target());
                if (override.threshold() == null && override.durationSeconds() == null && override.enabled() == null) {
                    throw new TenancyException(Reason.INVALID, "threshold", "an override sets a threshold, a duration"
                            + " or enabled (or several)");
                }
                Double threshold = override.threshold() == null ? null
                        : RuleBounds.threshold(r.kind(), r.parameter(), override.threshold(), true);
                Long duration = RuleBounds.duration(r.kind(), override.durationSeconds());
                if (r.overrides().size() >= MAX_OVERRIDES) {
                    throw new TenancyException(Reason.CONFLICT, "a rule has at most " + MAX_OVERRIDES + " overrides");
                }
                Sql.update(c, "DELETE FROM alert_rule_override WHERE rule_id = ? AND target_type = ? AND target_id = ?",
                        r.id(), override.targetType(), targetId);
                Sql.update(c, "INSERT INTO alert_rule_override (rule_id, target_type, target_id, target_name, threshold,"
                        + " duration_seconds, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)", r.id(), override.targetType(),
                        targetId, override.target(), threshold == null ? new Sql.Null(Types.DOUBLE) : threshold,
                        duration == null ? new Sql.Null(Types.INTEGER) : duration,
                        override.enabled() == null ? new Sql.Null(Types.BOOLEAN) : override.enabled());
                Sql.update(c, "UPDATE alert_rule SET updated_at = ? WHERE id = ?", clock.instant(), r.id());
                return view(find(c, p.id(), name));
            });
        });
    }

    @Override
    public Rule clearOverride(Caller caller, String project, String name, TargetType targetType, String target) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "alert-rule.override-clear", name, () -> {
            if (targetType == null) {
                throw new TenancyException(Reason.INVALID, "targetType", "targetType must be region, site or host");
            }
            ensureDefaults(p.id());
            return db.inTransaction(c -> {
                StoredRule r = find(c, p.id(), name);
                if (Sql.update(c, "DELETE FROM alert_rule_override WHERE rule_id = ? AND target_type = ? AND target_name = ?",
                        r.id(), targetType, target) == 0) {
                    throw new TenancyException(Reason.NOT_FOUND, "rule '" + name + "' has no override for "
                            + targetType.name().toLowerCase() + " " + org.edgeorch.platform.Inputs.prefix(target));
                }
                return view(find(c, p.id(), name));
            });
        });
    }

    private static String selector(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Selector.parse(text).toString();
        } catch (Selector.SyntaxException e) {
            throw new TenancyException(Reason.INVALID, "selector", e.getMessage());
        }
    }

    private static String target(Connection c, String projectId, TargetType type, String name) throws SQLException {
        if (name == null || name.isBlank()) {
            throw new TenancyException(Reason.INVALID, "target", "target is required: the name of the "
                    + type.name().toLowerCase());
        }
        String table = switch (type) {
            case REGION -> "region";
            case SITE -> "site";
            case HOST -> "host";
        };
        return Sql.one(c, "SELECT id FROM " + table + " WHERE project_id = ? AND name = ?", rs -> rs.getString(1),
                projectId, name).orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "target", "no "
                        + table + " " + org.edgeorch.platform.Inputs.prefix(name) + " in the project"));
    }

    private <T> T audited(Caller caller, Project p, String action, String object, Supplier<T> change) {
        return audited(caller, p, action, "alert-rule", object, change);
    }

    private <T> T audited(Caller caller, Project p, String action, String objectType, String object, Supplier<T> change) {
        try {
            T result = change.get();
            audit.record(caller.username(), p.orgId(), p.id(), action, objectType, object, Outcome.SUCCESS,
                    caller.sourceAddress(), null);
            return result;
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), action, objectType, object, Outcome.FAILED,
                    caller.sourceAddress(), e.getMessage());
            throw e;
        }
    }

    /** Adds the default rules a project lacks (a race with another writer is harmless: the name is unique). */
    void ensureDefaults(String projectId) {
        try {
            db.inTransaction(c -> {
                seedDefaults(c, projectId);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("Default alert rules of {} were added meanwhile: {}", projectId, e.toString());
        }
    }

    private void seedDefaults(Connection c, String projectId) throws SQLException {
        Set<String> have = new HashSet<>(Sql.strings(c, "SELECT name FROM alert_rule WHERE project_id = ? AND builtin = ?",
                projectId, true));
        if (have.size() >= RuleBounds.DEFAULTS.size()) {
            return;
        }
        Instant now = clock.instant();
        for (RuleBounds.Default d : RuleBounds.DEFAULTS) {
            if (!have.contains(d.name()) && Sql.one(c, "SELECT 1 FROM alert_rule WHERE project_id = ? AND name = ?",
                    rs -> 1, projectId, d.name()).isEmpty()) {
                insertRule(c, projectId, d.name(), d.kind(), d.parameter(), d.threshold(), d.durationSeconds(),
                        d.severity(), null, true, true, now);
            }
        }
    }

    private static void insertRule(Connection c, String projectId, String name, RuleKind kind, String parameter,
                                   Double threshold, long duration, Severity severity, String selector, boolean enabled,
                                   boolean builtin, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO alert_rule (" + RULE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), projectId, name, kind, parameter,
                threshold == null ? new Sql.Null(Types.DOUBLE) : threshold, duration, severity, selector, enabled, builtin,
                now, now);
    }

    private static List<StoredRule> loadRules(Connection c, String projectId) throws SQLException {
        Map<String, List<StoredOverride>> overrides = new HashMap<>();
        Sql.list(c, "SELECT o.rule_id, o.target_type, o.target_id, o.target_name, o.threshold, o.duration_seconds,"
                + " o.enabled FROM alert_rule_override o JOIN alert_rule r ON r.id = o.rule_id WHERE r.project_id = ?"
                + " ORDER BY o.target_type, o.target_name", rs -> {
                    double t = rs.getDouble(5);
                    Double threshold = rs.wasNull() ? null : t;
                    long d = rs.getLong(6);
                    Long duration = rs.wasNull() ? null : d;
                    boolean e = rs.getBoolean(7);
                    Boolean enabled = rs.wasNull() ? null : e;
                    overrides.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new StoredOverride(
                            TargetType.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4), threshold, duration, enabled));
                    return null;
                }, projectId);
        return Sql.list(c, "SELECT " + RULE_COLUMNS + " FROM alert_rule WHERE project_id = ? ORDER BY name", rs -> {
            double t = rs.getDouble(6);
            Double threshold = rs.wasNull() ? null : t;
            String selector = rs.getString(9);
            return new StoredRule(rs.getString(1), rs.getString(2), rs.getString(3), RuleKind.valueOf(rs.getString(4)),
                    rs.getString(5), threshold, rs.getLong(7), Severity.valueOf(rs.getString(8)), selector,
                    selector == null ? null : Selector.parse(selector), rs.getBoolean(10), rs.getBoolean(11),
                    Sql.instant(rs, 12), Sql.instant(rs, 13), overrides.getOrDefault(rs.getString(1), List.of()));
        }, projectId);
    }

    private static StoredRule find(Connection c, String projectId, String name) throws SQLException {
        for (StoredRule r : loadRules(c, projectId)) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new TenancyException(Reason.NOT_FOUND, "no alert rule " + org.edgeorch.platform.Inputs.prefix(name));
    }

    private static Rule view(StoredRule r) {
        return new Rule(r.name(), r.kind(), r.parameter(), r.threshold(), r.durationSeconds(), r.severity(),
                r.selectorText(), r.enabled(), r.builtin(), r.overrides().stream().map(o -> new RuleOverride(
                        o.targetType(), o.targetName(), o.threshold(), o.durationSeconds(), o.enabled())).toList(),
                r.createdAt(), r.updatedAt());
    }

    // ---- alerts ------------------------------------------------------------------------------------------

    @Override
    public AlertPage alerts(Caller caller, String project, AlertQuery query) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        AlertQuery q = query == null ? new AlertQuery(null, null, null, 0, 100) : query;
        if (q.offset() < 0) {
            throw new TenancyException(Reason.INVALID, "offset", "offset must be 0 or more");
        }
        if (q.limit() < 1 || q.limit() > MAX_LIMIT) {
            throw new TenancyException(Reason.INVALID, "limit", "limit must be from 1 to " + MAX_LIMIT);
        }
        StringBuilder where = new StringBuilder(" WHERE project_id = ?");
        List<Object> params = new ArrayList<>(List.of(p.id()));
        if (q.state() != null) {
            where.append(" AND state = ?");
            params.add(q.state());
        }
        if (q.rule() != null && !q.rule().isBlank()) {
            where.append(" AND rule_name = ?");
            params.add(q.rule());
        }
        if (q.subject() != null && !q.subject().isBlank()) {
            where.append(" AND (subject = ? OR host_name = ?)");
            params.add(q.subject());
            params.add(q.subject());
        }
        return db.inTransaction(c -> {
            long total = Sql.one(c, "SELECT COUNT(*) FROM alert" + where, rs -> rs.getLong(1), params.toArray()).orElse(0L);
            List<Alert> page = Sql.list(c, "SELECT " + ALERT_COLUMNS + " FROM alert" + where
                    + " ORDER BY fired_at DESC, id OFFSET " + q.offset() + " ROWS FETCH NEXT " + q.limit() + " ROWS ONLY",
                    AlertServiceImpl::alertRow, params.toArray());
            return new AlertPage(page, total, q.offset(), q.limit());
        });
    }

    @Override
    public Alert alert(Caller caller, String project, String id) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> findAlert(c, p.id(), id));
    }

    @Override
    public Alert acknowledge(Caller caller, String project, String id) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        try {
            Alert a = db.inTransaction(c -> {
                Alert found = findAlert(c, p.id(), id);
                if (found.state() != AlertState.FIRING) {
                    throw new TenancyException(Reason.CONFLICT, "alert " + id + " is " + found.state()
                            + "; only a firing alert is acknowledged");
                }
                Instant now = clock.instant();
                Sql.update(c, "UPDATE alert SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?", caller.username(),
                        now, id);
                Alert done = findAlert(c, p.id(), id);
                publish(c, p.id(), done, "ACKNOWLEDGED", found.state().name());
                return done;
            });
            audit.record(caller.username(), p.orgId(), p.id(), "alert.acknowledge", "alert", id, Outcome.SUCCESS,
                    caller.sourceAddress(), a.rule() + " " + a.subject());
            return a;
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), "alert.acknowledge", "alert", id, Outcome.FAILED,
                    caller.sourceAddress(), e.getMessage());
            throw e;
        }
    }

    private static Alert findAlert(Connection c, String projectId, String id) throws SQLException {
        return Sql.one(c, "SELECT " + ALERT_COLUMNS + " FROM alert WHERE project_id = ? AND id = ?",
                AlertServiceImpl::alertRow, projectId, id).orElseThrow(() -> new TenancyException(Reason.NOT_FOUND,
                        "no alert " + org.edgeorch.platform.Inputs.prefix(id)));
    }

    private static Alert alertRow(java.sql.ResultSet rs) throws SQLException {
        double v = rs.getDouble(8);
        Double value = rs.wasNull() ? null : v;
        return new Alert(rs.getString(1), rs.getString(2), RuleKind.valueOf(rs.getString(3)),
                Severity.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), AlertState.valueOf(rs.getString(7)),
                value, rs.getString(9), Sql.instant(rs, 10), Sql.instant(rs, 11), Sql.instant(rs, 12), rs.getString(13),
                Sql.instant(rs, 14), rs.getString(15));
    }

    // ---- silences ----------------------------------------------------------------------------------------

    @Override
    public List<Silence> silences(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        Instant now = clock.instant();
        return db.inTransaction(c -> Sql.list(c, "SELECT id, rule_name, subject, comment_text, created_by, created_at,"
                + " expires_at FROM alert_silence WHERE project_id = ? ORDER BY expires_at DESC, id",
                rs -> silenceRow(rs, now), p.id()));
    }

    @Override
    public Silence createSilence(Caller caller, String project, SilenceSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        String object = spec == null ? null : (spec.rule() + " " + spec.subject());
        try {
            if ((spec.rule() == null || spec.rule().isBlank()) && (spec.subject() == null || spec.subject().isBlank())) {
                throw new TenancyException(Reason.INVALID, "rule", "a silence names a rule, a subject (a host), or both");
            }
            if (spec.minutes() == null || spec.minutes() < 1 || spec.minutes() > 30L * 24 * 60) {
                throw new TenancyException(Reason.INVALID, "minutes", "a silence lasts from 1 minute to 30 days"
                        + " (43200 minutes)");
            }
            String subject = blankToNull(spec.subject());
            String problem = subject == null ? null : org.edgeorch.platform.Inputs.nameProblem("subject", subject, 255);
            if (problem != null) {
                throw new TenancyException(Reason.INVALID, "subject", problem);
            }
            String comment = spec.comment() == null ? "" : spec.comment().strip();
            if (comment.length() > 1000) {
                throw new TenancyException(Reason.INVALID, "comment", "a comment has at most 1000 characters");
            }
            Instant now = clock.instant();
            Silence s = db.inTransaction(c -> {
                String rule = blankToNull(spec.rule());
                if (rule != null) {
                    find(c, p.id(), rule);
                }
                String id = UUID.randomUUID().toString();
                Sql.update(c, "INSERT INTO alert_silence (id, project_id, rule_name, subject, comment_text, created_by,"
                        + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, p.id(), rule, subject, comment,
                        caller.username(), now, now.plus(Duration.ofMinutes(spec.minutes())));
                return findSilence(c, p.id(), id, now);
            });
            audit.record(caller.username(), p.orgId(), p.id(), "alert-silence.create", "alert-silence", s.id(),
                    Outcome.SUCCESS, caller.sourceAddress(), object);
            return s;
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), "alert-silence.create", "alert-silence", object,
                    Outcome.FAILED, caller.sourceAddress(), e.getMessage());
            throw e;
        }
    }

    @Override
    public Silence expireSilence(Caller caller, String project, String id) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        Instant now = clock.instant();
        try {
            Silence s = db.inTransaction(c -> {
                findSilence(c, p.id(), id, now);
                Sql.update(c, "UPDATE alert_silence SET expires_at = ? WHERE id = ? AND expires_at > ?", now, id, now);
                return findSilence(c, p.id(), id, now);
            });
            audit.record(caller.username(), p.orgId(), p.id(), "alert-silence.expire", "alert-silence", id,
                    Outcome.SUCCESS, caller.sourceAddress(), null);
            return s;
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), "alert-silence.expire", "alert-silence", id,
                    Outcome.FAILED, caller.sourceAddress(), e.getMessage());
            throw e;
        }
    }

    private static Silence findSilence(Connection c, String projectId, String id, Instant now) throws SQLException {
        return Sql.one(c, "SELECT id, rule_name, subject, comment_text, created_by, created_at, expires_at"
                + " FROM alert_silence WHERE project_id = ? AND id = ?", rs -> silenceRow(rs, now), projectId, id)
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "no silence "
                        + org.edgeorch.platform.Inputs.prefix(id)));
    }

    private static Silence silenceRow(java.sql.ResultSet rs, Instant now) throws SQLException {
        Instant expires = Sql.instant(rs, 7);
        return new Silence(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Sql.instant(rs, 6), expires, expires.isAfter(now));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ---- evaluation --------------------------------------------------------------------------------------

    private void evaluateLogged() {
        try {
            if (leases.isLeader(JOB)) {
                evaluate(leases.fenced(JOB));
            }
        } catch (RuntimeException e) {
            LOG.warn("Evaluating alert rules failed; the next pass retries: {}", e.toString());
        }
    }

    private void notifyLogged() {
        try {
            if (leases.isLeader(Notifier.JOB)) {
                Database fenced = leases.fenced(Notifier.JOB);
                notifier.deliver(fenced);
                notifier.resendFiring(fenced);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sending alert notifications failed; the next pass retries: {}", e.toString());
        }
    }

    /** Sends the due notifications of the outbox (and resends firing alerts to Alertmanager when due). */
    int deliver(Database fenced) {
        int n = notifier.deliver(fenced);
        notifier.resendFiring(fenced);
        return n;
    }

    /**
     * One pass over every project through {@code fenced} (the lease holder's view of the database: a leader that
     * lost its lease writes nothing). Metric rules are read every {@code metricEvaluationSeconds}, the others on
     * every pass; the counts of alerts fired and resolved are returned.
     */
    int[] evaluate(Database fenced) {
        Instant now = clock.instant();
        boolean metrics = !lastMetricPass.plus(metricInterval).isAfter(now);
        if (metrics) {
            lastMetricPass = now;
        }
        int[] changed = {0, 0};
        List<String> projects = fenced.inTransaction(c -> Sql.strings(c, "SELECT id FROM project ORDER BY id"));
        for (String project : projects) {
            try {
                int[] n = fenced.inTransaction(c -> evaluateProject(c, project, now, metrics));
                changed[0] += n[0];
                changed[1] += n[1];
            } catch (org.edgeorch.store.LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("Evaluating the alert rules of project {} failed; the next pass retries: {}", project, e.toString());
            }
        }
        fenced.inTransaction(c -> Sql.update(c, "DELETE FROM alert WHERE state = ? AND resolved_at < ?",
                AlertState.RESOLVED, now.minus(resolvedRetention)));
        return changed;
    }

    private record Firing(String id, String ruleId, String subject, String hostId, String mutedBy, Alert view) {
    }

    private int[] evaluateProject(Connection c, String projectId, Instant now, boolean metrics) throws SQLException {
        seedDefaults(c, projectId);
        List<StoredRule> rules = loadRules(c, projectId);
        Map<String, Firing> firing = new HashMap<>();
        Sql.list(c, "SELECT rule_id, host_id, " + ALERT_COLUMNS + " FROM alert WHERE project_id = ? AND state = ?", rs -> {
            Alert a = new Alert(rs.getString(3), rs.getString(4), RuleKind.valueOf(rs.getString(5)),
                    Severity.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), AlertState.FIRING, null,
                    rs.getString(11), Sql.instant(rs, 12), Sql.instant(rs, 13), null, null, null, rs.getString(17));
            firing.put(rs.getString(1) + "|" + a.subject(), new Firing(a.id(), rs.getString(1), a.subject(),
                    rs.getString(2), a.mutedBy(), a));
            return null;
        }, projectId, AlertState.FIRING);
        List<Silence> silences = Sql.list(c, "SELECT id, rule_name, subject, comment_text, created_by, created_at,"
                + " expires_at FROM alert_silence WHERE project_id = ? AND expires_at > ?", rs -> silenceRow(rs, now),
                projectId, now);
        boolean labels = rules.stream().anyMatch(r -> r.selector() != null);
        Fleet fleet = Fleet.load(c, projectId, labels);
        int fired = 0;
        int resolved = 0;
        Set<String> held = new HashSet<>();
        for (StoredRule rule : rules) {
            if (rule.kind() == RuleKind.METRIC && !metrics) {
                // not read this pass: what fires stays firing until the next metric pass
                firing.keySet().stream().filter(k -> k.startsWith(rule.id() + "|")).forEach(held::add);
                continue;
            }
            if (!Conditions.active(rule)) {
                continue;
            }
            for (Hit hit : Conditions.holding(c, rule, fleet, now).values()) {
                String key = rule.id() + "|" + hit.subject();
                held.add(key);
                if (!firing.containsKey(key)) {
                    Alert a = fire(c, projectId, rule, hit, key, now, silences);
                    firing.put(key, new Firing(a.id(), rule.id(), a.subject(), hit.hostId(), a.mutedBy(), a));
                    fired++;
                }
            }
        }
        for (Map.Entry<String, Firing> e : firing.entrySet()) {
            Firing f = e.getValue();
            if (!held.contains(e.getKey())) {
                resolve(c, projectId, f, now, "the condition no longer holds");
                resolved++;
                continue;
            }
            String mute = mute(f, silences, now);
            if (!java.util.Objects.equals(mute, f.mutedBy())) {
                Sql.update(c, "UPDATE alert SET muted_by = ? WHERE id = ?", mute, f.id());
                if (mute == null && !Notifier.notified(c, f.id())) {
                    // fired inside a silence or a maintenance window and still firing after it: told now
                    Notifier.enqueueFiring(c, projectId, f.view(), now);
                }
            }
        }
        return new int[] {fired, resolved};
    }

    /** Why a firing alert is not to be notified, or null. */
    private String mute(Firing f, List<Silence> silences, Instant now) {
        for (Silence s : silences) {
            boolean rule = s.rule() == null || s.rule().equals(f.view().rule());
            boolean subject = s.subject() == null || s.subject().equals(f.subject())
                    || f.subject().startsWith(s.subject() + ":") || s.subject().equals(f.view().host());
            if (rule && subject) {
                return "silence " + s.id();
            }
        }
        HostSchedules hs = schedules;
        if (hs != null && f.hostId() != null && f.view().kind() == RuleKind.HOST_STATUS
                && f.view().message().contains(" is NO_CONNECTION ")) {
            try {
                if (MaintenanceWindows.isOpen(hs.windows(f.hostId()), now)) {
                    return "maintenance";
                }
            } catch (RuntimeException e) {
                LOG.debug("Maintenance windows of host {} unreadable: {}", f.hostId(), e.toString());
            }
        }
        return null;
    }

    private Alert fire(Connection c, String projectId, StoredRule rule, Hit hit, String key, Instant now,
                       List<Silence> silences) throws SQLException {
        String id = UUID.randomUUID().toString();
        String message = hit.message().length() > 1000 ? hit.message().substring(0, 1000) : hit.message();
        String subject = hit.subject().length() > 255 ? hit.subject().substring(0, 255) : hit.subject();
        Sql.update(c, "INSERT INTO alert (id, project_id, rule_id, rule_name, kind, severity, subject, host_id, host_name,"
                + " state, val, message, since_at, fired_at, firing_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, projectId, rule.id(), rule.name(), rule.kind(), rule.severity(), subject, hit.hostId(), hit.hostName(),
                AlertState.FIRING, hit.value() == null ? new Sql.Null(Types.DOUBLE) : hit.value(), message, hit.since(), now,
                key.length() > 300 ? key.substring(0, 300) : key);
        Alert a = new Alert(id, rule.name(), rule.kind(), rule.severity(), subject, hit.hostName(), AlertState.FIRING,
                hit.value(), message, hit.since(), now, null, null, null, null);
        String mute = mute(new Firing(id, rule.id(), subject, hit.hostId(), null, a), silences, now);
        if (mute != null) {
            Sql.update(c, "UPDATE alert SET muted_by = ? WHERE id = ?", mute, id);
            a = new Alert(id, rule.name(), rule.kind(), rule.severity(), subject, hit.hostName(), AlertState.FIRING,
                    hit.value(), message, hit.since(), now, null, null, null, mute);
        } else {
            Notifier.enqueueFiring(c, projectId, a, now);
        }
        publish(c, projectId, a, AlertState.FIRING.name(), null);
        return a;
    }

    private void resolve(Connection c, String projectId, Firing f, Instant now, String why) throws SQLException {
        if (Sql.update(c, "UPDATE alert SET state = ?, resolved_at = ?, firing_key = NULL WHERE id = ? AND state = ?",
                AlertState.RESOLVED, now, f.id(), AlertState.FIRING) == 1) {
            Alert a = f.view();
            Alert done = new Alert(a.id(), a.rule(), a.kind(), a.severity(), a.subject(), a.host(),
                    AlertState.RESOLVED, a.value(), why, a.since(), a.firedAt(), now, null, null, a.mutedBy());
            Notifier.enqueueResolved(c, projectId, done, now);
            publish(c, projectId, done, AlertState.RESOLVED.name(), AlertState.FIRING.name());
        }
    }

    private void resolveAll(Connection c, StoredRule rule, Instant now, String why) throws SQLException {
        List<Firing> open = Sql.list(c, "SELECT rule_id, host_id, " + ALERT_COLUMNS + " FROM alert WHERE rule_id = ?"
                + " AND state = ?", rs -> new Firing(rs.getString(3), rs.getString(1), rs.getString(7), rs.getString(2),
                        rs.getString(17), new Alert(rs.getString(3), rs.getString(4), RuleKind.valueOf(rs.getString(5)),
                        Severity.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), AlertState.FIRING, null,
                        rs.getString(11), Sql.instant(rs, 12), Sql.instant(rs, 13), null, null, null, rs.getString(17))),
                rule.id(), AlertState.FIRING);
        for (Firing f : open) {
            resolve(c, rule.projectId(), f, now, why);
        }
    }

    private void publish(Connection c, String projectId, Alert a, String status, String previous) throws SQLException {
        EventPublisher p = events;
        if (p != null) {
            p.publish(c, new Event(projectId, EventType.ALERT_CHANGED, a.subject(), status, previous, a.message(), Map.of())
                    .with("alert", a.id()).with("rule", a.rule()).with("severity", a.severity())
                    .with("value", a.value()));
        }
    }

    // ---- receivers ---------------------------------------------------------------------------------------

    @Override
    public List<Receiver> receivers(Caller caller, String project) {
        return receivers.list(tenancy.authorize(caller, project, Permission.PROJECT_READ));
    }

    @Override
    public Receiver receiver(Caller caller, String project, String name) {
        return receivers.get(tenancy.authorize(caller, project, Permission.PROJECT_READ), name);
    }

    @Override
    public Receiver createReceiver(Caller caller, String project, ReceiverSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "alert-receiver.create", RECEIVER, spec == null ? null : spec.name(),
                () -> receivers.create(p, spec));
    }

    @Override
    public Receiver updateReceiver(Caller caller, String project, String name, ReceiverChange change) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "alert-receiver.update", RECEIVER, name, () -> receivers.update(p, name, change));
    }

    @Override
    public void deleteReceiver(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "alert-receiver.delete", RECEIVER, name, () -> {
            receivers.delete(p, name);
            return null;
        });
    }

    @Override
    public ReceiverTestResult testReceiver(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "alert-receiver.test", RECEIVER, name, () -> receivers.test(p, name));
    }
}
