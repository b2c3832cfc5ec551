/**
 * Maintenance windows and update policies: when a host may be disrupted (OS update, reboot, application rollout)
 * and what OS it should run.
 *
 * <p>The window model and its evaluation ({@link org.edgeorch.windows.MaintenanceWindow},
 * {@link org.edgeorch.windows.MaintenanceWindows}) live in the shared library bundle {@code org.edgeorch.windows},
 * which the node's agent uses as well.
 *
 * <p>{@link org.edgeorch.scheduling.ScheduleService} attaches named windows and update policies to a project's
 * regions, sites, clusters and hosts for operators; {@link org.edgeorch.scheduling.HostSchedules} tells the system
 * what each host inherits from them: its windows, and the {@link org.edgeorch.scheduling.DesiredVersion} of its OS.
 */
@Export
@Version("0.3.0")
package org.edgeorch.scheduling;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
