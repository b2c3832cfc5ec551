/**
 * The platform update agent for immutable A/B operating systems: {@link org.edgeorch.agent.update.AbUpdater}
 * carries out the node's desired OS through an A/B OS plugin ({@link org.edgeorch.spi.ab}), verifying the release
 * with {@link org.edgeorch.agent.update.ReleaseVerifier}.
 */
@Export
@Version("1.0.0")
package org.edgeorch.agent.update;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
