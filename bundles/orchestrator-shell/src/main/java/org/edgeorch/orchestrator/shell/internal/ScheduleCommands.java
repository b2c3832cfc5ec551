package org.edgeorch.orchestrator.shell.internal;

import static org.edgeorch.shell.EdgeCommand.orDash;
import static org.edgeorch.shell.EdgeCommand.table;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.windows.Interval;
import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.Schedules;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.scheduling.Schedules.PolicySpec;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.WindowDefinition;
import org.edgeorch.scheduling.Schedules.WindowKind;
import org.edgeorch.scheduling.Schedules.WindowUpdate;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;

/**
 * Maintenance windows, update policies and a host's schedule. The project is the first argument, like the fleet's
 * commands; a target is one of {@code --region}, {@code --site}, {@code --cluster} or {@code --host} with its name.
 */
public final class ScheduleCommands {

    private ScheduleCommands() {
    }

    public abstract static class ScheduleCommand extends TenancyCommand {
        @Reference
        ScheduleService schedules;
    }

    /** A command that names one region, site, cluster or host. */
    public abstract static class TargetCommand extends ScheduleCommand {
        @Option(name = "--region", description = "the region's name")
        String region;

        @Option(name = "--site", description = "the site's name")
        String site;

        @Option(name = "--cluster", description = "the cluster's name")
        String cluster;

        @Option(name = "--host", description = "the host's name")
        String host;

        /** The one target given; null when none is (the service says what it needs, or that it stays). */
        Target target() {
            List<Target> given = new ArrayList<>();
            if (region != null) {
                given.add(Target.region(region));
            }
            if (site != null) {
                given.add(Target.site(site));
            }
            if (cluster != null) {
                given.add(Target.cluster(cluster));
            }
            if (host != null) {
                given.add(Target.host(host));
            }
            if (given.size() > 1) {
                throw new TenancyException(TenancyException.Reason.INVALID, "target",
                        "give one target: --region, --site, --cluster or --host, not " + given);
            }
            return given.isEmpty() ? null : given.get(0);
        }
    }

    // ---- windows ------------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "window-create", description = "Creates a maintenance window on a region, site, cluster"
            + " or host: single (--start, optional --end) or repeated (--cron, --zone, --duration)")
    public static class WindowCreate extends TargetCommand {
        @Option(name = "--start", description = "single: ISO-8601 instant, for example 2026-06-01T22:00:00Z")
        String start;

        @Option(name = "--end", description = "single: ISO-8601 instant; absent: open-ended")
        String end;

        @Option(name = "--cron", description = "repeated: five fields, minute hour day-of-month month day-of-week, for"
                + " example \"0 2 * * 1-5\"")
        String cron;

        @Option(name = "--zone", description = "repeated: IANA time zone, for example Europe/Berlin")
        String zone;

        @Option(name = "--duration", description = "repeated: how long each occurrence lasts, ISO-8601, for example PT2H")
        String duration;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Schedules.Window w = schedules.createWindow(caller, project, new WindowDefinition(name, target(), start, end,
                    cron, zone, duration));
            System.out.println("Created window " + w.name() + " on " + w.target() + ": " + timing(w));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "window-list", description = "Lists a project's maintenance windows; with a target"
            + " option, those attached to it")
    public static class WindowList extends TargetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            Target t = target();
            windows(schedules.windows(caller, project, t == null ? null : t.type(), t == null ? null : t.name()), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "window-show", description = "Shows one maintenance window")
    public static class WindowShow extends ScheduleCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Schedules.Window w = schedules.window(caller, project, name);
            System.out.printf("Window        %s%n", w.name());
            System.out.printf("Target        %s%n", w.target());
            System.out.printf("Kind          %s%n", w.kind());
            System.out.printf("When          %s%n", timing(w));
            System.out.printf("Created       %s, updated %s%n", w.createdAt(), w.updatedAt());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "window-update", description = "Changes a maintenance window; options not given stay as"
            + " they are (--start makes it single, --cron repeated, --end \"\" open-ended; a target option moves it)")
    public static class WindowUpdateCommand extends TargetCommand {
        @Option(name = "--start")
        String start;

        @Option(name = "--end")
        String end;

        @Option(name = "--cron")
        String cron;

        @Option(name = "--zone")
        String zone;

        @Option(name = "--duration")
        String duration;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Schedules.Window w = schedules.updateWindow(caller, project, name, new WindowUpdate(target(), start, end, cron,
                    zone, duration));
            System.out.println("Updated window " + w.name() + " on " + w.target() + ": " + timing(w));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "window-delete", description = "Deletes a maintenance window")
    public static class WindowDelete extends ScheduleCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            schedules.deleteWindow(caller, project, name);
            System.out.println("Deleted window " + name);
        }
    }

    // ---- update policies ----------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "policy-set", description = "Sets the update policy of a region, site, cluster or host,"
            + " replacing the one it had")
    public static class PolicySet extends TargetCommand {
        @Option(name = "--kind", required = true, description = "LATEST (follow the profile's newest OS resource) or TARGET"
                + " (pin --version)")
        String kind;

        @Option(name = "--profile", required = true, description = "the project's OS profile")
        String profile;

        @Option(name = "--version", description = "TARGET: the version to pin, an OS resource of the profile")
        String version;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            Schedules.Policy p = schedules.setPolicy(caller, project, target(), new PolicySpec(
                    EdgeCommand.choice(PolicyKind.class, "kind", kind), profile, version));
            System.out.println("Policy of " + p.target() + ": " + policy(p));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "policy-clear", description = "Removes the update policy of a region, site, cluster or host")
    public static class PolicyClear extends TargetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            Target t = target();
            schedules.clearPolicy(caller, project, t);
            System.out.println("Removed the update policy of " + t);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "policy-list", description = "Lists a project's update policies")
    public static class PolicyList extends ScheduleCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Target type", "Target", "Kind", "Profile", "Version", "Updated by", "Updated");
            for (Schedules.Policy p : schedules.policies(caller, project)) {
                t.addRow().addContent(p.target().type(), p.target().name(), p.kind(), p.profile(), orDash(p.version()),
                        p.updatedBy(), p.updatedAt());
            }
            t.print(System.out);
        }
    }

    // ---- one host -----------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-schedule", description = "Shows a host's maintenance windows and where each comes"
            + " from, whether one is open now and when the next opens, its update policy and desired OS version")
    public static class HostSchedule extends ScheduleCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "host", required = true)
        String host;

        @Override
        protected void run(Caller caller) {
            schedule(schedules.hostSchedule(caller, project, host), System.out);
        }
    }

    // ---- formatting -------------------------------------------------------------------------------

    static void windows(List<Schedules.Window> list, PrintStream out) {
        ShellTable t = table("Window", "Target type", "Target", "Kind", "When");
        for (Schedules.Window w : list) {
            t.addRow().addContent(w.name(), w.target().type(), w.target().name(), w.kind(), timing(w));
        }
        t.print(out);
    }

    static void schedule(Schedules.HostSchedule s, PrintStream out) {
        out.printf("Host          %s (at %s)%n", s.host(), s.at());
        if (s.inWindow()) {
            out.printf("In a window   yes: %s%n", String.join(", ", s.openWindows()));
        } else {
            out.printf("In a window   no%n");
        }
        out.printf("Next opening  %s%n", s.nextOpening() == null ? "none: no window opens again"
                : s.nextOpening() + (s.window() == null ? "" : " (" + s.window() + ", " + occurrence(s.currentOrNext()) + ")"));
        if (s.policy() == null) {
            out.printf("Policy        none%n");
        } else {
            out.printf("Policy        %s, from %s%n", policy(s.policy().policy()), s.policy().source());
        }
        out.printf("Desired OS    %s%n", s.desired() == null ? "none: " + s.desiredNote()
                : s.desired().profile() + " " + s.desired().version());
        ShellTable t = table("Window", "From", "When", "Open", "Current or next");
        for (Schedules.EffectiveWindow w : s.windows()) {
            t.addRow().addContent(w.window().name(), w.source(), timing(w.window()), w.open() ? "yes" : "",
                    w.currentOrNext() == null ? "-" : occurrence(w.currentOrNext()));
        }
        t.print(out);
    }

    /** {@code 0 2 * * 1-5 in Europe/Berlin for PT2H}, or {@code 2026-06-01T22:00:00Z until 2026-06-02T02:00:00Z}. */
    static String timing(Schedules.Window w) {
        return w.kind() == WindowKind.REPEATED ? w.cron() + " in " + w.zone() + " for " + w.duration()
                : w.start() + (w.end() == null ? ", open-ended" : " until " + w.end());
    }

    static String policy(Schedules.Policy p) {
        return p.kind() + " " + p.profile() + (p.version() == null ? "" : " " + p.version());
    }

    private static String occurrence(Interval i) {
        return i.start() + (i.end() == null ? ", open-ended" : " to " + i.end());
    }


}
