package org.edgeorch.scheduling.internal.rollout;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The rollout settings in {@code etc/org.edgeorch.scheduling.cfg} (all optional). Designated by {@link RolloutRoutes};
 * {@link UpdateChannelImpl} reads the same PID. Should windows and policies get settings of their own, they belong
 * in this one definition, since a PID has one.
 */
@ObjectClassDefinition(name = "Edge Orchestrator rollouts", description = "How often rollouts are reconciled, and update runs of policies")
public @interface RolloutConfig {

    String PID = "org.edgeorch.scheduling";

    @AttributeDefinition(description = "Seconds between two reconciliations of the running rollouts (waves, thresholds, timeouts)")
    int reconcileSeconds() default 2;

    @AttributeDefinition(description = "Seconds between syncs asked of the hosts in a rollout's running wave and the wave"
            + " after it (instead of the sync interval), so each learns of its update within seconds; 0 turns it off")
    int rolloutSyncSeconds() default 2;

    @AttributeDefinition(description = "Minutes a host has, from its first maintenance window, to finish an update its policy asked for")
    int policyTimeoutMinutes() default 120;

    @AttributeDefinition(description = "Minutes before a policy's update that failed on a host is tried again")
    int policyRetryMinutes() default 60;
}
