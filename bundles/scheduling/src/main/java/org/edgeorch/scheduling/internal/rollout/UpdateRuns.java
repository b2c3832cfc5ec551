package org.edgeorch.scheduling.internal.rollout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.windows.MaintenanceWindows;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.UpdateRun;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.EventPublisher;

/**
 * The update runs in the database: made by waves and policies, moved by hosts' reports, timed out by the
 * reconciler. The rules that make them safe with several orchestrators and hosts that resend old reports:
 * <ul>
 * <li>a host has at most one unfinished run: its {@code update_run_active} row, keyed by host, inserted with the run
 * and deleted when the run finishes;</li>
 * <li>every change is a conditional UPDATE on the status read, and a finished run is never changed again;</li>
 * <li>unfinished statuses only move forward (a replayed DOWNLOADING after INSTALLING is ignored); a report for a
 * run that is not the host's, or unknown, is ignored;</li>
 * <li>SUCCEEDED counts only when the host runs the target version; until then the run is VERIFYING.</li>
 * </ul>
 */
final class UpdateRuns {

    static final int MAX_DETAIL = 1000;

    /** A run as stored, with its rollout's name and state (null for a policy's run). */
    record Run(String id, String projectId, String hostId, String hostName, String rolloutId, String rolloutName,
               RolloutState rolloutState, Integer wave, String osProfile, String fromVersion, String toVersion,
               UpdateStatus status, UpdateFailure failure, String detail, int progress, String policySource,
               long hostTimeoutSeconds, Instant windowOpensAt, Instant deadline, Instant createdAt, Instant startedAt,
               Instant updatedAt, Instant finishedAt) {

        UpdateRun toApi() {
            return new UpdateRun(id, hostName, rolloutName, wave, osProfile, fromVersion, toVersion, status, failure, detail,
                    progress, policySource, createdAt, startedAt, updatedAt, finishedAt, deadline);
        }
    }

    static final String SELECT = "SELECT r.id, r.project_id, r.host_id, r.host_name, r.rollout_id, ro.name, ro.state,"
            + " r.wave_number, r.os_profile, r.from_version, r.to_version, r.status, r.failure, r.detail, r.progress,"
            + " r.policy_source, r.host_timeout_seconds, r.window_opens_at, r.deadline, r.created_at, r.started_at,"
            + " r.updated_at, r.finished_at FROM update_run r LEFT JOIN rollout ro ON ro.id = r.rollout_id";

    private UpdateRuns() {
    }

    static Run map(ResultSet rs) throws SQLException {
        String failure = rs.getString(13);
        String rolloutState = rs.getString(7);
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rolloutState == null ? null : RolloutState.valueOf(rolloutState), (Integer) rs.getObject(8), rs.getString(9),
                rs.getString(10), rs.getString(11), UpdateStatus.valueOf(rs.getString(12)),
                failure == null ? null : UpdateFailure.valueOf(failure), rs.getString(14), rs.getInt(15), rs.getString(16),
                rs.getLong(17), Sql.instant(rs, 18), Sql.instant(rs, 19), Sql.instant(rs, 20), Sql.instant(rs, 21),
                Sql.instant(rs, 22), Sql.instant(rs, 23));
    }

    static Optional<Run> byId(Connection c, String id) throws SQLException {
        return Sql.one(c, SELECT + " WHERE r.id = ?", UpdateRuns::map, id);
    }

    /** The host's unfinished run, if any. */
    static Optional<Run> active(Connection c, String hostId) throws SQLException {
        return Sql.one(c, SELECT + " JOIN update_run_active a ON a.run_id = r.id WHERE a.host_id = ?", UpdateRuns::map, hostId);
    }

    /** The OS version the host last reported, or null. */
    static String hostVersion(Connection c, String hostId) throws SQLException {
        return Sql.string(c, "SELECT version FROM host_os WHERE host_id = ?", hostId);
    }

    /** Records the version the host runs; writes only when it changed. */
    static void storeVersion(Connection c, String projectId, String hostId, String version, Instant now) throws SQLException {
        String known = hostVersion(c, hostId);
        if (known == null) {
            Sql.update(c, "INSERT INTO host_os (host_id, project_id, version, reported_at) VALUES (?, ?, ?, ?)",
                    hostId, projectId, version, now);
        } else if (!known.equals(version)) {
            Sql.update(c, "UPDATE host_os SET version = ?, reported_at = ? WHERE host_id = ?", version, now, hostId);
        }
    }

    /**
     * A new QUEUED run and its claim on the host. Fails on the key of {@code update_run_active} if the host has an
     * unfinished run already (another orchestrator was first): the caller's transaction then rolls back.
     */
    static void insertQueued(Connection c, String id, String projectId, String hostId, String hostName, String rolloutId,
                             Integer wave, String osProfile, String fromVersion, String toVersion, String policySource,
                             Duration hostTimeout, Instant windowOpensAt, Instant now) throws SQLException {
        Instant deadline = windowOpensAt.isAfter(now) ? null : windowOpensAt.plus(hostTimeout);
        Sql.update(c, "INSERT INTO update_run (id, project_id, host_id, host_name, rollout_id, wave_number, os_profile,"
                        + " from_version, to_version, status, progress, policy_source, host_timeout_seconds, window_opens_at,"
                        + " deadline, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
                id, projectId, hostId, hostName, rolloutId, wave == null ? new Sql.Null(Types.INTEGER) : wave, osProfile,
                fromVersion, toVersion, UpdateStatus.QUEUED, policySource, hostTimeout.toSeconds(), windowOpensAt,
                deadline == null ? new Sql.Null(Types.TIMESTAMP) : deadline, now, now);
        Sql.update(c, "INSERT INTO update_run_active (host_id, run_id) VALUES (?, ?)", hostId, id);
    }

    /** A run that is over before it began: the host already runs the target version. */
    static void insertAlreadyOnTarget(Connection c, String id, String projectId, String hostId, String hostName,
                                      String rolloutId, int wave, String osProfile, String version, Duration hostTimeout,
                                      Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO update_run (id, project_id, host_id, host_name, rollout_id, wave_number, os_profile,"
                        + " from_version, to_version, status, detail, progress, host_timeout_seconds, window_opens_at,"
                        + " created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 100, ?, ?, ?, ?, ?)",
                id, projectId, hostId, hostName, rolloutId, wave, osProfile, version, version, UpdateStatus.SUCCEEDED,
                "already on target", hostTimeout.toSeconds(), now, now, now, now);
    }

    /**
     * Ends an unfinished run (timeout, abort, supersession, withdrawn release). Returns false when it had already
     * finished: another orchestrator, or the host's own report, was first.
     */
    static boolean finish(Connection c, String runId, UpdateStatus status, UpdateFailure failure, String detail, Instant now,
                          EventPublisher events) throws SQLException {
        String previous = events == null ? null : Sql.string(c, "SELECT status FROM update_run WHERE id = ?", runId);
        int n = Sql.update(c, "UPDATE update_run SET status = ?, failure = ?, detail = ?, updated_at = ?, finished_at = ?"
                + " WHERE id = ? AND finished_at IS NULL", status, failure, truncate(detail), now, now, runId);
        if (n == 1) {
            Sql.update(c, "DELETE FROM update_run_active WHERE run_id = ?", runId);
            RolloutEvents.run(c, events, runId, previous);
        }
        return n == 1;
    }

    /**
     * Applies a host's report to its run. {@code runningVersion} is what the host runs now (reported in the same
     * sync, or stored before). Returns the run as it is afterwards, empty when the report was ignored.
     */
    static Optional<UpdateStatus> apply(Connection c, String hostId, String runningVersion, UpdateReport report, Instant now,
                                        EventPublisher events) throws SQLException {
        if (report.runId() == null || report.status() == null) {
            return Optional.empty();
        }
        Optional<Run> found = byId(c, report.runId());
        if (found.isEmpty() || !found.get().hostId().equals(hostId) || found.get().status().finished()) {
            return Optional.empty();
        }
        Run run = found.get();
        UpdateStatus status = report.status();
        String detail = report.detail();
        if (status == UpdateStatus.SUCCEEDED && !run.toVersion().equals(runningVersion)) {
            status = UpdateStatus.VERIFYING;
            detail = "reported SUCCEEDED while running " + (runningVersion == null ? "an unknown version" : runningVersion)
                    + ", not " + run.toVersion() + ": not counted until the host runs the target version";
        }
        if (!status.finished() && status.ordinal() < run.status().ordinal()) {
            return Optional.empty();
        }
        UpdateFailure failure = null;
        if (status.finished() && status != UpdateStatus.SUCCEEDED) {
            failure = report.failure() != null ? report.failure()
                    : status == UpdateStatus.TIMED_OUT ? UpdateFailure.TIMEOUT : UpdateFailure.OTHER;
        }
        Instant started = run.startedAt() == null && status != UpdateStatus.QUEUED ? now : run.startedAt();
        int progress = Math.max(0, Math.min(100, report.progress()));
        int n = Sql.update(c, "UPDATE update_run SET status = ?, failure = ?, detail = ?, progress = ?, started_at = ?,"
                        + " updated_at = ?, finished_at = ? WHERE id = ? AND status = ? AND finished_at IS NULL",
                status, failure, truncate(detail), progress, started == null ? new Sql.Null(Types.TIMESTAMP) : started, now,
                status.finished() ? now : new Sql.Null(Types.TIMESTAMP), run.id(), run.status());
        if (n == 0) {
            return Optional.empty();
        }
        if (status.finished()) {
            Sql.update(c, "DELETE FROM update_run_active WHERE run_id = ?", run.id());
        }
        if (status != run.status()) {
            RolloutEvents.run(c, events, run.id(), run.status());
        }
        return Optional.of(status);
    }

    /**
     * When the run's per-host timeout starts counting: the first moment at or after {@code queuedAt} that the host is
     * inside one of its windows; {@code queuedAt} itself when it has none, or when none will ever open again (so such
     * a run times out rather than waiting for good).
     */
    static Instant windowOpening(List<? extends MaintenanceWindow> windows, Instant queuedAt) {
        if (windows.isEmpty()) {
            return queuedAt;
        }
        return MaintenanceWindows.nextOpening(windows, queuedAt).orElse(queuedAt);
    }

    /**
     * Sets the run's deadline once its window opening has passed, from the host's windows as they are now (they may
     * have changed since the run was queued). Returns the deadline, null while the opening is still ahead.
     */
    static Instant fixDeadline(Connection c, Run run, List<? extends MaintenanceWindow> windows, Instant now)
            throws SQLException {
        if (run.deadline() != null) {
            return run.deadline();
        }
        Instant opening = windowOpening(windows, run.createdAt());
        if (opening.isAfter(now)) {
            if (!opening.equals(run.windowOpensAt())) {
                Sql.update(c, "UPDATE update_run SET window_opens_at = ? WHERE id = ? AND deadline IS NULL", opening, run.id());
            }
            return null;
        }
        Instant deadline = opening.plusSeconds(run.hostTimeoutSeconds());
        Sql.update(c, "UPDATE update_run SET window_opens_at = ?, deadline = ? WHERE id = ? AND deadline IS NULL",
                opening, deadline, run.id());
        return deadline;
    }

    static String truncate(String detail) {
        return detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 1) + "…";
    }
}
