package org.edgeorch.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.edgeorch.windows.Interval;
import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.windows.MaintenanceWindows;

/**
 * The records of {@link ScheduleService}: maintenance windows attached to targets, update policies, and what a host
 * gets from them.
 */
public final class Schedules {

    private Schedules() {
    }

    /** What a window or a policy is attached to. A host inherits from its site, its site's regions and its clusters. */
    public enum TargetType { REGION, SITE, CLUSTER, HOST }

    /** A region, site, cluster or host of the project, by name. */
    public record Target(TargetType type, String name) {

        public static Target region(String name) {
            return new Target(TargetType.REGION, name);
        }

        public static Target site(String name) {
            return new Target(TargetType.SITE, name);
        }

        public static Target cluster(String name) {
            return new Target(TargetType.CLUSTER, name);
        }

        public static Target host(String name) {
            return new Target(TargetType.HOST, name);
        }

        /** {@code site paris}. */
        @Override
        public String toString() {
            return (type == null ? "target" : type.name().toLowerCase(java.util.Locale.ROOT)) + " " + name;
        }
    }

    /** SINGLE: from a start to an optional end. REPEATED: at each match of a cron expression, for a duration. */
    public enum WindowKind { SINGLE, REPEATED }

    /**
     * A new maintenance window, as given: the service checks it and says which field is wrong. Either single
     * ({@code start}, optional {@code end}: ISO-8601 instants such as {@code 2026-06-01T22:00:00Z}, or with an offset)
     * or repeated ({@code cron}: five fields, minute hour day-of-month month day-of-week, with lists, ranges and steps;
     * {@code zone}: an IANA time zone such as {@code Europe/Berlin}; {@code duration}: ISO-8601 such as {@code PT2H}).
     *
     * @param name   unique in the project: 1-63 characters of a-z, 0-9 and '-'
     * @param target the region, site, cluster or host it applies to
     */
    public record WindowDefinition(String name, Target target, String start, String end, String cron, String zone,
                                   String duration) {
    }

    /**
     * A change to a window; null fields stay as they are. Giving {@code start} makes the window single (its cron, zone
     * and duration go), giving {@code cron} makes it repeated (its start and end go); {@code zone}, {@code duration}
     * and {@code end} alone change the window in its kind. An empty {@code end} removes the end (open-ended).
     * {@code target} moves the window to another target.
     */
    public record WindowUpdate(Target target, String start, String end, String cron, String zone, String duration) {
    }

    /**
     * A maintenance window. Single windows have {@code start} and maybe {@code end}; repeated ones {@code cron},
     * {@code zone} and {@code duration} (ISO-8601, such as {@code PT2H}).
     */
    public record Window(String name, Target target, WindowKind kind, Instant start, Instant end, String cron,
                         String zone, String duration, Instant createdAt, Instant updatedAt) {

        /** The window for {@link MaintenanceWindows}' queries. */
        public MaintenanceWindow maintenanceWindow() {
            return kind == WindowKind.SINGLE ? MaintenanceWindow.single(start, end)
                    : MaintenanceWindow.repeated(cron, zone, Duration.parse(duration));
        }
    }

    /** LATEST follows the newest OS resource of an OS profile; TARGET pins one version of it. */
    public enum PolicyKind { LATEST, TARGET }

    /**
     * What a target's hosts should run.
     *
     * @param profile the project's OS profile
     * @param version for TARGET: the pinned version, an OS resource of the profile; null for LATEST
     */
    public record PolicySpec(PolicyKind kind, String profile, String version) {

        public static PolicySpec latest(String profile) {
            return new PolicySpec(PolicyKind.LATEST, profile, null);
        }

        public static PolicySpec target(String profile, String version) {
            return new PolicySpec(PolicyKind.TARGET, profile, version);
        }
    }

    /** The update policy of one target. */
    public record Policy(Target target, PolicyKind kind, String profile, String version, String updatedBy,
                         Instant updatedAt) {
    }

    /**
     * A window a host is subject to.
     *
     * @param source        where the host gets it from, for example {@code region eu (site paris > region fr > region eu)}
     * @param open          whether it is open at the schedule's instant
     * @param currentOrNext its occurrence open then, else its next one; null when it never opens again
     */
    public record EffectiveWindow(Window window, String source, boolean open, Interval currentOrNext) {
    }

    /**
     * The policy that decides a host's OS: the host's own, else its clusters' (the first by name, when several have
     * one), else its site's, else the nearest region's up its site's region chain.
     *
     * @param source where it comes from and, for clusters, which others were passed over
     */
    public record EffectivePolicy(Policy policy, String source) {
    }

    /**
     * When a host may change and what it should run, at {@code at}.
     *
     * @param windows       every window the host is subject to: its own, its site's, its site's regions', its clusters'
     * @param inWindow      whether one of them is open
     * @param openWindows   the names of those open
     * @param currentOrNext the open occurrence that stays open longest, else the next to open; null if none will
     * @param window        the name of the window {@code currentOrNext} belongs to
     * @param nextOpening   {@code at} itself when a window is open, else when the next opens; null if none will
     * @param policy        the effective update policy; null when no target of the host has one
     * @param desired       the OS version the policy asks for; null when there is none, and {@code desiredNote} says why
     */
    public record HostSchedule(String host, Instant at, List<EffectiveWindow> windows, boolean inWindow,
                               List<String> openWindows, Interval currentOrNext, String window, Instant nextOpening,
                               EffectivePolicy policy, DesiredVersion desired, String desiredNote) {
    }
}
