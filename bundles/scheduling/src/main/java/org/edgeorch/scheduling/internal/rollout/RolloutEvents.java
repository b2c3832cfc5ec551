package org.edgeorch.scheduling.internal.rollout;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.edgeorch.store.Sql;
import org.edgeorch.store.event.Event;
import org.edgeorch.store.event.EventPublisher;
import org.edgeorch.store.event.EventType;

/**
 * The events of rollouts, waves and update runs, appended in the transaction that makes the change.
 *
 * <p>Rollouts and waves change in many steps (operators' calls, the reconciler's steps); rather than an event call
 * beside each UPDATE, a transaction on one rollout is bracketed by two {@link Snapshot}s (one row and its waves) and
 * their difference is published, so no state change can be missed.
 */
final class RolloutEvents {

    private RolloutEvents() {
    }

    /** A rollout's state and its waves' states at one moment of a transaction. */
    record Snapshot(String id, String projectId, String name, String state, String reason, Map<Integer, String> waves) {
    }

    static Snapshot snapshot(Connection c, String rolloutId) throws SQLException {
        if (rolloutId == null) {
            return null;
        }
        Optional<Snapshot> row = Sql.one(c, "SELECT project_id, name, state, state_reason FROM rollout WHERE id = ?",
                rs -> new Snapshot(rolloutId, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        new TreeMap<>()), rolloutId);
        if (row.isEmpty()) {
            return null;
        }
        Sql.list(c, "SELECT wave_number, state FROM rollout_wave WHERE rollout_id = ?",
                rs -> row.get().waves().put(rs.getInt(1), rs.getString(2)), rolloutId);
        return row.get();
    }

    /** Publishes what changed between two snapshots of one rollout (before may be null: the rollout is new). */
    static void publish(Connection c, EventPublisher events, Snapshot before, Snapshot after) throws SQLException {
        if (events == null || after == null) {
            return;
        }
        List<Event> out = new ArrayList<>();
        String previous = before == null ? null : before.state();
        if (!after.state().equals(previous)) {
            out.add(Event.of(after.projectId(), EventType.ROLLOUT_CHANGED, after.name(), after.state(), previous,
                    after.reason()));
        }
        for (Map.Entry<Integer, String> w : after.waves().entrySet()) {
            String was = before == null ? null : before.waves().get(w.getKey());
            if (was != null && !w.getValue().equals(was)) {
                out.add(Event.of(after.projectId(), EventType.WAVE_CHANGED, after.name(), w.getValue(), was,
                        "wave " + w.getKey() + " " + w.getValue()).with("wave", w.getKey()));
            }
        }
        if (!out.isEmpty()) {
            events.publish(c, out);
        }
    }

    /** The event of a run just made, from what its maker knows (no read back: a wave makes thousands at once). */
    static Event made(String projectId, String hostName, String runId, String rollout, Integer wave, String profile,
                      String version, Object status, String detail) {
        return Event.of(projectId, EventType.UPDATE_RUN_CHANGED, hostName, status, null, detail).with("run", runId)
                .with("rollout", rollout).with("wave", wave).with("osProfile", profile).with("version", version);
    }

    /** The event of an update run made or changed now ({@code previous} null when it was just made). */
    static void run(Connection c, EventPublisher events, String runId, Object previous) throws SQLException {
        if (events == null) {
            return;
        }
        Optional<UpdateRuns.Run> found = UpdateRuns.byId(c, runId);
        if (found.isEmpty() || previous != null && Objects.equals(previous.toString(), found.get().status().name())) {
            return;
        }
        UpdateRuns.Run r = found.get();
        events.publish(c, Event.of(r.projectId(), EventType.UPDATE_RUN_CHANGED, r.hostName(), r.status(), previous,
                        r.detail())
                .with("run", r.id()).with("rollout", r.rolloutName()).with("wave", r.wave())
                .with("osProfile", r.osProfile()).with("version", r.toVersion()).with("failure", r.failure()));
    }
}
