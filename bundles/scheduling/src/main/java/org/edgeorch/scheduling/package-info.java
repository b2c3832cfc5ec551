/**
 * Maintenance windows and update policies: when a host may be disrupted (OS update, reboot, application rollout)
 * and what OS it should run.
 *
 * <p>A {@link org.edgeorch.scheduling.MaintenanceWindow} is either a single stretch of time or a
 * repeated one (cron in a time zone, with a duration). {@link org.edgeorch.scheduling.MaintenanceWindows}
 * answers whether a window, or any of a host's windows, is open at a given instant and when one opens
 * next. Every query takes the instant explicitly; nothing here reads the system clock.
 *
 * <p>{@link org.edgeorch.scheduling.ScheduleService} attaches named windows and update policies to a project's
 * regions, sites, clusters and hosts for operators; {@link org.edgeorch.scheduling.HostSchedules} tells the system
 * what each host inherits from them: its windows, and the {@link org.edgeorch.scheduling.DesiredVersion} of its OS.
 */
@Export
@Version("0.2.0")
package org.edgeorch.scheduling;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
