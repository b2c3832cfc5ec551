package org.edgeorch.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.edgeorch.store.Database;

/**
 * This orchestrator's row in {@code orchestrator_instance}. Written with plain UPDATE-then-INSERT so
 * the same SQL runs on Derby and PostgreSQL.
 */
final class InstanceRegistry {

    /** Rows of instances silent for longer than this are removed. */
    static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final Database db;
    private final String instanceId;
    private final String hostname;
    private final String version;
    private final Instant startedAt;
    private final Clock clock;

    InstanceRegistry(Database db, String instanceId, String hostname, String version, Clock clock) {
        this.db = db;
        this.instanceId = instanceId;
        this.hostname = hostname;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    void heartbeat() {
        Timestamp now = Timestamp.from(clock.instant());
        db.inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE orchestrator_instance SET heartbeat_at = ? WHERE instance_id = ?")) {
                up.setTimestamp(1, now);
                up.setString(2, instanceId);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement in = c.prepareStatement("INSERT INTO orchestrator_instance"
                            + " (instance_id, hostname, version, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)")) {
                        in.setString(1, instanceId);
                        in.setString(2, hostname);
                        in.setString(3, version);
                        in.setTimestamp(4, Timestamp.from(startedAt));
                        in.setTimestamp(5, now);
                        in.executeUpdate();
                    }
                }
            }
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM orchestrator_instance WHERE heartbeat_at < ?")) {
                del.setTimestamp(1, Timestamp.from(clock.instant().minus(FORGET_AFTER)));
                del.executeUpdate();
            }
            return null;
        });
    }

    /** How many instances (this one included) sent a heartbeat within {@code window}. */
    int liveInstances(Duration window) {
        return db.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT COUNT(*) FROM orchestrator_instance WHERE heartbeat_at >= ?")) {
                q.setTimestamp(1, Timestamp.from(clock.instant().minus(window)));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    void remove() {
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM orchestrator_instance WHERE instance_id = ?")) {
                del.setString(1, instanceId);
                return del.executeUpdate();
            }
        });
    }

    String instanceId() {
        return instanceId;
    }
}
