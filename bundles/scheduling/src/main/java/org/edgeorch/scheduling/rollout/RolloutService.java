package org.edgeorch.scheduling.rollout;

import java.util.List;

import org.edgeorch.scheduling.rollout.Rollouts.Rollout;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutSpec;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.RunPage;
import org.edgeorch.scheduling.rollout.Rollouts.RunQuery;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Rollouts: a frozen set of a project's hosts moved to one OS version in ordered waves, each wave gated by its
 * success and failure thresholds, its soak time and a per-host timeout; and the update runs this makes, kept as
 * history. Reading needs PROJECT_READ, creating CONFIG_WRITE, starting, pausing, resuming and aborting OPERATE.
 * Refusals are {@link org.edgeorch.tenancy.TenancyException}s: NOT_FOUND, FORBIDDEN, CONFLICT (a transition the
 * rollout's state does not allow, saying which state it is in), INVALID with the field.
 *
 * <p>The rollout advances by itself: a timer reconciles every running rollout against what the database says its
 * hosts reported, on whichever orchestrator runs it, so a restarted or second orchestrator carries on where the
 * other stopped.
 */
@ProviderType
public interface RolloutService {

    /**
     * Resolves the hosts, assigns them to waves and records the rollout READY (CONFIG_WRITE). The version must
     * be an OS resource of the profile; a host may be in one unfinished rollout at a time (CONFLICT otherwise).
     */
    Rollout create(Caller caller, String project, RolloutSpec spec);

    /** The project's rollouts, newest first; {@code state} null for all. */
    List<Rollout> rollouts(Caller caller, String project, RolloutState state, int offset, int limit);

    /** One rollout with its waves and their counts. */
    Rollout rollout(Caller caller, String project, String name);

    /** READY to RUNNING: the first wave starts (OPERATE). */
    Rollout start(Caller caller, String project, String name);

    /** RUNNING to PAUSED: no further wave starts; runs under way carry on (OPERATE). */
    Rollout pause(Caller caller, String project, String name);

    /**
     * PAUSED to RUNNING (OPERATE). Resuming accepts what made the rollout pause: a wave that failed is left behind
     * and the next one starts; a wave whose failure threshold was crossed carries on, its failures so far accepted
     * (the threshold then applies to new failures, after a new minimum sample).
     */
    Rollout resume(Caller caller, String project, String name);

    /**
     * Stops the rollout for good (OPERATE): its unfinished runs become FAILED (ABORTED) and their hosts are no
     * longer told to install the target version; waves not over become ABORTED.
     */
    Rollout abort(Caller caller, String project, String name);

    /** The rollout's update runs by wave and host name, filtered by status and wave. */
    RunPage runs(Caller caller, String project, String name, RunQuery query);

    /** A host's update runs, newest first, from rollouts and from its update policy. */
    RunPage hostRuns(Caller caller, String project, String host, RunQuery query);
}
