package org.edgeorch.scheduling.internal.rollout;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The rollout side of {@code etc/org.edgeorch.scheduling.cfg}. Read by the rollout components without a
 * {@code @Designate} of their own: the PID is shared with the rest of the scheduling bundle.
 */
@ObjectClassDefinition(name = "Edge Orchestrator rollouts", description = "How often rollouts are reconciled, and update runs of policies")
public @interface RolloutConfig {

    String PID = "org.edgeorch.scheduling";

    @AttributeDefinition(description = "Seconds between two reconciliations of the running rollouts (waves, thresholds, timeouts)")
    int reconcileSeconds() default 5;

    @AttributeDefinition(description = "Minutes a host has, from its first maintenance window, to finish an update its policy asked for")
    int policyTimeoutMinutes() default 120;

    @AttributeDefinition(description = "Minutes before a policy's update that failed on a host is tried again")
    int policyRetryMinutes() default 60;
}
