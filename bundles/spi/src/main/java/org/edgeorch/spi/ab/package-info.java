/**
 * Boot selection for an immutable A/B operating system, as RAUC does it: the new image is written into
 * the slot that is not running ({@link org.edgeorch.spi.ab.SlotDevice}), the bootloader is told to try
 * it exactly once ({@link org.edgeorch.spi.ab.AbBootloader#armTrial}), the host reboots
 * ({@link org.edgeorch.spi.ab.Rebooter}), and the slot becomes the primary only when the update agent,
 * after its health checks, commits it. If the trial boot fails, the bootloader falls back to the other
 * slot on its own. {@link org.edgeorch.spi.ab.PathSlotDevice} and {@link org.edgeorch.spi.ab.CommandRebooter} are
 * the parts every OS plugin shares.
 */
@Export
@Version("1.1.0")
package org.edgeorch.spi.ab;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
