package org.edgeorch.scheduling.internal.rollout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.edgeorch.platform.Inputs;
import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.release.OsCatalog;
import org.edgeorch.scheduling.HostSchedules;
import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.scheduling.internal.rollout.WavePlanner.HostRef;
import org.edgeorch.scheduling.internal.rollout.WaveVerdict.Thresholds;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.scheduling.rollout.Rollouts.Counts;
import org.edgeorch.scheduling.rollout.Rollouts.FailureAction;
import org.edgeorch.scheduling.rollout.Rollouts.HostSelection;
import org.edgeorch.scheduling.rollout.Rollouts.Rollout;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutSpec;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.RunPage;
import org.edgeorch.scheduling.rollout.Rollouts.RunQuery;
import org.edgeorch.scheduling.rollout.Rollouts.Wave;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.store.Database;
import org.edgeorch.store.LeaseLostException;
import org.edgeorch.store.Sql;
import org.edgeorch.store.SqlWork;
import org.edgeorch.store.event.Event;
import org.edgeorch.store.event.EventPublisher;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollouts and their reconciliation. Everything a rollout is and does is in the database (migration
 * {@code V8__rollouts.sql}); this class keeps no state between calls, so any orchestrator, or a new instance after
 * a restart, continues a rollout from what is recorded.
 *
 * <p>Each step of a rollout is one transaction that first locks the rollout's row with a conditional UPDATE
 * ({@code ... WHERE id = ? AND state = 'RUNNING'}), then changes waves and runs with conditional UPDATEs of their
 * own. Two orchestrators reconciling at once therefore take turns on a rollout, and the second finds the step done.
 * A crash inside a step rolls it back and the next pass does it again; a step never half-happens.
 */
@Component(service = {RolloutService.class, Reconciler.class})
public class RolloutServiceImpl implements RolloutService, Reconciler {

    static final String SYSTEM_ACTOR = "rollout-reconciler";
    static final int MAX_PAGE = 1000;
    static final int MAX_WAVES = 100;
    static final int MAX_HOSTS = 100_000;
    static final Duration MAX_DURATION = Duration.ofDays(30);
    /** A rollout left CREATING this long was abandoned by a crash during its creation; the reconciler removes it. */
    static final Duration ABANDONED_CREATION = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(RolloutServiceImpl.class);
    private static final int IN_BATCH = 500;
    /**
     * Hosts whose runs one transaction queues when a wave starts: a few row locks per host in each table stay well
     * under Derby's escalation to a table lock (5,000 row locks of a table in one transaction), and no transaction of
     * a large wave holds its locks for long.
     */
    static final int WAVE_BATCH = 500;
    private static final Set<RolloutState> ABORTABLE = Set.of(RolloutState.READY, RolloutState.RUNNING, RolloutState.PAUSED);

    private final Database db;
    private final TenancyService tenancy;
    private final AuditLog audit;
    private final FleetService fleet;
    private final OsCatalog catalog;
    private final HostSchedules schedules;
    private final Clock clock;
    private int waveBatch = WAVE_BATCH;

    @Activate
    public RolloutServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit,
                              @Reference FleetService fleet, @Reference OsCatalog catalog, @Reference HostSchedules schedules) {
        this(db, tenancy, audit, fleet, catalog, schedules, Clock.systemUTC());
    }

    RolloutServiceImpl(Database db, TenancyService tenancy, AuditLog audit, FleetService fleet, OsCatalog catalog,
                       HostSchedules schedules, Clock clock) {
        this.db = db;
        this.tenancy = tenancy;
        this.audit = audit;
        this.fleet = fleet;
        this.catalog = catalog;
        this.schedules = schedules;
        this.clock = clock;
    }

    // ---- events -----------------------------------------------------------------------------------------

    /** The event journal (the store's); absent only in tests that build this class without one. */
    private volatile EventPublisher events;

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

    /**
     * One transaction on the rollout {@code id} through {@code tx} (the reconciler's fenced database, or the plain
     * one), its state changes and its waves' published as events.
     */
    private <T> T tracked(Database tx, String id, SqlWork<T> work) {
        return tx.inTransaction(c -> {
            EventPublisher p = events;
            RolloutEvents.Snapshot before = p == null ? null : RolloutEvents.snapshot(c, id);
            T result = work.run(c);
            if (p != null) {
                RolloutEvents.publish(c, p, before, RolloutEvents.snapshot(c, id));
            }
            return result;
        });
    }

    /** {@link #tracked(Database, String, SqlWork)} for the rollout of that name in the project. */
    private <T> T tracked(String projectId, String name, SqlWork<T> work) {
        return db.inTransaction(c -> {
            EventPublisher p = events;
            RolloutEvents.Snapshot before = p == null ? null : RolloutEvents.snapshot(c, rolloutId(c, projectId, name));
            T result = work.run(c);
            if (p != null) {
                RolloutEvents.publish(c, p, before, RolloutEvents.snapshot(c, rolloutId(c, projectId, name)));
            }
            return result;
        });
    }

    /** Tests: start waves in batches of {@code hosts}. */
    RolloutServiceImpl withWaveBatch(int hosts) {
        if (hosts < 1 || hosts > IN_BATCH) {
            throw new IllegalArgumentException("a wave batch is 1 to " + IN_BATCH + " hosts");
        }
        waveBatch = hosts;
        return this;
    }

    // ---- creating ---------------------------------------------------------------------------------------

    @Override
    public Rollout create(Caller caller, String project, RolloutSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "rollout.create", spec == null ? null : spec.name(), () -> {
            RolloutSpec valid = validate(spec);
            if (catalog.resource(p.id(), valid.osProfile(), valid.version()).isEmpty()) {
                throw new TenancyException(Reason.INVALID, "version", "version '" + valid.version() + "' is not an OS resource"
                        + " of OS profile '" + valid.osProfile() + "' in '" + project + "': import the release first"
                        + " (edge:os-resource-import, POST /projects/" + project + "/os-profiles/" + valid.osProfile()
                        + "/resources)");
            }
            String id = UUID.randomUUID().toString();
            Instant now = clock.instant();
            db.inTransaction(c -> {
                if (rolloutId(c, p.id(), valid.name()) != null) {
                    throw new TenancyException(Reason.CONFLICT, "rollout '" + valid.name() + "' already exists in '" + project + "'");
                }
                Sql.update(c, "INSERT INTO rollout (id, project_id, name, description, os_profile, target_version, selection,"
                                + " on_failure, state, current_wave, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                        id, p.id(), valid.name(), valid.description() == null ? "" : valid.description(), valid.osProfile(),
                        valid.version(), describe(valid.hosts()), valid.onFailure(), RolloutState.CREATING, caller.username(), now);
                return null;
            });
            try {
                List<HostRef> hosts = resolve(caller, project, p.id(), valid.hosts());
                List<List<HostRef>> waves = WavePlanner.plan(hosts, valid.waves());
                tracked(db, id, c -> {
                    refuseClaimed(c, project, hosts);
                    for (int i = 0; i < waves.size(); i++) {
                        insertWave(c, id, i + 1, valid.waves().get(i), waves.get(i).size());
                        for (HostRef h : waves.get(i)) {
                            Sql.update(c, "INSERT INTO rollout_host (rollout_id, host_id, host_name, site_name, wave_number)"
                                    + " VALUES (?, ?, ?, ?, ?)", id, h.id(), h.name(), h.site(), i + 1);
                            Sql.update(c, "INSERT INTO rollout_claim (host_id, rollout_id) VALUES (?, ?)", h.id(), id);
                        }
                    }
                    Sql.update(c, "UPDATE rollout SET state = ? WHERE id = ? AND state = ?", RolloutState.READY, id,
                            RolloutState.CREATING);
                    return null;
                });
                Rollout created = load(id);
                return new Done<>(created, hosts.size() + " host(s) in " + waves.size() + " wave(s) to " + valid.osProfile()
                        + " " + valid.version());
            } catch (RuntimeException e) {
                db.inTransaction(c -> delete(c, id));
                throw e;
            }
        });
    }

    private static void insertWave(Connection c, String id, int number, WaveSpec w, int hosts) throws SQLException {
        Sql.update(c, "INSERT INTO rollout_wave (rollout_id, wave_number, size_count, size_percent, spread_sites,"
                        + " success_percent, failure_percent, failure_min_finished, soak_seconds, host_timeout_seconds,"
                        + " host_count, state, failures_accepted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                id, number, w.count() == null ? new Sql.Null(Types.INTEGER) : w.count(),
                w.percent() == null ? new Sql.Null(Types.INTEGER) : w.percent(), w.spreadAcrossSites(), w.successPercent(),
                w.failurePercent(), w.failureMinFinished(), w.soak().toSeconds(), w.hostTimeout().toSeconds(), hosts,
                WaveState.PENDING);
    }

    private static Void delete(Connection c, String id) throws SQLException {
        Sql.update(c, "DELETE FROM rollout_claim WHERE rollout_id = ?", id);
        Sql.update(c, "DELETE FROM rollout_host WHERE rollout_id = ?", id);
        Sql.update(c, "DELETE FROM rollout_wave WHERE rollout_id = ?", id);
        Sql.update(c, "DELETE FROM rollout WHERE id = ? AND state = ?", id, RolloutState.CREATING);
        return null;
    }

    /** A host is in one unfinished rollout at a time: the claims say which. */
    private static void refuseClaimed(Connection c, String project, List<HostRef> hosts) throws SQLException {
        Map<String, String> names = hosts.stream().collect(Collectors.toMap(HostRef::id, HostRef::name));
        List<String> taken = new ArrayList<>();
        for (List<String> batch : batches(new ArrayList<>(names.keySet()))) {
            taken.addAll(Sql.list(c, "SELECT k.host_id, r.name, r.state FROM rollout_claim k JOIN rollout r ON r.id = k.rollout_id"
                    + " WHERE k.host_id IN (" + marks(batch.size()) + ")", rs -> names.get(rs.getString(1)) + " (rollout '"
                    + rs.getString(2) + "', " + rs.getString(3) + ")", batch.toArray()));
        }
        if (!taken.isEmpty()) {
            Collections.sort(taken);
            throw new TenancyException(Reason.CONFLICT, taken.size() + " host(s) are already in an unfinished rollout: "
                    + String.join(", ", taken.subList(0, Math.min(10, taken.size()))) + (taken.size() > 10 ? ", …" : "")
                    + "; finish or abort it, or leave these hosts out");
        }
    }

    /** The selection, frozen: host ids, names and sites, through the fleet's own filters. */
    private List<HostRef> resolve(Caller caller, String project, String projectId, HostSelection selection) {
        List<String> names = new ArrayList<>();
        if (selection.isFilter()) {
            for (int offset = 0; ; offset += MAX_PAGE) {
                Fleet.HostPage page = fleet.hosts(caller, project, new Fleet.HostQuery(selection.status(), selection.site(),
                        selection.region(), selection.metadata().isEmpty() ? null : selection.metadata(), selection.text(),
                        Fleet.SortField.NAME, false, offset, MAX_PAGE));
                page.hosts().stream().filter(h -> h.status() != HostStatus.INVALIDATED).map(Fleet.Host::name).forEach(names::add);
                if (names.size() > MAX_HOSTS) {
                    throw new TenancyException(Reason.INVALID, "hosts", "the filter selects more than " + MAX_HOSTS
                            + " hosts: narrow it, or make several rollouts");
                }
                if (page.hosts().size() < MAX_PAGE || offset + MAX_PAGE >= page.total()) {
                    break;
                }
            }
        } else {
            names.addAll(new LinkedHashSet<>(selection.hosts()));
        }
        if (names.isEmpty()) {
            throw new TenancyException(Reason.INVALID, "hosts", "the selection matches no host in '" + project + "'");
        }
        Map<String, HostRef> found = new HashMap<>();
        Map<String, HostStatus> statuses = new HashMap<>();
        db.inTransaction(c -> {
            for (List<String> batch : batches(names)) {
                List<Object> params = new ArrayList<>(List.of(projectId));
                params.addAll(batch);
                Sql.list(c, "SELECT h.id, h.name, s.name, h.status FROM host h LEFT JOIN site s ON s.id = h.site_id"
                        + " WHERE h.project_id = ? AND h.name IN (" + marks(batch.size()) + ")", rs -> {
                            found.put(rs.getString(2), new HostRef(rs.getString(1), rs.getString(2), rs.getString(3)));
                            return statuses.put(rs.getString(2), HostStatus.valueOf(rs.getString(4)));
                        }, params.toArray());
            }
            return null;
        });
        List<String> missing = names.stream().filter(n -> !found.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new TenancyException(Reason.INVALID, "hosts", missing.size() + " host(s) do not exist in '" + project + "': "
                    + String.join(", ", missing.subList(0, Math.min(10, missing.size()))) + (missing.size() > 10 ? ", …" : ""));
        }
        List<String> invalidated = names.stream().filter(n -> statuses.get(n) == HostStatus.INVALIDATED).toList();
        if (!invalidated.isEmpty()) {
            throw new TenancyException(Reason.INVALID, "hosts", "invalidated hosts can no longer be updated: "
                    + String.join(", ", invalidated.subList(0, Math.min(10, invalidated.size()))));
        }
        return names.stream().map(found::get).toList();
    }

    private static String describe(HostSelection s) {
        if (!s.isFilter()) {
            return s.hosts().size() <= 5 ? "hosts " + String.join(", ", s.hosts()) : s.hosts().size() + " hosts by name";
        }
        List<String> parts = new ArrayList<>();
        if (s.status() != null) {
            parts.add("status " + s.status());
        }
        if (s.site() != null) {
            parts.add("site " + s.site());
        }
        if (s.region() != null) {
            parts.add("region " + s.region());
        }
        new java.util.TreeMap<>(s.metadata()).forEach((k, v) -> parts.add(k + "=" + v));
        if (s.text() != null) {
            parts.add("text '" + s.text() + "'");
        }
        String text = parts.isEmpty() ? "all hosts" : "hosts with " + String.join(", ", parts);
        return text.length() <= 4000 ? text : text.substring(0, 3999) + "…";
    }

    static RolloutSpec validate(RolloutSpec spec) {
        TenancyException.invalidIf("name", Inputs.nameRuleProblem("name", spec == null ? null : spec.name()));
        TenancyException.invalidIf("description", Inputs.textProblem("description", spec.description(), 1000));
        if (blank(spec.osProfile())) {
            throw new TenancyException(Reason.INVALID, "osProfile", "a rollout needs the project's OS profile to install from");
        }
        if (blank(spec.version())) {
            throw new TenancyException(Reason.INVALID, "version", "a rollout needs the target version, an OS resource of the profile");
        }
        HostSelection hosts = spec.hosts();
        if (hosts == null) {
            throw new TenancyException(Reason.INVALID, "hosts", "say which hosts: a list of host names, or a filter"
                    + " (status, site, region, metadata, text; an empty filter selects every host)");
        }
        if (!hosts.isFilter() && (hosts.status() != null || hosts.site() != null || hosts.region() != null
                || !hosts.metadata().isEmpty() || hosts.text() != null)) {
            throw new TenancyException(Reason.INVALID, "hosts", "give either a list of host names or a filter, not both");
        }
        if (hosts.metadata().values().stream().anyMatch(v -> v == null)) {
            throw new TenancyException(Reason.INVALID, "hosts", "every metadata filter entry needs a value");
        }
        if (hosts.hosts().size() > MAX_HOSTS || hosts.hosts().stream().anyMatch(RolloutServiceImpl::blank)) {
            throw new TenancyException(Reason.INVALID, "hosts", "a host list holds 1 to " + MAX_HOSTS + " host names, none blank");
        }
        if (spec.waves().isEmpty() || spec.waves().size() > MAX_WAVES) {
            throw new TenancyException(Reason.INVALID, "waves", "a rollout has 1 to " + MAX_WAVES
                    + " waves, for example a count of 1, then 10 percent, then the rest");
        }
        List<WaveSpec> waves = new ArrayList<>();
        for (int i = 0; i < spec.waves().size(); i++) {
            waves.add(wave(spec.waves().get(i), i + 1, i == spec.waves().size() - 1));
        }
        return new RolloutSpec(spec.name(), blank(spec.description()) ? null : spec.description().strip(),
                spec.osProfile().strip(), spec.version().strip(), hosts, waves,
                spec.onFailure() == null ? FailureAction.PAUSE : spec.onFailure());
    }

    /** A wave with its defaults filled in. */
    private static WaveSpec wave(WaveSpec w, int number, boolean last) {
        String field = "waves[" + number + "]";
        if (w == null) {
            throw new TenancyException(Reason.INVALID, field, "wave " + number + " is missing");
        }
        if (w.count() != null && w.percent() != null) {
            throw new TenancyException(Reason.INVALID, field + ".count", "wave " + number + " has a count and a percent: give one");
        }
        if (w.count() == null && w.percent() == null && !last) {
            throw new TenancyException(Reason.INVALID, field + ".count", "wave " + number
                    + " needs a count or a percent of the hosts; only the last wave may leave it out (it takes the rest)");
        }
        if (w.count() != null && (w.count() < 1 || w.count() > MAX_HOSTS)) {
            throw new TenancyException(Reason.INVALID, field + ".count", "wave " + number + ": count must be 1 to " + MAX_HOSTS);
        }
        if (w.percent() != null && (w.percent() < 1 || w.percent() > 100)) {
            throw new TenancyException(Reason.INVALID, field + ".percent", "wave " + number + ": percent must be 1 to 100");
        }
        int success = percent(w.successPercent(), WaveSpec.DEFAULT_SUCCESS_PERCENT, field + ".successPercent");
        int failure = percent(w.failurePercent(), WaveSpec.DEFAULT_FAILURE_PERCENT, field + ".failurePercent");
        int minFinished = w.failureMinFinished() == null ? WaveSpec.DEFAULT_FAILURE_MIN_FINISHED : w.failureMinFinished();
        if (minFinished < 1) {
            throw new TenancyException(Reason.INVALID, field + ".failureMinFinished", "wave " + number
                    + ": the failure threshold needs at least 1 finished host");
        }
        Duration soak = w.soak() == null ? Duration.ZERO : w.soak();
        if (soak.isNegative() || soak.compareTo(MAX_DURATION) > 0) {
            throw new TenancyException(Reason.INVALID, field + ".soak", "wave " + number + ": soak must be 0 to 30 days");
        }
        Duration timeout = w.hostTimeout() == null ? WaveSpec.DEFAULT_HOST_TIMEOUT : w.hostTimeout();
        if (timeout.toSeconds() < 1 || timeout.compareTo(MAX_DURATION) > 0) {
            throw new TenancyException(Reason.INVALID, field + ".hostTimeout", "wave " + number
                    + ": the per-host timeout must be 1 second to 30 days");
        }
        return new WaveSpec(w.count(), w.percent(), Boolean.TRUE.equals(w.spreadAcrossSites()), success, failure, minFinished,
                Duration.ofSeconds(soak.toSeconds()), Duration.ofSeconds(timeout.toSeconds()));
    }

    private static int percent(Integer value, int otherwise, String field) {
        int v = value == null ? otherwise : value;
        if (v < 0 || v > 100) {
            throw new TenancyException(Reason.INVALID, field, field + " must be 0 to 100");
        }
        return v;
    }

    // ---- reading ----------------------------------------------------------------------------------------

    @Override
    public List<Rollout> rollouts(Caller caller, String project, RolloutState state, int offset, int limit) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        page(offset, limit);
        return db.inTransaction(c -> {
            List<String> ids = Sql.strings(c, "SELECT id FROM rollout WHERE project_id = ?" + (state == null ? "" : " AND state = ?")
                            + " ORDER BY created_at DESC, name OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    state == null ? new Object[] {p.id(), offset, limit} : new Object[] {p.id(), state, offset, limit});
            List<Rollout> out = new ArrayList<>();
            for (String id : ids) {
                out.add(load(c, id));
            }
            return out;
        });
    }

    @Override
    public Rollout rollout(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> load(c, existing(c, p.id(), project, name)));
    }

    @Override
    public RunPage runs(Caller caller, String project, String name, RunQuery query) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        RunQuery q = query == null ? RunQuery.all() : query;
        page(q.offset(), q.limit());
        return db.inTransaction(c -> runPage(c, " WHERE r.rollout_id = ?", existing(c, p.id(), project, name), q,
                " ORDER BY r.wave_number, r.host_name"));
    }

    @Override
    public RunPage hostRuns(Caller caller, String project, String host, RunQuery query) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        RunQuery q = query == null ? RunQuery.all() : query;
        page(q.offset(), q.limit());
        return db.inTransaction(c -> {
            String hostId = Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", p.id(), host);
            if (hostId == null) {
                throw new TenancyException(Reason.NOT_FOUND, "host '" + host + "' does not exist in '" + project + "'");
            }
            return runPage(c, " WHERE r.host_id = ?", hostId, q, " ORDER BY r.created_at DESC, r.id");
        });
    }

    private static RunPage runPage(Connection c, String where, String key, RunQuery q, String order) throws SQLException {
        StringBuilder filter = new StringBuilder(where);
        List<Object> params = new ArrayList<>(List.of(key));
        if (q.status() != null) {
            filter.append(" AND r.status = ?");
            params.add(q.status());
        }
        if (q.wave() != null) {
            filter.append(" AND r.wave_number = ?");
            params.add(q.wave());
        }
        long total = Sql.one(c, "SELECT COUNT(*) FROM update_run r" + filter, rs -> rs.getLong(1), params.toArray()).orElse(0L);
        params.add(q.offset());
        params.add(q.limit());
        List<UpdateRuns.Run> runs = Sql.list(c, UpdateRuns.SELECT + filter + order + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                UpdateRuns::map, params.toArray());
        return new RunPage(runs.stream().map(UpdateRuns.Run::toApi).toList(), total, q.offset(), q.limit());
    }

    private static void page(int offset, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new TenancyException(Reason.INVALID, "limit", "limit must be 1 to " + MAX_PAGE);
        }
        if (offset < 0) {
            throw new TenancyException(Reason.INVALID, "offset", "offset must be 0 or more");
        }
    }

    Rollout load(String id) {
        return db.inTransaction(c -> load(c, id));
    }

    private static Rollout load(Connection c, String id) throws SQLException {
        Map<Integer, int[]> counts = new HashMap<>();
        Sql.list(c, "SELECT wave_number, status, COUNT(*) FROM update_run WHERE rollout_id = ? GROUP BY wave_number, status",
                rs -> {
                    int[] n = counts.computeIfAbsent(rs.getInt(1), k -> new int[2]);
                    UpdateStatus status = UpdateStatus.valueOf(rs.getString(2));
                    if (status == UpdateStatus.SUCCEEDED) {
                        n[0] += rs.getInt(3);
                    } else if (status.finished()) {
                        n[1] += rs.getInt(3);
                    }
                    return null;
                }, id);
        List<Wave> waves = Sql.list(c, "SELECT wave_number, size_count, size_percent, spread_sites, success_percent,"
                + " failure_percent, failure_min_finished, soak_seconds, host_timeout_seconds, host_count, state, started_at,"
                + " soak_until, finished_at FROM rollout_wave WHERE rollout_id = ? ORDER BY wave_number", rs -> {
                    int[] n = counts.getOrDefault(rs.getInt(1), new int[2]);
                    int hosts = rs.getInt(10);
                    return new Wave(rs.getInt(1), new WaveSpec((Integer) rs.getObject(2), (Integer) rs.getObject(3),
                            rs.getBoolean(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), Duration.ofSeconds(rs.getLong(8)),
                            Duration.ofSeconds(rs.getLong(9))), WaveState.valueOf(rs.getString(11)),
                            new Counts(hosts, n[0], n[1], hosts - n[0] - n[1]), Sql.instant(rs, 12), Sql.instant(rs, 13),
                            Sql.instant(rs, 14));
                }, id);
        int hosts = waves.stream().mapToInt(w -> w.counts().hosts()).sum();
        int ok = waves.stream().mapToInt(w -> w.counts().succeeded()).sum();
        int failed = waves.stream().mapToInt(w -> w.counts().failed()).sum();
        Counts total = new Counts(hosts, ok, failed, hosts - ok - failed);
        return Sql.one(c, "SELECT name, description, os_profile, target_version, selection, on_failure, state, state_reason,"
                        + " current_wave, created_by, created_at, started_at, finished_at FROM rollout WHERE id = ?",
                rs -> new Rollout(rs.getString(1), rs.getString(2).isEmpty() ? null : rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), FailureAction.valueOf(rs.getString(6)),
                        RolloutState.valueOf(rs.getString(7)), rs.getString(8), rs.getInt(9), total, waves, rs.getString(10),
                        Sql.instant(rs, 11), Sql.instant(rs, 12), Sql.instant(rs, 13)), id)
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "the rollout no longer exists"));
    }

    private static String rolloutId(Connection c, String projectId, String name) throws SQLException {
        return Sql.string(c, "SELECT id FROM rollout WHERE project_id = ? AND name = ?", projectId, name);
    }

    private static String existing(Connection c, String projectId, String project, String name) throws SQLException {
        String id = rolloutId(c, projectId, name);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, "rollout '" + name + "' does not exist in '" + project + "'");
        }
        return id;
    }

    // ---- operating --------------------------------------------------------------------------------------

    @Override
    public Rollout start(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        return audited(caller, p, "rollout.start", name, () -> {
            Instant now = clock.instant();
            String id = tracked(p.id(), name, c -> {
                String rid = transition(c, p.id(), project, name, Set.of(RolloutState.READY), "started");
                Sql.update(c, "UPDATE rollout SET state = ?, state_reason = ?, started_at = ? WHERE id = ?",
                        RolloutState.RUNNING, new Sql.Null(Types.VARCHAR), now, rid);
                return rid;
            });
            reconcileSoon(id, now);
            return new Done<>(load(id), null);
        });
    }

    @Override
    public Rollout pause(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        return audited(caller, p, "rollout.pause", name, () -> {
            String id = tracked(p.id(), name, c -> {
                String rid = transition(c, p.id(), project, name, Set.of(RolloutState.RUNNING), "paused");
                Sql.update(c, "UPDATE rollout SET state = ?, state_reason = ? WHERE id = ?", RolloutState.PAUSED,
                        "paused by " + caller.username(), rid);
                return rid;
            });
            return new Done<>(load(id), null);
        });
    }

    @Override
    public Rollout resume(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        return audited(caller, p, "rollout.resume", name, () -> {
            Instant now = clock.instant();
            String[] accepted = new String[1];
            String id = tracked(p.id(), name, c -> {
                String rid = transition(c, p.id(), project, name, Set.of(RolloutState.PAUSED), "resumed");
                Sql.update(c, "UPDATE rollout SET state = ?, state_reason = ? WHERE id = ?", RolloutState.RUNNING,
                        new Sql.Null(Types.VARCHAR), rid);
                RolloutRow r = rolloutRow(c, rid);
                WaveRow w = waveRow(c, rid, r.currentWave());
                if (w != null && w.state() == WaveState.FAILED) {
                    Sql.update(c, "UPDATE rollout SET current_wave = ? WHERE id = ?", r.currentWave() + 1, rid);
                    accepted[0] = "wave " + w.number() + " failed; carrying on with the next";
                } else if (w != null && w.state() == WaveState.RUNNING) {
                    int[] n = waveCounts(c, rid, w.number());
                    if (WaveVerdict.failureThresholdCrossed(n[0], n[1], w.failuresAccepted(), w.thresholds())) {
                        Sql.update(c, "UPDATE rollout_wave SET failures_accepted = ? WHERE rollout_id = ? AND wave_number = ?",
                                n[1], rid, w.number());
                        accepted[0] = n[1] + " failure(s) of wave " + w.number() + " accepted";
                    }
                }
                return rid;
            });
            reconcileSoon(id, now);
            return new Done<>(load(id), accepted[0]);
        });
    }

    @Override
    public Rollout abort(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        return audited(caller, p, "rollout.abort", name, () -> {
            Instant now = clock.instant();
            int[] aborted = new int[1];
            String id = tracked(p.id(), name, c -> {
                String rid = transition(c, p.id(), project, name, ABORTABLE, "aborted");
                aborted[0] = abortRollout(c, events, rid, "aborted by " + caller.username(), now);
                return rid;
            });
            return new Done<>(load(id), aborted[0] + " unfinished update run(s) aborted");
        });
    }

    /**
     * Locks the rollout's row if its state allows the operation (a no-op UPDATE that waits for, and then excludes,
     * any reconciler step on it); CONFLICT naming the state otherwise.
     */
    private static String transition(Connection c, String projectId, String project, String name, Set<RolloutState> from,
                                     String verb) throws SQLException {
        String id = existing(c, projectId, project, name);
        List<Object> params = new ArrayList<>(List.of(id));
        params.addAll(from);
        int n = Sql.update(c, "UPDATE rollout SET state = state WHERE id = ? AND state IN (" + marks(from.size()) + ")",
                params.toArray());
        if (n == 0) {
            String state = Sql.string(c, "SELECT state FROM rollout WHERE id = ?", id);
            throw new TenancyException(Reason.CONFLICT, "rollout '" + name + "' is " + state + ": only a "
                    + from.stream().map(Enum::name).sorted().collect(Collectors.joining(" or ")) + " rollout can be " + verb);
        }
        return id;
    }

    /** Ends a rollout for good; returns how many unfinished runs it failed. The caller holds the rollout's row. */
    private static int abortRollout(Connection c, EventPublisher events, String id, String reason, Instant now)
            throws SQLException {
        List<String[]> unfinished = events == null ? List.of() : Sql.list(c, "SELECT id, status FROM update_run"
                + " WHERE rollout_id = ? AND finished_at IS NULL", rs -> new String[] {rs.getString(1), rs.getString(2)}, id);
        Sql.update(c, "UPDATE rollout SET state = ?, state_reason = ?, finished_at = ? WHERE id = ?", RolloutState.ABORTED,
                UpdateRuns.truncate(reason), now, id);
        Sql.update(c, "DELETE FROM update_run_active WHERE run_id IN (SELECT id FROM update_run WHERE rollout_id = ?)", id);
        int runs = Sql.update(c, "UPDATE update_run SET status = ?, failure = ?, detail = ?, updated_at = ?, finished_at = ?"
                        + " WHERE rollout_id = ? AND finished_at IS NULL", UpdateStatus.FAILED, UpdateFailure.ABORTED,
                UpdateRuns.truncate("rollout aborted: " + reason), now, now, id);
        for (String[] run : unfinished) {
            RolloutEvents.run(c, events, run[0], run[1]);
        }
        Sql.update(c, "UPDATE rollout_wave SET state = ?, finished_at = ? WHERE rollout_id = ? AND state IN (?, ?, ?)",
                WaveState.ABORTED, now, id, WaveState.PENDING, WaveState.RUNNING, WaveState.SOAKING);
        Sql.update(c, "DELETE FROM rollout_claim WHERE rollout_id = ?", id);
        return runs;
    }

    // ---- reconciling ------------------------------------------------------------------------------------

    @Override
    public Pass reconcile() {
        return reconcile(db);
    }

    @Override
    public Pass reconcile(Database tx) {
        Instant now = clock.instant();
        int deadlines = setDeadlines(tx, now);
        int timedOut = timeOut(tx, now);
        removeAbandonedCreations(tx, now);
        int advanced = 0;
        for (String id : tx.inTransaction(c -> Sql.strings(c, "SELECT id FROM rollout WHERE state = ? ORDER BY created_at",
                RolloutState.RUNNING))) {
            try {
                if (reconcileRollout(tx, id, now)) {
                    advanced++;
                }
            } catch (LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                // The next pass tries again from what the database says; one rollout must not stop the others.
                LOG.warn("Reconciling rollout {} failed; the next pass retries: {}", id, e.toString());
            }
        }
        return new Pass(deadlines, timedOut, advanced);
    }

    /** Runs whose first window after queuing has opened get their deadline. */
    private int setDeadlines(Database tx, Instant now) {
        List<UpdateRuns.Run> waiting = tx.inTransaction(c -> Sql.list(c, UpdateRuns.SELECT
                + " JOIN update_run_active a ON a.run_id = r.id WHERE r.deadline IS NULL AND r.window_opens_at <= ?",
                UpdateRuns::map, now));
        int set = 0;
        for (UpdateRuns.Run run : waiting) {
            List<MaintenanceWindow> windows = schedules.windows(run.hostId());
            if (tx.inTransaction(c -> UpdateRuns.fixDeadline(c, run, windows, now)) != null) {
                set++;
            }
        }
        return set;
    }

    /** Unfinished runs past their deadline become TIMED_OUT. */
    private int timeOut(Database tx, Instant now) {
        List<String[]> overdue = tx.inTransaction(c -> Sql.list(c, "SELECT r.id, r.deadline FROM update_run_active a"
                + " JOIN update_run r ON r.id = a.run_id WHERE r.deadline <= ?", rs -> new String[] {rs.getString(1),
                Sql.instant(rs, 2).toString()}, now));
        int n = 0;
        for (String[] run : overdue) {
            if (tx.inTransaction(c -> UpdateRuns.finish(c, run[0], UpdateStatus.TIMED_OUT, UpdateFailure.TIMEOUT,
                    "no result reported by the deadline " + run[1], now, events))) {
                n++;
            }
        }
        return n;
    }

    private void removeAbandonedCreations(Database tx, Instant now) {
        for (String id : tx.inTransaction(c -> Sql.strings(c, "SELECT id FROM rollout WHERE state = ? AND created_at < ?",
                RolloutState.CREATING, now.minus(ABANDONED_CREATION)))) {
            tx.inTransaction(c -> delete(c, id));
        }
    }

    /**
     * Takes the first steps of a rollout an operator just started or resumed, so the answer shows them. The
     * operation itself is committed already: should a step fail, the timer's next pass does it.
     */
    private void reconcileSoon(String id, Instant now) {
        try {
            reconcileRollout(db, id, now);
        } catch (RuntimeException e) {
            LOG.warn("Reconciling rollout {} failed; the next pass retries: {}", id, e.toString());
        }
    }

    /** What one step of a rollout did. */
    private sealed interface Step permits Stop, Again, StartWave {
    }

    /** Nothing more to do now. */
    private record Stop(String auditAction, String auditDetail) implements Step {
    }

    /** Changed something; look again. */
    private record Again() implements Step {
    }

    /**
     * The wave is due to start, or is starting: the next at most {@link #WAVE_BATCH} of its hosts without a run get
     * theirs, their windows read outside the transaction.
     */
    private record StartWave(int wave, List<String> hostIds) implements Step {
    }

    /**
     * Steps one rollout until there is nothing to do; returns whether anything changed. Bounded, so a rollout that
     * keeps changing under another orchestrator's hands does not hold this one.
     */
    boolean reconcileRollout(Database tx, String id, Instant now) {
        boolean changed = false;
        int batches = 0;
        for (int i = 0; i < 3 * MAX_WAVES + 10; i++) {
            Step step = tracked(tx, id, c -> step(c, id, now));
            if (step instanceof Stop stop) {
                if (stop.auditAction() != null) {
                    recordSystem(id, stop.auditAction(), stop.auditDetail());
                    changed = true;
                }
                return changed;
            }
            if (step instanceof StartWave start) {
                Map<String, Instant> openings = new HashMap<>();
                for (String hostId : start.hostIds()) {
                    openings.put(hostId, UpdateRuns.windowOpening(schedules.windows(hostId), now));
                }
                tracked(tx, id, c -> startWave(c, events, id, start.wave(), openings, now));
                // Every batch queues runs for hosts that had none, so a wave's batches end; they do not count as steps.
                if (batches++ < MAX_HOSTS / waveBatch + 1) {
                    i--;
                }
            }
            changed = true;
        }
        return changed;
    }

    private Step step(Connection c, String id, Instant now) throws SQLException {
        if (!lockRunning(c, id)) {
            return new Stop(null, null);
        }
        RolloutRow r = rolloutRow(c, id);
        WaveRow w = waveRow(c, id, r.currentWave());
        if (w == null) {
            int[] n = rolloutCounts(c, id);
            String summary = n[0] + " of " + n[2] + " host(s) succeeded, " + n[1] + " failed";
            Sql.update(c, "UPDATE rollout SET state = ?, state_reason = ?, finished_at = ? WHERE id = ?", RolloutState.FINISHED,
                    summary, now, id);
            Sql.update(c, "DELETE FROM rollout_claim WHERE rollout_id = ?", id);
            return new Stop("rollout.finish", summary);
        }
        switch (w.state()) {
            case PENDING: {
                // A wave starts in batches: while some of its hosts have no run of this rollout yet, it stays PENDING
                // (its hosts with runs already install: the rollout is RUNNING); then it becomes RUNNING.
                List<String> next = Sql.list(c, "SELECT rh.host_id FROM rollout_host rh LEFT JOIN update_run u"
                        + " ON u.rollout_id = rh.rollout_id AND u.host_id = rh.host_id"
                        + " WHERE rh.rollout_id = ? AND rh.wave_number = ? AND u.id IS NULL ORDER BY rh.host_name"
                        + " FETCH FIRST " + waveBatch + " ROWS ONLY", rs -> rs.getString(1), id, w.number());
                if (!next.isEmpty()) {
                    return new StartWave(w.number(), next);
                }
                Sql.update(c, "UPDATE rollout_wave SET state = ?, started_at = COALESCE(started_at, ?) WHERE rollout_id = ?"
                        + " AND wave_number = ? AND state = ?", WaveState.RUNNING, now, id, w.number(), WaveState.PENDING);
                return new Again();
            }
            case SOAKING:
                if (now.isBefore(w.soakUntil())) {
                    return new Stop(null, null);
                }
                succeed(c, id, w, now);
                return new Again();
            case SUCCEEDED:
                Sql.update(c, "UPDATE rollout SET current_wave = ? WHERE id = ?", w.number() + 1, id);
                return new Again();
            case FAILED:
                // A failed wave pauses or aborts its rollout in the same transaction, and resuming moves past it:
                // a RUNNING rollout should never stand on one. Should it, it fails again rather than go on unseen.
                return failed(c, events, r, w, "wave " + w.number() + " failed", now);
            case ABORTED:
                return new Stop(null, null);
            case RUNNING:
            default:
                break;
        }
        int[] n = waveCounts(c, id, w.number());
        WaveVerdict verdict = WaveVerdict.of(w.hosts(), n[0], n[1], w.failuresAccepted(), w.thresholds());
        switch (verdict) {
            case WAIT:
                return new Stop(null, null);
            case SUCCEEDED:
                Instant succeededAt = Sql.list(c, "SELECT MAX(finished_at) FROM update_run WHERE rollout_id = ? AND wave_number = ?",
                        rs -> Sql.instant(rs, 1), id, w.number()).get(0);
                Instant soakUntil = (succeededAt == null ? now : succeededAt).plus(w.soak());
                if (w.hosts() > 0 && !w.soak().isZero() && now.isBefore(soakUntil)) {
                    Sql.update(c, "UPDATE rollout_wave SET state = ?, soak_until = ? WHERE rollout_id = ? AND wave_number = ?"
                            + " AND state = ?", WaveState.SOAKING, soakUntil, id, w.number(), WaveState.RUNNING);
                    return new Again();
                }
                succeed(c, id, w, now);
                return new Again();
            default:
                String reason = WaveVerdict.explain(verdict, w.number(), w.hosts(), n[0], n[1], w.failuresAccepted(), w.thresholds());
                if (verdict == WaveVerdict.TOO_FEW_SUCCEEDED || r.onFailure() == FailureAction.ABORT) {
                    Sql.update(c, "UPDATE rollout_wave SET state = ?, finished_at = ? WHERE rollout_id = ? AND wave_number = ?"
                            + " AND state = ?", WaveState.FAILED, now, id, w.number(), WaveState.RUNNING);
                }
                return failed(c, events, r, w, reason, now);
        }
    }

    /** A failed wave pauses or aborts its rollout, as the rollout says. */
    private static Step failed(Connection c, EventPublisher events, RolloutRow r, WaveRow w, String reason, Instant now)
            throws SQLException {
        if (r.onFailure() == FailureAction.ABORT) {
            int runs = abortRollout(c, events, r.id(), reason, now);
            return new Stop("rollout.abort", reason + "; " + runs + " unfinished update run(s) aborted");
        }
        Sql.update(c, "UPDATE rollout SET state = ?, state_reason = ? WHERE id = ?", RolloutState.PAUSED,
                UpdateRuns.truncate(reason), r.id());
        return new Stop("rollout.pause", reason);
    }

    private static void succeed(Connection c, String id, WaveRow w, Instant now) throws SQLException {
        Sql.update(c, "UPDATE rollout_wave SET state = ?, finished_at = ? WHERE rollout_id = ? AND wave_number = ?",
                WaveState.SUCCEEDED, now, id, w.number());
        Sql.update(c, "UPDATE rollout SET current_wave = ? WHERE id = ?", w.number() + 1, id);
    }

    /**
     * Queues the wave's runs, if it is still the rollout's PENDING current wave (another orchestrator may have
     * started it meanwhile). Hosts already on the target version succeed at once; an unfinished run of another
     * origin (a policy's) gives way to the rollout's.
     */
    private static Void startWave(Connection c, EventPublisher events, String id, int wave, Map<String, Instant> openings,
                                  Instant now) throws SQLException {
        if (!lockRunning(c, id)) {
            return null;
        }
        RolloutRow r = rolloutRow(c, id);
        // The first batch marks the wave started; every batch checks that it is still this rollout's starting wave.
        if (r.currentWave() != wave || Sql.update(c, "UPDATE rollout_wave SET started_at = COALESCE(started_at, ?)"
                + " WHERE rollout_id = ? AND wave_number = ? AND state = ?", now, id, wave, WaveState.PENDING) == 0) {
            return null;
        }
        WaveRow w = waveRow(c, id, wave);
        Duration timeout = w.hostTimeout();
        List<String[]> hosts = new ArrayList<>();
        for (List<String> batch : batches(new ArrayList<>(openings.keySet()))) {
            List<Object> params = new ArrayList<>(List.of(id, wave));
            params.addAll(batch);
            // Hosts of this batch that have no run of this rollout yet (another pass may have queued some meanwhile).
            hosts.addAll(Sql.list(c, "SELECT rh.host_id, rh.host_name, o.version, a.run_id FROM rollout_host rh"
                    + " LEFT JOIN host_os o ON o.host_id = rh.host_id LEFT JOIN update_run_active a ON a.host_id = rh.host_id"
                    + " LEFT JOIN update_run u ON u.rollout_id = rh.rollout_id AND u.host_id = rh.host_id"
                    + " WHERE rh.rollout_id = ? AND rh.wave_number = ? AND u.id IS NULL AND rh.host_id IN (" + marks(batch.size())
                    + ")", rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)},
                    params.toArray()));
        }
        List<Event> made = new ArrayList<>();
        for (String[] h : hosts) {
            if (h[3] != null) {
                UpdateRuns.finish(c, h[3], UpdateStatus.FAILED, UpdateFailure.ABORTED, "superseded by rollout '" + r.name() + "'",
                        now, events);
            }
            String runId = UUID.randomUUID().toString();
            boolean onTarget = r.version().equals(h[2]);
            if (onTarget) {
                UpdateRuns.insertAlreadyOnTarget(c, runId, r.projectId(), h[0], h[1], id, wave, r.profile(), r.version(),
                        timeout, now);
            } else {
                UpdateRuns.insertQueued(c, runId, r.projectId(), h[0], h[1], id, wave, r.profile(), h[2], r.version(), null,
                        timeout, openings.getOrDefault(h[0], now), now);
            }
            made.add(RolloutEvents.made(r.projectId(), h[1], runId, r.name(), wave, r.profile(), r.version(),
                    onTarget ? UpdateStatus.SUCCEEDED : UpdateStatus.QUEUED, onTarget ? "already on target" : null));
        }
        if (events != null) {
            events.publish(c, made);
        }
        return null;
    }

    /** Takes the rollout's row for this transaction if it is RUNNING: steps on one rollout never overlap. */
    private static boolean lockRunning(Connection c, String id) throws SQLException {
        return Sql.update(c, "UPDATE rollout SET state = state WHERE id = ? AND state = ?", id, RolloutState.RUNNING) == 1;
    }

    private record RolloutRow(String id, String projectId, String name, String profile, String version,
                              FailureAction onFailure, int currentWave) {
    }

    private record WaveRow(int number, int hosts, WaveState state, int failuresAccepted, Thresholds thresholds,
                           Duration soak, Duration hostTimeout, Instant soakUntil) {
    }

    private static RolloutRow rolloutRow(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT id, project_id, name, os_profile, target_version, on_failure, current_wave FROM rollout"
                        + " WHERE id = ?", rs -> new RolloutRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), FailureAction.valueOf(rs.getString(6)), rs.getInt(7)), id)
                .orElseThrow();
    }

    private static WaveRow waveRow(Connection c, String id, int number) throws SQLException {
        return Sql.one(c, "SELECT wave_number, host_count, state, failures_accepted, success_percent, failure_percent,"
                        + " failure_min_finished, soak_seconds, host_timeout_seconds, soak_until FROM rollout_wave"
                        + " WHERE rollout_id = ? AND wave_number = ?", rs -> new WaveRow(rs.getInt(1), rs.getInt(2),
                        WaveState.valueOf(rs.getString(3)), rs.getInt(4), new Thresholds(rs.getInt(5), rs.getInt(6),
                        rs.getInt(7)), Duration.ofSeconds(rs.getLong(8)), Duration.ofSeconds(rs.getLong(9)),
                        Sql.instant(rs, 10)), id, number)
                .orElse(null);
    }

    /** Succeeded and failed runs of a wave. */
    private static int[] waveCounts(Connection c, String id, int wave) throws SQLException {
        Map<UpdateStatus, Integer> by = new EnumMap<>(UpdateStatus.class);
        Sql.list(c, "SELECT status, COUNT(*) FROM update_run WHERE rollout_id = ? AND wave_number = ? GROUP BY status",
                rs -> by.put(UpdateStatus.valueOf(rs.getString(1)), rs.getInt(2)), id, wave);
        int ok = by.getOrDefault(UpdateStatus.SUCCEEDED, 0);
        int failed = by.entrySet().stream().filter(e -> e.getKey().finished() && e.getKey() != UpdateStatus.SUCCEEDED)
                .mapToInt(Map.Entry::getValue).sum();
        return new int[] {ok, failed};
    }

    /** Succeeded, failed and all hosts of a rollout. */
    private static int[] rolloutCounts(Connection c, String id) throws SQLException {
        Map<UpdateStatus, Integer> by = new EnumMap<>(UpdateStatus.class);
        Sql.list(c, "SELECT status, COUNT(*) FROM update_run WHERE rollout_id = ? GROUP BY status",
                rs -> by.put(UpdateStatus.valueOf(rs.getString(1)), rs.getInt(2)), id);
        int ok = by.getOrDefault(UpdateStatus.SUCCEEDED, 0);
        int failed = by.entrySet().stream().filter(e -> e.getKey().finished() && e.getKey() != UpdateStatus.SUCCEEDED)
                .mapToInt(Map.Entry::getValue).sum();
        int hosts = Sql.one(c, "SELECT COUNT(*) FROM rollout_host WHERE rollout_id = ?", rs -> rs.getInt(1), id).orElse(0);
        return new int[] {ok, failed, hosts};
    }

    private void recordSystem(String id, String action, String detail) {
        String[] where = db.inTransaction(c -> Sql.one(c, "SELECT p.org_id, p.id, r.name FROM rollout r JOIN project p"
                + " ON p.id = r.project_id WHERE r.id = ?", rs -> new String[] {rs.getString(1), rs.getString(2),
                rs.getString(3)}, id).orElse(null));
        if (where != null) {
            audit.record(SYSTEM_ACTOR, where[0], where[1], action, "rollout", where[2], Outcome.SUCCESS, null, detail);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** What a change returns, and what the audit log says about it. */
    private record Done<T>(T value, String detail) {
    }

    /** Runs an authorised change and audits it: SUCCESS with its detail, or FAILED with why it was refused. */
    private <T> T audited(Caller caller, Project p, String action, String object, Supplier<Done<T>> change) {
        Done<T> done;
        try {
            done = change.get();
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), action, "rollout", object, Outcome.FAILED, caller.sourceAddress(),
                    e.reason() + ": " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit.record(caller.username(), p.orgId(), p.id(), action, "rollout", object, Outcome.FAILED, caller.sourceAddress(),
                    String.valueOf(e.getMessage()));
            throw e;
        }
        audit.record(caller.username(), p.orgId(), p.id(), action, "rollout", object, Outcome.SUCCESS, caller.sourceAddress(),
                done.detail());
        return done.value();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static List<List<String>> batches(List<String> all) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_BATCH) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_BATCH)));
        }
        return out;
    }
}
