/**
 * Deterministic simulated hardware: {@link org.edgeorch.plugin.simulated.SimulatedHardware#forHost(long)}
 * turns a seed into a plausible host inventory, so thousands of simulated hosts fit in one JVM.
 */
@Export
@Version("1.0.0")
package org.edgeorch.plugin.simulated;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
