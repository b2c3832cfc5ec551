/**
 * Rollouts in waves and the update runs they make: {@link org.edgeorch.scheduling.rollout.RolloutService} and the
 * records and states in {@link org.edgeorch.scheduling.rollout.Rollouts}.
 */
@Export
@Version("1.0.0")
package org.edgeorch.scheduling.rollout;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
