package org.edgeorch.scheduling.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.edgeorch.platform.Inputs;
import org.edgeorch.release.OsCatalog;
import org.edgeorch.release.OsCatalog.OsImage;
import org.edgeorch.release.ReleaseService;
import org.edgeorch.release.Releases;
import org.edgeorch.scheduling.DesiredVersion;
import org.edgeorch.scheduling.HostSchedules;
import org.edgeorch.windows.Interval;
import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.windows.MaintenanceWindows;
import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.Schedules.EffectivePolicy;
import org.edgeorch.scheduling.Schedules.EffectiveWindow;
import org.edgeorch.scheduling.Schedules.HostSchedule;
import org.edgeorch.scheduling.Schedules.Policy;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.scheduling.Schedules.PolicySpec;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.scheduling.Schedules.Window;
import org.edgeorch.scheduling.Schedules.WindowDefinition;
import org.edgeorch.scheduling.Schedules.WindowKind;
import org.edgeorch.scheduling.Schedules.WindowUpdate;
import org.edgeorch.spi.southbound.WindowSpec;
import org.edgeorch.store.Database;
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
import org.osgi.service.component.annotations.Reference;

/**
 * Maintenance windows and update policies on a project's regions, sites, clusters and hosts (migration
 * {@code V7__schedules.sql}), and what each host inherits from them.
 *
 * <p>Operators' calls authorise first, then check their input, then change one transaction, and are audited (refusals
 * after authorisation as FAILED with the reason). The system's calls ({@link HostSchedules}) read by index from the
 * host up: its site, its site's regions, its clusters.
 */
@Component(service = {ScheduleService.class, HostSchedules.class})
public class ScheduleServiceImpl implements ScheduleService, HostSchedules {

    /** Parsed repeated windows by cron, zone and duration: hosts share a few, and parsing cron is the costly part. */
    private static final int MAX_CACHED_WINDOWS = 4096;

    private static final String WINDOW_SELECT = "SELECT w.name, w.target_type, COALESCE(r.name, s.name, cl.name, h.name),"
            + " w.starts_at, w.ends_at, w.cron_expression, w.time_zone, w.occurrence_length, w.created_at, w.updated_at,"
            + " COALESCE(w.region_id, w.site_id, w.cluster_id, w.host_id), w.id FROM maintenance_window w"
            + " LEFT JOIN region r ON r.id = w.region_id LEFT JOIN site s ON s.id = w.site_id"
            + " LEFT JOIN cluster cl ON cl.id = w.cluster_id LEFT JOIN host h ON h.id = w.host_id";

    private static final String POLICY_SELECT = "SELECT p.target_type, COALESCE(r.name, s.name, cl.name, h.name),"
            + " p.policy_kind, p.os_profile, p.pinned_version, p.updated_by, p.updated_at,"
            + " COALESCE(p.region_id, p.site_id, p.cluster_id, p.host_id) FROM update_policy p"
            + " LEFT JOIN region r ON r.id = p.region_id LEFT JOIN site s ON s.id = p.site_id"
            + " LEFT JOIN cluster cl ON cl.id = p.cluster_id LEFT JOIN host h ON h.id = p.host_id";

    private final Database db;
    private final TenancyService tenancy;
    private final AuditLog audit;
    private final ReleaseService releases;
    private final OsCatalog catalog;
    private final Clock clock;
    private final Map<String, MaintenanceWindow> parsed = new ConcurrentHashMap<>();

    @Activate
    public ScheduleServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit,
                               @Reference ReleaseService releases, @Reference OsCatalog catalog) {
        this(db, tenancy, audit, releases, catalog, Clock.systemUTC());
    }

    /** With the clock that says what "now" is for open windows and next openings (tests, and the rollout's own). */
    public ScheduleServiceImpl(Database db, TenancyService tenancy, AuditLog audit, ReleaseService releases,
                               OsCatalog catalog, Clock clock) {
        this.db = db;
        this.tenancy = tenancy;
        this.audit = audit;
        this.releases = releases;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** A window as stored, with the id of its target. */
    private record WindowRow(Window window, String targetId, String id) {
    }

    /** A policy as stored, with the id of its target. */
    private record PolicyRow(Policy policy, String targetId) {
    }

    // ---- windows ------------------------------------------------------------------------------------

    @Override
    public Window createWindow(Caller caller, String project, WindowDefinition definition) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        String name = definition == null ? null : definition.name();
        return audited(caller, p, "window.create", name, () -> {
            if (definition == null) {
                throw new TenancyException(Reason.INVALID, "name", "a window needs a name, a target and when it is open");
            }
            name(definition.name());
            Target target = target(definition.target());
            WindowTiming timing = WindowTiming.of(definition.start(), definition.end(), definition.cron(),
                    definition.zone(), definition.duration());
            Instant now = clock.instant();
            return db.inTransaction(c -> {
                String targetId = targetId(c, p, target);
                if (windowRow(c, p.id(), definition.name()).isPresent()) {
                    throw new TenancyException(Reason.CONFLICT, "window '" + definition.name() + "' already exists in '"
                            + p.name() + "'");
                }
                Sql.update(c, "INSERT INTO maintenance_window (id, project_id, name, target_type, " + column(target.type())
                                + ", starts_at, ends_at, cron_expression, time_zone, occurrence_length, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), p.id(),
                        definition.name(), target.type(), targetId, timestamp(timing.start()), timestamp(timing.end()),
                        timing.cron(), timing.zone(), timing.duration() == null ? null : timing.duration().toString(), now, now);
                return new Done<>(windowRow(c, p.id(), definition.name()).orElseThrow().window(),
                        timing.describe() + " on " + target);
            });
        });
    }

    @Override
    public List<Window> windows(Caller caller, String project, TargetType type, String target) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        String targetName = blank(target);
        if (targetName != null && type == null) {
            throw new TenancyException(Reason.INVALID, "targetType", "give targetType (REGION, SITE, CLUSTER or HOST)"
                    + " with target '" + targetName + "'");
        }
        return db.inTransaction(c -> {
            if (targetName != null) {
                String targetId = targetId(c, p, new Target(type, targetName));
                return windows(c, " WHERE w.project_id = ? AND w." + column(type) + " = ? ORDER BY w.name", p.id(), targetId);
            }
            if (type != null) {
                return windows(c, " WHERE w.project_id = ? AND w.target_type = ? ORDER BY w.name", p.id(), type);
            }
            return windows(c, " WHERE w.project_id = ? ORDER BY w.name", p.id());
        });
    }

    @Override
    public Window window(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> existingWindow(c, p, name).window());
    }

    @Override
    public Window updateWindow(Caller caller, String project, String name, WindowUpdate update) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "window.update", name, () -> {
            if (update == null || (update.target() == null && update.start() == null && update.end() == null
                    && update.cron() == null && update.zone() == null && update.duration() == null)) {
                throw new TenancyException(Reason.INVALID, "window", "nothing to change: give target, start, end, cron,"
                        + " zone or duration");
            }
            Target target = update.target() == null ? null : target(update.target());
            Instant now = clock.instant();
            return db.inTransaction(c -> {
                WindowRow current = existingWindow(c, p, name);
                WindowTiming timing = WindowTiming.merge(current.window(), update);
                Target to = target == null ? current.window().target() : target;
                String targetId = target == null ? current.targetId() : targetId(c, p, target);
                Sql.update(c, "UPDATE maintenance_window SET target_type = ?, region_id = ?, site_id = ?, cluster_id = ?,"
                                + " host_id = ?, starts_at = ?, ends_at = ?, cron_expression = ?, time_zone = ?,"
                                + " occurrence_length = ?, updated_at = ? WHERE id = ?", to.type(),
                        to.type() == TargetType.REGION ? targetId : null, to.type() == TargetType.SITE ? targetId : null,
                        to.type() == TargetType.CLUSTER ? targetId : null, to.type() == TargetType.HOST ? targetId : null,
                        timestamp(timing.start()), timestamp(timing.end()), timing.cron(), timing.zone(),
                        timing.duration() == null ? null : timing.duration().toString(), now, current.id());
                return new Done<>(windowRow(c, p.id(), name).orElseThrow().window(), timing.describe() + " on " + to);
            });
        });
    }

    @Override
    public void deleteWindow(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "window.delete", name, () -> db.inTransaction(c -> {
            WindowRow current = existingWindow(c, p, name);
            Sql.update(c, "DELETE FROM maintenance_window WHERE id = ?", current.id());
            return new Done<>(null, "was on " + current.window().target());
        }));
    }

    private List<Window> windows(Connection c, String where, Object... params) throws SQLException {
        return Sql.list(c, WINDOW_SELECT + where, ScheduleServiceImpl::windowRow, params).stream().map(WindowRow::window)
                .toList();
    }

    private static Optional<WindowRow> windowRow(Connection c, String projectId, String name) throws SQLException {
        return Sql.one(c, WINDOW_SELECT + " WHERE w.project_id = ? AND w.name = ?", ScheduleServiceImpl::windowRow,
                projectId, name);
    }

    private static WindowRow existingWindow(Connection c, Project p, String name) throws SQLException {
        return windowRow(c, p.id(), name).orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "window '" + name
                + "' does not exist in '" + p.name() + "'"));
    }

    private static WindowRow windowRow(ResultSet rs) throws SQLException {
        String cron = rs.getString(6);
        Window w = new Window(rs.getString(1), new Target(TargetType.valueOf(rs.getString(2)), rs.getString(3)),
                cron == null ? WindowKind.SINGLE : WindowKind.REPEATED, Sql.instant(rs, 4), Sql.instant(rs, 5), cron,
                rs.getString(7), rs.getString(8), Sql.instant(rs, 9), Sql.instant(rs, 10));
        return new WindowRow(w, rs.getString(11), rs.getString(12));
    }

    // ---- update policies ----------------------------------------------------------------------------

    @Override
    public Policy setPolicy(Caller caller, String project, Target target, PolicySpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "policy.set", target == null ? null : String.valueOf(target), () -> {
            Target t = target(target);
            PolicySpec s = policySpec(caller, project, spec);
            Instant now = clock.instant();
            return db.inTransaction(c -> {
                String targetId = targetId(c, p, t);
                String column = column(t.type());
                int changed = Sql.update(c, "UPDATE update_policy SET policy_kind = ?, os_profile = ?, pinned_version = ?,"
                        + " updated_by = ?, updated_at = ? WHERE " + column + " = ?", s.kind(), s.profile(), s.version(),
                        caller.username(), now, targetId);
                if (changed == 0) {
                    Sql.update(c, "INSERT INTO update_policy (id, project_id, target_type, " + column + ", policy_kind,"
                                    + " os_profile, pinned_version, updated_by, created_at, updated_at)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), p.id(), t.type(),
                            targetId, s.kind(), s.profile(), s.version(), caller.username(), now, now);
                }
                Policy policy = policy(c, column, targetId).orElseThrow().policy();
                return new Done<>(policy, (changed == 0 ? "" : "replaced; ") + describe(policy));
            });
        });
    }

    /** Checks a policy against the project's OS profiles and resources, as the caller sees them. */
    private PolicySpec policySpec(Caller caller, String project, PolicySpec spec) {
        if (spec == null || spec.kind() == null) {
            throw new TenancyException(Reason.INVALID, "kind", "a policy needs a kind: LATEST (follow the newest OS"
                    + " resource of a profile) or TARGET (pin a version)");
        }
        String profile = blank(spec.profile());
        if (profile == null) {
            throw new TenancyException(Reason.INVALID, "profile", "a policy needs the project's OS profile it follows");
        }
        String version = blank(spec.version());
        if (spec.kind() == PolicyKind.LATEST && version != null) {
            throw new TenancyException(Reason.INVALID, "version", "a LATEST policy follows the newest OS resource of its"
                    + " profile: give no version, or kind TARGET to pin " + version);
        }
        if (spec.kind() == PolicyKind.TARGET && version == null) {
            throw new TenancyException(Reason.INVALID, "version", "a TARGET policy pins a version: give one of OS profile '"
                    + profile + "''s OS resources");
        }
        releases.profile(caller, project, profile);
        if (version != null) {
            Releases.OsResource resource;
            try {
                resource = releases.osResource(caller, project, profile, version);
            } catch (TenancyException e) {
                if (e.reason() != Reason.NOT_FOUND) {
                    throw e;
                }
                // the project and its profile exist (read above): the body names a version that is not there
                throw new TenancyException(Reason.INVALID, "version", e.getMessage() + ": pin one of its OS resources");
            }
            if (resource.release() != null && resource.release().status() != Releases.ReleaseStatus.VERIFIED) {
                throw new TenancyException(Reason.CONFLICT, "version " + version + " of OS profile '" + profile
                        + "' was withdrawn (its release's signer was revoked): pin another version");
            }
        }
        return new PolicySpec(spec.kind(), profile, version);
    }

    @Override
    public void clearPolicy(Caller caller, String project, Target target) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "policy.clear", target == null ? null : String.valueOf(target), () -> {
            Target t = target(target);
            return db.inTransaction(c -> {
                String targetId = targetId(c, p, t);
                if (Sql.update(c, "DELETE FROM update_policy WHERE " + column(t.type()) + " = ?", targetId) == 0) {
                    throw new TenancyException(Reason.NOT_FOUND, t + " has no update policy");
                }
                return new Done<>(null, null);
            });
        });
    }

    @Override
    public List<Policy> policies(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> Sql.list(c, POLICY_SELECT + " WHERE p.project_id = ?", ScheduleServiceImpl::policyRow,
                p.id())).stream().map(PolicyRow::policy)
                .sorted(Comparator.comparing((Policy x) -> x.target().type()).thenComparing(x -> x.target().name()))
                .toList();
    }

    private static Optional<PolicyRow> policy(Connection c, String column, String targetId) throws SQLException {
        return Sql.one(c, POLICY_SELECT + " WHERE p." + column + " = ?", ScheduleServiceImpl::policyRow, targetId);
    }

    private static PolicyRow policyRow(ResultSet rs) throws SQLException {
        return new PolicyRow(new Policy(new Target(TargetType.valueOf(rs.getString(1)), rs.getString(2)),
                PolicyKind.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6), Sql.instant(rs, 7)),
                rs.getString(8));
    }

    private static String describe(Policy policy) {
        return policy.kind() + " " + policy.profile() + (policy.version() == null ? "" : " " + policy.version());
    }

    // ---- one host -----------------------------------------------------------------------------------

    @Override
    public HostSchedule hostSchedule(Caller caller, String project, String host) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        record Found(HostContext host, List<WindowRow> windows, EffectivePolicy policy) {
        }
        Found found = db.inTransaction(c -> {
            String hostId = Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", p.id(), host);
            HostContext context = hostId == null ? null : HostContext.load(c, hostId).orElse(null);
            if (context == null) {
                throw new TenancyException(Reason.NOT_FOUND, "host '" + host + "' does not exist in '" + p.name() + "'");
            }
            return new Found(context, effectiveWindows(c, context), effectivePolicy(c, context));
        });
        Instant now = clock.instant();
        List<EffectiveWindow> windows = new ArrayList<>();
        List<MaintenanceWindow> engine = new ArrayList<>();
        for (WindowRow row : found.windows()) {
            MaintenanceWindow w = engine(row.window());
            engine.add(w);
            Interval occurrence = MaintenanceWindows.currentOrNext(w, now).orElse(null);
            windows.add(new EffectiveWindow(row.window(), found.host().source(row.window().target(), row.targetId()),
                    occurrence != null && occurrence.contains(now), occurrence));
        }
        Interval currentOrNext = MaintenanceWindows.currentOrNext(engine, now).orElse(null);
        String which = currentOrNext == null ? null : windows.stream().filter(w -> currentOrNext.equals(w.currentOrNext()))
                .map(w -> w.window().name()).findFirst().orElse(null);
        List<String> open = windows.stream().filter(EffectiveWindow::open).map(w -> w.window().name()).toList();
        Optional<DesiredVersion> desired = desired(p.id(), found.policy());
        String note = desired.isPresent() ? null : whyNoDesiredVersion(caller, project, found.policy());
        return new HostSchedule(found.host().hostName(), now, List.copyOf(windows), !open.isEmpty(), open, currentOrNext,
                which, MaintenanceWindows.nextOpening(engine, now).orElse(null), found.policy(), desired.orElse(null), note);
    }

    /** Says why a policy gives no version, with what the caller may read of the project's OS profiles. */
    private String whyNoDesiredVersion(Caller caller, String project, EffectivePolicy effective) {
        if (effective == null) {
            return "no update policy applies: none is set on the host, its clusters, its site or its site's regions";
        }
        Policy policy = effective.policy();
        String profile = policy.profile();
        List<Releases.OsResource> resources;
        try {
            resources = releases.osResources(caller, project, profile);
        } catch (TenancyException e) {
            return "OS profile '" + profile + "' no longer exists (the policy of " + effective.source() + " names it)";
        }
        if (policy.kind() == PolicyKind.LATEST) {
            return resources.isEmpty() ? "OS profile '" + profile + "' has no OS resource to follow yet"
                    : "every OS resource of OS profile '" + profile + "' was withdrawn";
        }
        return resources.stream().filter(r -> r.version().equals(policy.version())).findFirst()
                .map(r -> "version " + policy.version() + " of OS profile '" + profile + "' was withdrawn (its release's"
                        + " signer was revoked)")
                .orElse("version " + policy.version() + " is no longer an OS resource of OS profile '" + profile
                        + "' (it was removed); pin another version or follow LATEST");
    }

    // ---- for the system ---------------------------------------------------------------------------------

    @Override
    public List<MaintenanceWindow> windows(String hostId) {
        return hostWindows(hostId).stream().map(row -> engine(row.window())).toList();
    }

    @Override
    public List<WindowSpec> windowSpecs(String hostId) {
        return hostWindows(hostId).stream().map(row -> spec(row.window())).toList();
    }

    @Override
    public Optional<DesiredVersion> desired(String projectId, String hostId) {
        EffectivePolicy policy = db.inTransaction(c -> {
            HostContext context = HostContext.load(c, hostId).orElse(null);
            return context == null || !context.projectId().equals(projectId) ? null : effectivePolicy(c, context);
        });
        return desired(projectId, policy);
    }

    private List<WindowRow> hostWindows(String hostId) {
        return db.inTransaction(c -> {
            Optional<HostContext> context = HostContext.load(c, hostId);
            return context.isEmpty() ? List.<WindowRow>of() : effectiveWindows(c, context.get());
        });
    }

    private Optional<DesiredVersion> desired(String projectId, EffectivePolicy effective) {
        if (effective == null) {
            return Optional.empty();
        }
        Policy policy = effective.policy();
        Optional<OsImage> image = policy.kind() == PolicyKind.LATEST ? catalog.latest(projectId, policy.profile())
                : catalog.resource(projectId, policy.profile(), policy.version());
        return image.map(i -> new DesiredVersion(policy.profile(), i.version(), effective.source()));
    }

    /** The host's own windows, its site's, its site's regions' (nearest first) and its clusters', each by name. */
    private static List<WindowRow> effectiveWindows(Connection c, HostContext h) throws SQLException {
        List<WindowRow> rows = new ArrayList<>(Sql.list(c, WINDOW_SELECT + " WHERE w.host_id = ?", ScheduleServiceImpl::windowRow,
                h.hostId()));
        if (h.site() != null) {
            rows.addAll(Sql.list(c, WINDOW_SELECT + " WHERE w.site_id = ?", ScheduleServiceImpl::windowRow, h.site().id()));
        }
        if (!h.regions().isEmpty()) {
            rows.addAll(Sql.list(c, WINDOW_SELECT + " WHERE w.region_id IN (" + marks(h.regions().size()) + ")",
                    ScheduleServiceImpl::windowRow, h.regions().stream().map(HostContext.Place::id).toArray()));
        }
        if (!h.clusters().isEmpty()) {
            rows.addAll(Sql.list(c, WINDOW_SELECT + " WHERE w.cluster_id IN (" + marks(h.clusters().size()) + ")",
                    ScheduleServiceImpl::windowRow, h.clusters().stream().map(HostContext.Place::id).toArray()));
        }
        rows.sort(Comparator.comparingInt((WindowRow r) -> h.rank(r.window().target().type(), r.targetId()))
                .thenComparing(r -> r.window().name()));
        return rows;
    }

    /**
     * The policy that decides: the host's own, else its clusters' (the first by name: said when others are passed
     * over), else its site's, else the nearest region's up the chain. Null when none has one.
     */
    private static EffectivePolicy effectivePolicy(Connection c, HostContext h) throws SQLException {
        Optional<PolicyRow> own = policy(c, "host_id", h.hostId());
        if (own.isPresent()) {
            return new EffectivePolicy(own.get().policy(), h.source(own.get().policy().target(), h.hostId()));
        }
        List<PolicyRow> clusters = Sql.list(c, POLICY_SELECT + " JOIN cluster_host ch ON ch.cluster_id = p.cluster_id"
                + " WHERE ch.host_id = ? ORDER BY cl.name", ScheduleServiceImpl::policyRow, h.hostId());
        if (!clusters.isEmpty()) {
            Policy first = clusters.get(0).policy();
            String source = clusters.size() == 1 ? h.source(first.target(), clusters.get(0).targetId())
                    : first.target() + " (the first by name of the host's clusters with a policy: "
                    + String.join(", ", clusters.stream().map(r -> r.policy().target().name()).toList()) + ")";
            return new EffectivePolicy(first, source);
        }
        if (h.site() != null) {
            Optional<PolicyRow> site = policy(c, "site_id", h.site().id());
            if (site.isPresent()) {
                return new EffectivePolicy(site.get().policy(), h.source(site.get().policy().target(), h.site().id()));
            }
        }
        if (!h.regions().isEmpty()) {
            List<PolicyRow> regions = Sql.list(c, POLICY_SELECT + " WHERE p.region_id IN (" + marks(h.regions().size()) + ")",
                    ScheduleServiceImpl::policyRow, h.regions().stream().map(HostContext.Place::id).toArray());
            Optional<PolicyRow> nearest = regions.stream()
                    .min(Comparator.comparingInt(r -> h.rank(TargetType.REGION, r.targetId())));
            if (nearest.isPresent()) {
                return new EffectivePolicy(nearest.get().policy(),
                        h.source(nearest.get().policy().target(), nearest.get().targetId()));
            }
        }
        return null;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** The engine's window, shared between hosts for repeated windows (parsing their cron is the costly part). */
    private MaintenanceWindow engine(Window w) {
        if (w.kind() == WindowKind.SINGLE) {
            return w.maintenanceWindow();
        }
        if (parsed.size() >= MAX_CACHED_WINDOWS) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(w.cron() + '\n' + w.zone() + '\n' + w.duration(), key -> w.maintenanceWindow());
    }

    private static WindowSpec spec(Window w) {
        return new WindowSpec(w.name(), text(w.start()), text(w.end()), w.cron(), w.zone(), w.duration());
    }

    /** What a change returns, and what the audit log says about it. */
    private record Done<T>(T value, String detail) {
    }

    /** Runs a change the caller is authorised for and audits it: SUCCESS with its detail, or FAILED with the reason. */
    private <T> T audited(Caller caller, Project p, String action, String object, Supplier<Done<T>> change) {
        String type = action.substring(0, action.indexOf('.'));
        Done<T> done;
        try {
            done = change.get();
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), action, type, object, Outcome.FAILED, caller.sourceAddress(),
                    e.reason() + ": " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit.record(caller.username(), p.orgId(), p.id(), action, type, object, Outcome.FAILED, caller.sourceAddress(),
                    String.valueOf(e.getMessage()));
            throw e;
        }
        audit.record(caller.username(), p.orgId(), p.id(), action, type, object, Outcome.SUCCESS, caller.sourceAddress(),
                done.detail());
        return done.value();
    }

    private static void name(String name) {
        TenancyException.invalidIf("name", Inputs.nameRuleProblem("window name", name));
    }

    private static Target target(Target target) {
        if (target == null) {
            throw new TenancyException(Reason.INVALID, "target", "a target is required: the type (REGION, SITE, CLUSTER"
                    + " or HOST) and the name of a region, site, cluster or host of the project");
        }
        if (target.type() == null) {
            throw new TenancyException(Reason.INVALID, "target.type", "the target's type is required: REGION, SITE,"
                    + " CLUSTER or HOST");
        }
        String name = blank(target.name());
        if (name == null) {
            throw new TenancyException(Reason.INVALID, "target.name", "the target's name is required: the name of the "
                    + target.type().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Target(target.type(), name);
    }

    /** The id of the project's region, site, cluster or host; NOT_FOUND when it has none of that name. */
    private static String targetId(Connection c, Project p, Target target) throws SQLException {
        String id = Sql.string(c, "SELECT id FROM " + table(target.type()) + " WHERE project_id = ? AND name = ?", p.id(),
                target.name());
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, target.type().name().toLowerCase(java.util.Locale.ROOT) + " '"
                    + target.name() + "' does not exist in '" + p.name() + "'");
        }
        return id;
    }

    private static String table(TargetType type) {
        return switch (type) {
            case REGION -> "region";
            case SITE -> "site";
            case CLUSTER -> "cluster";
            case HOST -> "host";
        };
    }

    private static String column(TargetType type) {
        return table(type) + "_id";
    }

    private static Object timestamp(Instant instant) {
        return instant == null ? new Sql.Null(java.sql.Types.TIMESTAMP) : instant;
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
