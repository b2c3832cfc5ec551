package org.edgeorch.scheduling.internal.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.edgeorch.fleet.UpdateChannel;
import org.edgeorch.release.OsCatalog;
import org.edgeorch.release.OsCatalog.OsImage;
import org.edgeorch.scheduling.DesiredVersion;
import org.edgeorch.scheduling.HostSchedules;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.Southbound;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.spi.southbound.WindowSpec;
import org.edgeorch.store.DataAccessException;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.EventPublisher;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling side of every host's sync. What the host should run, in this order:
 * <ol>
 * <li>its unfinished update run, made by a rollout (RUNNING, or PAUSED: a paused rollout keeps hosts already under
 * way) or by its policy;</li>
 * <li>the version its update policy wants ({@link HostSchedules#desired}): if the host runs it, that version with no
 * run (steady state); if not, a new policy run, unless a rollout holds the host, or a policy run to that version
 * failed less than {@code policyRetryMinutes} ago;</li>
 * <li>otherwise nothing ({@code os} null).</li>
 * </ol>
 * Reads are by primary key (the host's active run, reported version and rollout claim), since this runs for every
 * sync of every host.
 */
@Component(service = UpdateChannel.class, configurationPid = RolloutConfig.PID)
public class UpdateChannelImpl implements UpdateChannel {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateChannelImpl.class);

    private final Database db;
    private final OsCatalog catalog;
    private final HostSchedules schedules;
    private final Clock clock;
    private final Duration policyTimeout;
    private final Duration policyRetry;
    private final SyncHints hints;

    @Activate
    public UpdateChannelImpl(@Reference Database db, @Reference OsCatalog catalog, @Reference HostSchedules schedules,
                             RolloutConfig config) {
        this(db, catalog, schedules, Clock.systemUTC(), Duration.ofMinutes(config.policyTimeoutMinutes()),
                Duration.ofMinutes(config.policyRetryMinutes()), new SyncHints(config.rolloutSyncSeconds(),
                        config.rolloutSyncHosts(), config.rolloutSyncRate(), Duration.ofMinutes(config.rolloutReadySyncMinutes()),
                        Duration.ofSeconds(config.rolloutSoakLeadSeconds())));
    }

    /** With the shipped hint settings but {@code rolloutSyncSeconds}. */
    UpdateChannelImpl(Database db, OsCatalog catalog, HostSchedules schedules, Clock clock, Duration policyTimeout,
                      Duration policyRetry, int rolloutSyncSeconds) {
        this(db, catalog, schedules, clock, policyTimeout, policyRetry,
                new SyncHints(rolloutSyncSeconds, 1000, 250, Duration.ofMinutes(10), Duration.ofSeconds(60)));
    }

    UpdateChannelImpl(Database db, OsCatalog catalog, HostSchedules schedules, Clock clock, Duration policyTimeout,
                      Duration policyRetry, SyncHints hints) {
        this.hints = hints;
        if (policyTimeout.isNegative() || policyTimeout.isZero() || policyRetry.isNegative()) {
            throw new IllegalArgumentException("policyTimeoutMinutes must be 1 or more and policyRetryMinutes 0 or more");
        }
        this.db = db;
        this.catalog = catalog;
        this.schedules = schedules;
        this.clock = clock;
        this.policyTimeout = policyTimeout;
        this.policyRetry = policyRetry;
    }

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

    @Override
    public void reported(String projectId, String hostId, String osVersion, UpdateReport update) {
        Instant now = clock.instant();
        try {
            record(projectId, hostId, osVersion, update, now);
        } catch (DataAccessException e) {
            // Two syncs of one host at once both inserting its first version: the second finds the row on its retry.
            record(projectId, hostId, osVersion, update, now);
        }
    }

    private void record(String projectId, String hostId, String osVersion, UpdateReport update, Instant now) {
        db.inTransaction(c -> {
            if (osVersion != null) {
                UpdateRuns.storeVersion(c, projectId, hostId, osVersion, now);
            }
            if (update != null) {
                UpdateRuns.apply(c, hostId, osVersion != null ? osVersion : UpdateRuns.hostVersion(c, hostId), update, now,
                        events);
            }
            return null;
        });
    }

    @Override
    public HostUpdates updatesFor(String projectId, String hostId) {
        HostUpdates planned = planned(projectId, hostId);
        int hint = hints.enabled() ? advisoryHint(hostId) : 0;
        return hint == 0 ? planned : new HostUpdates(planned.os(), planned.windows(), hint);
    }

    /**
     * The next-sync hint of a host a READY or RUNNING rollout holds ({@link SyncHints}): one lookup of its claim, rollout
     * and wave by primary keys, and for a claimed host the rollout's few wave rows; hosts of no rollout cost the first
     * lookup only.
     */
    private int advisoryHint(String hostId) {
        try {
            return hint(hostId);
        } catch (DataAccessException e) {
            if (!e.concurrencyConflict()) {
                throw e;
            }
            // The reconciler finishing or aborting this host's rollout holds the rollout row and deletes the claims while
            // this lookup holds a claim and waits for the rollout: the database picks one victim. The hint only shortens
            // the next sync, so the host keeps its interval instead of failing the sync.
            LOG.debug("no next-sync hint for host {} this time: {}", hostId, e.getMessage());
            return 0;
        }
    }

    private int hint(String hostId) {
        return db.inTransaction(c -> {
            Optional<Object[]> claim = Sql.one(c, "SELECT r.id, r.state, r.created_at, r.current_wave, h.wave_number"
                    + " FROM rollout_claim c JOIN rollout r ON r.id = c.rollout_id"
                    + " JOIN rollout_host h ON h.rollout_id = c.rollout_id AND h.host_id = c.host_id"
                    + " WHERE c.host_id = ? AND r.state IN (?, ?)", rs -> new Object[] {rs.getString(1),
                    RolloutState.valueOf(rs.getString(2)), Sql.instant(rs, 3), rs.getInt(4), rs.getInt(5)},
                    hostId, RolloutState.READY, RolloutState.RUNNING);
            if (claim.isEmpty()) {
                return 0;
            }
            Object[] r = claim.get();
            List<SyncHints.WaveRow> waves = Sql.list(c, "SELECT wave_number, host_count, state, soak_until FROM rollout_wave"
                    + " WHERE rollout_id = ? ORDER BY wave_number", rs -> new SyncHints.WaveRow(rs.getInt(1), rs.getInt(2),
                    WaveState.valueOf(rs.getString(3)), Sql.instant(rs, 4)), r[0]);
            return hints.hint((RolloutState) r[1], (Instant) r[2], (Integer) r[3], waves, (Integer) r[4], clock.instant());
        });
    }

    private HostUpdates planned(String projectId, String hostId) {
        List<WindowSpec> windows = schedules.windowSpecs(hostId);
        Instant now = clock.instant();
        Optional<UpdateRuns.Run> active = db.inTransaction(c -> UpdateRuns.active(c, hostId));
        if (active.isPresent()) {
            Optional<DesiredOs> os = fromRun(projectId, active.get(), now);
            if (os.isPresent()) {
                return new HostUpdates(os.get(), windows);
            }
        }
        Optional<DesiredVersion> wanted = schedules.desired(projectId, hostId);
        if (wanted.isEmpty()) {
            return new HostUpdates(null, windows);
        }
        DesiredVersion desired = wanted.get();
        Optional<OsImage> image = catalog.resource(projectId, desired.profile(), desired.version());
        if (image.isEmpty()) {
            return new HostUpdates(null, windows);
        }
        String running = db.inTransaction(c -> UpdateRuns.hostVersion(c, hostId));
        if (desired.version().equals(running)) {
            return new HostUpdates(desiredOs(null, image.get(), null), windows);
        }
        return new HostUpdates(policyRun(projectId, hostId, desired, running, now)
                .flatMap(run -> fromRun(projectId, run, now)).orElse(null), windows);
    }

    /** The desired OS of an unfinished run; empty when it can no longer be offered (the run then fails). */
    private Optional<DesiredOs> fromRun(String projectId, UpdateRuns.Run run, Instant now) {
        if (run.rolloutId() != null && run.rolloutState() != RolloutState.RUNNING && run.rolloutState() != RolloutState.PAUSED) {
            return Optional.empty();
        }
        Optional<OsImage> image = catalog.resource(projectId, run.osProfile(), run.toVersion());
        if (image.isEmpty()) {
            db.inTransaction(c -> UpdateRuns.finish(c, run.id(), UpdateStatus.FAILED, UpdateFailure.OTHER, "OS resource "
                    + run.osProfile() + " " + run.toVersion() + " is no longer offered to the project (withdrawn or removed)", now,
                    events));
            return Optional.empty();
        }
        Instant deadline = run.deadline() != null ? run.deadline()
                : db.inTransaction(c -> UpdateRuns.fixDeadline(c, run, schedules.windows(run.hostId()), now));
        return Optional.of(desiredOs(run.id(), image.get(), deadline));
    }

    /**
     * The host's unfinished run after making its policy run to the desired version, made now unless a rollout holds the host or one to that version
     * failed lately. Idempotent: two syncs (or orchestrators) at once make one run, the key of
     * {@code update_run_active} refusing the second.
     */
    private Optional<UpdateRuns.Run> policyRun(String projectId, String hostId, DesiredVersion desired, String running,
                                               Instant now) {
        boolean blocked = db.inTransaction(c -> {
            if (Sql.string(c, "SELECT rollout_id FROM rollout_claim WHERE host_id = ?", hostId) != null) {
                return true;
            }
            Instant lastFailure = Sql.list(c, "SELECT MAX(finished_at) FROM update_run WHERE host_id = ? AND rollout_id IS NULL"
                    + " AND to_version = ? AND status <> ?", rs -> Sql.instant(rs, 1), hostId, desired.version(),
                    UpdateStatus.SUCCEEDED).get(0);
            return lastFailure != null && now.isBefore(lastFailure.plus(policyRetry));
        });
        if (blocked) {
            return Optional.empty();
        }
        Instant opening = UpdateRuns.windowOpening(schedules.windows(hostId), now);
        String id = UUID.randomUUID().toString();
        try {
            db.inTransaction(c -> {
                if (UpdateRuns.active(c, hostId).isEmpty()) {
                    String name = Sql.string(c, "SELECT name FROM host WHERE id = ?", hostId);
                    UpdateRuns.insertQueued(c, id, projectId, hostId, name == null ? hostId : name, null, null,
                            desired.profile(), running, desired.version(), truncate(desired.policySource()), policyTimeout,
                            opening, now);
                    RolloutEvents.run(c, events, id, null);
                }
                return null;
            });
        } catch (DataAccessException e) {
            LOG.debug("Another sync made host {}'s policy run first: {}", hostId, e.getMessage());
        }
        return db.inTransaction(c -> UpdateRuns.active(c, hostId));
    }

    static DesiredOs desiredOs(String runId, OsImage image, Instant deadline) {
        List<String> urls = new ArrayList<>();
        urls.add(Southbound.IMAGES + image.imageDigest());
        if (image.registryUrl() != null) {
            urls.add(image.registryUrl());
        }
        return new DesiredOs(runId, image.profile(), image.version(), image.imageDigest(), image.imageSize(), urls,
                image.releaseManifest(), image.signature(), deadline == null ? 0 : deadline.toEpochMilli());
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 255 ? s : s.substring(0, 254) + "…";
    }
}
