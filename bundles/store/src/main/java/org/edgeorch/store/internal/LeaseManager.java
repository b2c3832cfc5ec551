package org.edgeorch.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.edgeorch.store.DataAccessException;
import org.edgeorch.store.Database;
import org.edgeorch.store.DatabaseKind;
import org.edgeorch.store.LeaseLostException;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.Sql;
import org.edgeorch.store.SqlWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderLeases} on the {@code leader_lease} table, with the same SQL on Derby and PostgreSQL. Times are
 * this orchestrator's clock: instances sharing a database are expected to keep their clocks in step (NTP); a
 * third of the lease period is the margin for skew.
 */
final class LeaseManager implements LeaderLeases {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseManager.class);
    private static final Pattern JOB = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    private record Held(long token, Instant validUntil) {
    }

    private final Database db;
    private final String instanceId;
    private final String hostname;
    private final Duration period;
    private final Clock clock;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    LeaseManager(Database db, String instanceId, String hostname, Duration period, Clock clock) {
        if (period.toMillis() < 300) {
            throw new IllegalArgumentException("the lease period must be 300 ms or more, not " + period);
        }
        this.db = db;
        this.instanceId = instanceId;
        this.hostname = hostname.length() > 255 ? hostname.substring(0, 255) : hostname;
        this.period = period;
        this.clock = clock;
    }

    /** How often {@link #renewAll()} should run: a third of the lease period. */
    Duration renewEvery() {
        return period.dividedBy(3);
    }

    @Override
    public boolean isLeader(String job) {
        checkJob(job);
        if (wanted.add(job)) {
            renew(job);
        }
        return valid(job) != null;
    }

    @Override
    public OptionalLong token(String job) {
        checkJob(job);
        Held h = valid(job);
        return h == null ? OptionalLong.empty() : OptionalLong.of(h.token());
    }

    @Override
    public <T> Optional<T> runAsLeader(String job, SqlWork<T> work) {
        if (!isLeader(job)) {
            return Optional.empty();
        }
        long token = held.get(job).token();
        Optional<T> out = db.inTransaction(c -> {
            // Locks the lease row until commit: a takeover (an UPDATE of the same row) waits for this work.
            if (Sql.update(c, "UPDATE leader_lease SET token = token WHERE job = ? AND holder = ? AND token = ?",
                    job, instanceId, token) == 0) {
                return null;
            }
            return Optional.ofNullable(work.run(c));
        });
        if (out == null) {
            held.remove(job);
            LOG.warn("Lease {} was taken over (token {} is stale); the write was not made", job, token);
            return Optional.empty();
        }
        return out;
    }

    @Override
    public Database fenced(String job) {
        checkJob(job);
        return new Database() {
            @Override
            public DatabaseKind kind() {
                return db.kind();
            }

            @Override
            public DataSource dataSource() {
                return db.dataSource();
            }

            @Override
            public String schemaVersion() {
                return db.schemaVersion();
            }

            @Override
            public <T> T inTransaction(SqlWork<T> work) {
                if (!isLeader(job)) {
                    throw new LeaseLostException(job);
                }
                long token = held.get(job).token();
                return db.inTransaction(c -> {
                    if (Sql.update(c, "UPDATE leader_lease SET token = token WHERE job = ? AND holder = ? AND token = ?",
                            job, instanceId, token) == 0) {
                        held.remove(job);
                        LOG.warn("Lease {} was taken over (token {} is stale); the write was not made", job, token);
                        throw new LeaseLostException(job);
                    }
                    return work.run(c);
                });
            }
        };
    }

    @Override
    public List<Lease> leases() {
        Instant now = clock.instant();
        return db.inTransaction(c -> Sql.list(c, "SELECT job, holder, holder_host, token, acquired_at, expires_at"
                + " FROM leader_lease ORDER BY job", rs -> {
                    Instant expires = Sql.instant(rs, "expires_at");
                    return new Lease(rs.getString("job"), rs.getString("holder"), rs.getString("holder_host"),
                            rs.getLong("token"), Sql.instant(rs, "acquired_at"), expires,
                            instanceId.equals(rs.getString("holder")), !expires.isAfter(now));
                }));
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    /** Renews or takes every lease asked for; run every {@link #renewEvery()}. */
    void renewAll() {
        for (String job : wanted) {
            renew(job);
        }
    }

    /** Hands this instance's leases back so that another instance takes them over without waiting. */
    void releaseAll() {
        held.clear();
        wanted.clear();
        try {
            db.inTransaction(c -> Sql.update(c, "UPDATE leader_lease SET expires_at = ? WHERE holder = ?",
                    clock.instant().minusMillis(1), instanceId));
        } catch (DataAccessException e) {
            LOG.debug("Could not hand the leases back; they expire by themselves", e);
        }
    }

    private synchronized void renew(String job) {
        Instant now = clock.instant();
        Held before = held.get(job);
        long token;
        try {
            token = db.inTransaction(c -> acquireOrRenew(c, job, before, now));
        } catch (DataAccessException e) {
            // A concurrent first INSERT loses on the primary key; a database blip loses this round. Either
            // way this instance stops acting as leader until a renewal succeeds.
            LOG.debug("Lease {}: renewal failed: {}", job, e.getMessage());
            token = -1;
        }
        if (token < 0) {
            if (held.remove(job) != null) {
                LOG.warn("Lost the lease of {}; another orchestrator leads it now", job);
            }
            return;
        }
        held.put(job, new Held(token, now.plus(period.minus(renewEvery()))));
        if (before == null || before.token() != token) {
            LOG.info("This orchestrator ({}) leads {} now, fencing token {}", instanceId, job, token);
        }
    }

    private long acquireOrRenew(Connection c, String job, Held before, Instant now) throws SQLException {
        Instant expires = now.plus(period);
        if (before != null && Sql.update(c, "UPDATE leader_lease SET expires_at = ? WHERE job = ? AND holder = ? AND token = ?",
                expires, job, instanceId, before.token()) == 1) {
            return before.token();
        }
        if (Sql.update(c, "UPDATE leader_lease SET holder = ?, holder_host = ?, token = token + 1, acquired_at = ?,"
                + " expires_at = ? WHERE job = ? AND expires_at < ?", instanceId, hostname, now, expires, job, now) == 1) {
            return Long.parseLong(Sql.string(c, "SELECT token FROM leader_lease WHERE job = ?", job));
        }
        if (Sql.string(c, "SELECT holder FROM leader_lease WHERE job = ?", job) == null) {
            Sql.update(c, "INSERT INTO leader_lease (job, holder, holder_host, token, acquired_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", job, instanceId, hostname, 1L, now, expires);
            return 1;
        }
        return -1;
    }

    private Held valid(String job) {
        Held h = held.get(job);
        return h != null && clock.instant().isBefore(h.validUntil()) ? h : null;
    }

    private static void checkJob(String job) {
        if (job == null || !JOB.matcher(job).matches()) {
            throw new IllegalArgumentException("a job name is 1-64 of a-z, 0-9, '.', '-', not " + job);
        }
    }
}
