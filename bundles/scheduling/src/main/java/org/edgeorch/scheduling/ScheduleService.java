package org.edgeorch.scheduling;

import java.util.List;

import org.edgeorch.scheduling.Schedules.HostSchedule;
import org.edgeorch.scheduling.Schedules.Policy;
import org.edgeorch.scheduling.Schedules.PolicySpec;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.scheduling.Schedules.Window;
import org.edgeorch.scheduling.Schedules.WindowDefinition;
import org.edgeorch.scheduling.Schedules.WindowUpdate;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Maintenance windows and update policies of a project's regions, sites, clusters and hosts, as operators see them.
 * Reading needs PROJECT_READ, changing CONFIG_WRITE; the caller is authorised before anything it sent is looked at,
 * so another tenant's project is NOT_FOUND whatever the input. Refusals are
 * {@link org.edgeorch.tenancy.TenancyException}s (INVALID with the field at fault); every change, and every refused
 * one, is audited.
 */
@ProviderType
public interface ScheduleService {

    // ---- windows ------------------------------------------------------------------------------------

    /** Creates a window on a target (CONFIG_WRITE); its name must be new in the project. */
    Window createWindow(Caller caller, String project, WindowDefinition definition);

    /**
     * The project's windows by name; with {@code type}, only those attached to targets of that type, and with
     * {@code target} too, only those attached to that one target.
     */
    List<Window> windows(Caller caller, String project, TargetType type, String target);

    Window window(Caller caller, String project, String name);

    /** Changes a window (CONFIG_WRITE): see {@link WindowUpdate} for what each field does. */
    Window updateWindow(Caller caller, String project, String name, WindowUpdate update);

    void deleteWindow(Caller caller, String project, String name);

    // ---- update policies ----------------------------------------------------------------------------

    /**
     * Sets the target's update policy, replacing the one it had (CONFIG_WRITE). The profile must be an OS profile of
     * the project and, for TARGET, the version one of its OS resources.
     */
    Policy setPolicy(Caller caller, String project, Target target, PolicySpec spec);

    /** Removes the target's update policy (CONFIG_WRITE); NOT_FOUND when it has none. */
    void clearPolicy(Caller caller, String project, Target target);

    /** The project's policies, by target type (region, site, cluster, host), then target name. */
    List<Policy> policies(Caller caller, String project);

    // ---- one host -----------------------------------------------------------------------------------

    /**
     * The host's effective windows with where each comes from, whether it is inside one now and when the next opens,
     * its effective update policy with where it comes from, and the OS version that policy asks for (or why none).
     */
    HostSchedule hostSchedule(Caller caller, String project, String host);
}
