package org.edgeorch.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Leader election for singleton jobs (release polling, liveness sweep, audit purge, rollout reconciling, alert
 * evaluation) among every orchestrator sharing one database: one lease row per job name in {@code leader_lease},
 * taken and renewed with conditional UPDATEs. A takeover of an expired lease increments the job's fencing token;
 * {@link #runAsLeader(String, SqlWork)} checks holder and token inside the write's own transaction, so a leader
 * that paused past its lease (a GC pause, a partition) cannot write after its successor took over.
 *
 * <p>A job's lease is asked for on the first {@link #isLeader(String)} and renewed every third of the lease
 * period from then on; the leader thinks itself leader for two thirds of the period after a renewal, the others
 * take over once the whole period has passed without one, so a killed leader is replaced within
 * {@code leaseSeconds * 4 / 3}. A stopping orchestrator hands its leases back at once.
 */
@ProviderType
public interface LeaderLeases {

    /** Whether this orchestrator holds {@code job}'s lease now (asks for it on the first call for a job). */
    boolean isLeader(String job);

    /** The fencing token of {@code job}'s lease while this orchestrator holds it. */
    OptionalLong token(String job);

    /**
     * Runs {@code work} in one transaction, fenced: only when this orchestrator holds {@code job}'s lease with
     * the token it took it with. The lease row stays locked until the work commits, so a takeover waits for it
     * and every later write by this instance fails the check.
     *
     * @return the work's result, or empty when this orchestrator is not the leader (nothing was run)
     * @throws DataAccessException when the work itself fails (rolled back)
     */
    <T> Optional<T> runAsLeader(String job, SqlWork<T> work);

    /**
     * The database as seen by {@code job}'s leader: every transaction of the view first checks, as
     * {@link #runAsLeader(String, SqlWork)} does, that this orchestrator holds the lease with the token it took it
     * with (locking the lease row until commit), for a job that writes in many transactions.
     *
     * @throws LeaseLostException from {@code inTransaction} when this orchestrator is not (or no longer) the
     *         leader; nothing of that transaction was written
     */
    Database fenced(String job);

    /** Every lease in the database, by job name. */
    List<Lease> leases();

    /** This orchestrator's instance id, as written in {@code holder}. */
    String instanceId();

    /** One job's lease as the database has it. */
    record Lease(String job, String holder, String holderHost, long token, Instant acquiredAt, Instant expiresAt,
                 boolean mine, boolean expired) {
    }
}
