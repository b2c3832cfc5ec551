/**
 * Maintenance windows: when a host may be disrupted (OS update, reboot, application rollout).
 *
 * <p>A {@link org.edgeorch.windows.MaintenanceWindow} is either a single stretch of time or a
 * repeated one (cron in a time zone, with a duration). {@link org.edgeorch.windows.MaintenanceWindows}
 * answers whether a window, or any of a host's windows, is open at a given instant and when one opens
 * next. Every query takes the instant explicitly; nothing here reads the system clock.
 *
 * <p>A library shared by both runtimes: the orchestrator's scheduling bundle attaches windows to a project's
 * regions, sites, clusters and hosts, and the node's agent evaluates the windows it was sent. It depends on no
 * other Edge Orchestrator bundle.
 */
@Export
@Version("1.0.0")
package org.edgeorch.windows;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
