package org.edgeorch.tenancy.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.edgeorch.store.Database;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The audit log in {@code audit_event}, with a daily purge of events older than the retention. */
@Component(service = AuditLog.class, configurationPid = "org.edgeorch.tenancy")
public class AuditLogImpl implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogImpl.class);
    static final int MAX_LIMIT = 500;

    private final Database db;
    private final Clock clock;
    private volatile Duration retention;
    private final ScheduledExecutorService purger;

    @Activate
    public AuditLogImpl(@Reference Database db, @Reference LeaderLeases leases, TenancyConfig config) {
        this(db, Clock.systemUTC(), Duration.ofDays(Math.max(1, config.auditRetentionDays())));
        // Several orchestrators share the audit table: the purge runs on the leader of its lease only.
        purger.scheduleWithFixedDelay(() -> purgeQuietly(leases), 1, 24 * 60, TimeUnit.MINUTES);
    }

    AuditLogImpl(Database db, Clock clock, Duration retention) {
        this.db = db;
        this.clock = clock;
        this.retention = retention;
        this.purger = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgeorch-audit-purge"));
    }

    /** Applied in place, like {@link AuthServiceImpl#modified}: reactivating would withdraw the audit log and all above it. */
    @Modified
    void modified(TenancyConfig config) {
        retention = Duration.ofDays(Math.max(1, config.auditRetentionDays()));
    }

    @Deactivate
    void deactivate() {
        purger.shutdown();
    }

    @Override
    public void record(String actor, String orgId, String projectId, String action, String objectType, String objectId,
                       Outcome outcome, String sourceAddress, String detail) {
        try {
            db.inTransaction(c -> Sql.update(c, "INSERT INTO audit_event (occurred_at, actor, org_id, project_id, action,"
                    + " object_type, object_id, outcome, source_address, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    clock.instant(), cut(actor, 63), orgId, projectId, cut(action, 63), cut(objectType, 32), cut(objectId, 255),
                    outcome, cut(sourceAddress, 64), cut(detail, 1000)));
        } catch (RuntimeException e) {
            LOG.error("Audit event {} {} by {} could not be recorded: {}", action, objectId, actor, e.getMessage());
        }
    }

    @Override
    public Page query(Caller caller, Query q) {
        if (q.limit() < 1 || q.limit() > MAX_LIMIT) {
            throw new TenancyException(Reason.INVALID, "limit", "limit must be 1 to " + MAX_LIMIT);
        }
        if (q.offset() < 0) {
            throw new TenancyException(Reason.INVALID, "offset", "offset must be 0 or more");
        }
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        // What the caller may read: projects where it has AUDIT_READ, organisation-level events of the
        // organisations it administers, and platform-level events for platform admins.
        List<String> scope = new ArrayList<>();
        List<String> projects = caller.projectRoles().keySet().stream().filter(p -> caller.can(p, Permission.AUDIT_READ)).toList();
        if (!projects.isEmpty()) {
            scope.add("e.project_id IN (" + marks(projects.size()) + ")");
            params.addAll(projects);
        }
        if (!caller.orgAdminOf().isEmpty()) {
            scope.add("(e.project_id IS NULL AND e.org_id IN (" + marks(caller.orgAdminOf().size()) + "))");
            params.addAll(caller.orgAdminOf());
        }
        if (caller.platformAdmin()) {
            scope.add("(e.project_id IS NULL AND e.org_id IS NULL)");
        }
        scope.add("(e.project_id IS NULL AND e.org_id IS NULL AND e.actor = ?)");
        params.add(caller.username());
        where.add("(" + String.join(" OR ", scope) + ")");
        if (q.project() != null) {
            where.add("p.name = ?");
            params.add(q.project());
        }
        if (q.actor() != null) {
            where.add("e.actor = ?");
            params.add(q.actor());
        }
        if (q.action() != null) {
            where.add("e.action = ?");
            params.add(q.action());
        }
        if (q.outcome() != null) {
            where.add("e.outcome = ?");
            params.add(q.outcome());
        }
        if (q.from() != null) {
            where.add("e.occurred_at >= ?");
            params.add(q.from());
        }
        if (q.to() != null) {
            where.add("e.occurred_at < ?");
            params.add(q.to());
        }
        String from = " FROM audit_event e LEFT JOIN project p ON p.id = e.project_id WHERE " + String.join(" AND ", where);
        return db.inTransaction(c -> {
            long total = Sql.one(c, "SELECT COUNT(*)" + from, rs -> rs.getLong(1), params.toArray()).orElse(0L);
            List<Object> paged = new ArrayList<>(params);
            paged.add(q.offset());
            paged.add(q.limit());
            List<Event> events = Sql.list(c, "SELECT e.*, p.name AS project_name" + from
                    + " ORDER BY e.occurred_at DESC, e.id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", AuditLogImpl::event, paged.toArray());
            return new Page(events, total, q.offset(), q.limit());
        });
    }

    /** Deletes events older than the retention; returns how many. */
    static final String PURGE_JOB = "audit-purge";

    int purge() {
        return db.inTransaction(this::purge);
    }

    private int purge(java.sql.Connection c) throws SQLException {
        return Sql.update(c, "DELETE FROM audit_event WHERE occurred_at < ?", clock.instant().minus(retention));
    }

    private void purgeQuietly(LeaderLeases leases) {
        try {
            int n = leases.runAsLeader(PURGE_JOB, this::purge).orElse(0);
            if (n > 0) {
                LOG.info("Purged {} audit events older than {} days", n, retention.toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("Audit purge failed: {}", e.getMessage());
        }
    }

    private static Event event(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("id"), Sql.instant(rs, "occurred_at"), rs.getString("actor"), rs.getString("org_id"),
                rs.getString("project_id"), rs.getString("project_name"), rs.getString("action"), rs.getString("object_type"),
                rs.getString("object_id"), Outcome.valueOf(rs.getString("outcome")), rs.getString("source_address"),
                rs.getString("detail"));
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

}
