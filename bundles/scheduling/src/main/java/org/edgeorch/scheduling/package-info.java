/**
 * Maintenance windows: when a host may be disrupted (OS update, reboot, application rollout).
 *
 * <p>A {@link org.edgeorch.scheduling.MaintenanceWindow} is either a single stretch of time or a
 * repeated one (cron in a time zone, with a duration). {@link org.edgeorch.scheduling.MaintenanceWindows}
 * answers whether a window, or any of a host's windows, is open at a given instant and when one opens
 * next. Every query takes the instant explicitly; nothing here reads the system clock.
 */
@Export
@Version("0.1.0")
package org.edgeorch.scheduling;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
