package org.edgeorch.scheduling.internal.rollout;

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
}
