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

    @AttributeDefinition(description = "Seconds between syncs asked of the hosts of a rollout's running and imminent waves"
            + " (instead of the sync interval), so each learns of its update within seconds; 0 turns it off")
    int rolloutSyncSeconds() default 2;

    @AttributeDefinition(description = "Waves beyond the first two imminent ones are hinted while their hosts add up to no more than this")
    int rolloutSyncHosts() default 1000;

    @AttributeDefinition(description = "Hinted syncs per second aimed at: large waves are told a longer next sync"
            + " (hosts of the hinted waves up to the host's own / this), never shorter than rolloutSyncSeconds")
    int rolloutSyncRate() default 250;

    @AttributeDefinition(description = "Minutes after its creation a READY rollout's first waves count as imminent (their hosts"
            + " sync every rolloutSyncSeconds so that they learn of the start within seconds)")
    int rolloutReadySyncMinutes() default 10;

    @AttributeDefinition(description = "Seconds before a wave's soak ends that the waves after it count as imminent")
    int rolloutSoakLeadSeconds() default 60;

    @AttributeDefinition(description = "Minutes a host has, from its first maintenance window, to finish an update its policy asked for")
    int policyTimeoutMinutes() default 120;

    @AttributeDefinition(description = "Minutes before a policy's update that failed on a host is tried again")
    int policyRetryMinutes() default 60;
}
