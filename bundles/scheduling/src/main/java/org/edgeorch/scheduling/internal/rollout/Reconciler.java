package org.edgeorch.scheduling.internal.rollout;

import org.edgeorch.store.Database;

/** The reconciliation the timer route runs; internal, so only the route (and tests) call it. */
public interface Reconciler {

    /** What one pass did, for the log and tests. */
    record Pass(int deadlinesSet, int timedOut, int rolloutsAdvanced) {
    }

    /**
     * Brings every running rollout and every unfinished update run in line with the database, once. Idempotent and
     * safe to run on several orchestrators at once.
     */
    Pass reconcile();

    /**
     * The same, with every transaction run through {@code tx}: the route passes the {@code rollout-reconcile} lease's
     * fenced view ({@link org.edgeorch.store.LeaderLeases#fenced(String)}), so a leader that lost its lease mid-pass
     * writes nothing more; the pass then ends with {@link org.edgeorch.store.LeaseLostException}.
     */
    Pass reconcile(Database tx);
}
