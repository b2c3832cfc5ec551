package org.edgeorch.orchestrator.shell.internal;

import static org.edgeorch.shell.EdgeCommand.orDash;
import static org.edgeorch.shell.EdgeCommand.table;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.scheduling.rollout.Rollouts;
import org.edgeorch.scheduling.rollout.Rollouts.Counts;
import org.edgeorch.scheduling.rollout.Rollouts.FailureAction;
import org.edgeorch.scheduling.rollout.Rollouts.HostSelection;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutSpec;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.RunQuery;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;

/**
 * Rollouts and update runs: {@code edge:rollout-create|list|status|start|pause|resume|abort} and
 * {@code edge:update-run-list}. The project is the first argument, like the fleet's commands.
 */
public final class RolloutCommands {

    static final int BAR = 20;

    private RolloutCommands() {
    }

    public abstract static class RolloutCommand extends TenancyCommand {
        @Reference
        RolloutService rollouts;
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "rollout-create", description = "Creates a rollout of an OS version to hosts, in waves"
            + " (READY until started)")
    public static class RolloutCreate extends RolloutCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Option(name = "--profile", required = true, description = "the project's OS profile")
        String profile;

        @Option(name = "--version", required = true, description = "the target version, an OS resource of the profile")
        String version;

        @Option(name = "--host", multiValued = true, description = "a host by name, repeatable (instead of a filter)")
        List<String> hosts;

        @Option(name = "--status", description = "filter: hosts in this status")
        String status;

        @Option(name = "--site", description = "filter: hosts of this site")
        String site;

        @Option(name = "--region", description = "filter: hosts in this region and its sub-regions")
        String region;

        @Option(name = "--meta", multiValued = true, description = "filter: key=value on effective metadata, repeatable")
        List<String> meta;

        @Option(name = "--text", description = "filter: part of name, serial number or UUID")
        String text;

        @Option(name = "--wave", multiValued = true, description = "a wave, in order, repeatable: count=N or percent=P"
                + " (the last may be 'rest'), then any of spread, success=%, failure=%, min=N, soak=PT1H, timeout=PT2H,"
                + " comma-separated; default: one wave of every host")
        List<String> waves;

        @Option(name = "--on-failure", description = "PAUSE (default) or ABORT")
        String onFailure;

        @Option(name = "--description")
        String description;

        @Override
        protected void run(Caller caller) {
            boolean filter = status != null || site != null || region != null || (meta != null && !meta.isEmpty()) || text != null;
            HostSelection selection = new HostSelection(hosts, EdgeCommand.choice(HostStatus.class, "status", status), site,
                    region, FleetCommands.metadata(meta), text);
            if ((hosts == null || hosts.isEmpty()) && !filter) {
                throw new TenancyException(TenancyException.Reason.INVALID, "hosts", "say which hosts: --host (repeatable), or"
                        + " a filter (--site, --region, --meta, --text, --status)");
            }
            List<WaveSpec> specs = new ArrayList<>();
            List<String> given = waves == null || waves.isEmpty() ? List.of("rest") : waves;
            for (int i = 0; i < given.size(); i++) {
                specs.add(wave(given.get(i), i + 1));
            }
            Rollouts.Rollout r = rollouts.create(caller, project, new RolloutSpec(name, description, profile, version, selection,
                    specs, EdgeCommand.choice(FailureAction.class, "on-failure", onFailure)));
            System.out.println("Created rollout " + r.name() + ": " + r.counts().hosts() + " host(s) in " + r.waves().size()
                    + " wave(s) to " + r.osProfile() + " " + r.version() + ", READY (edge:rollout-start " + project + " "
                    + r.name() + ")");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "rollout-list", description = "Lists the project's rollouts, newest first")
    public static class RolloutList extends RolloutCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Option(name = "--state", description = "CREATING, READY, RUNNING, PAUSED, FINISHED or ABORTED")
        String state;

        @Option(name = "--offset")
        int offset;

        @Option(name = "--limit")
        int limit = 50;

        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Rollout", "Target", "State", "Wave", "Hosts", "Succeeded", "Failed", "Pending", "Created");
            for (Rollouts.Rollout r : rollouts.rollouts(caller, project, EdgeCommand.choice(RolloutState.class, "state", state),
                    offset, limit)) {
                t.addRow().addContent(r.name(), r.osProfile() + " " + r.version(), r.state(),
                        Math.min(r.currentWave(), r.waves().size()) + "/" + r.waves().size(), r.counts().hosts(),
                        r.counts().succeeded(), r.counts().failed(), r.counts().pending(), r.createdAt());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "rollout-status", description = "Shows a rollout with a progress bar per wave")
    public static class RolloutStatus extends RolloutCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Option(name = "--watch", description = "refresh every this many seconds until the rollout is over (Ctrl-C stops)")
        int watch;

        @Override
        protected void run(Caller caller) throws Exception {
            while (true) {
                Rollouts.Rollout r = rollouts.rollout(caller, project, name);
                status(r, System.out);
                if (watch <= 0 || r.state().finished()) {
                    return;
                }
                try {
                    Thread.sleep(watch * 1000L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                System.out.println();
            }
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "rollout-start", description = "Starts a READY rollout")
    public static class RolloutStart extends Transition {
        @Override
        Rollouts.Rollout apply(Caller caller) {
            return rollouts.start(caller, project, name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "rollout-pause", description = "Pauses a RUNNING rollout: no further wave starts")
    public static class RolloutPause extends Transition {
        @Override
        Rollouts.Rollout apply(Caller caller) {
            return rollouts.pause(caller, project, name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "rollout-resume", description = "Resumes a PAUSED rollout, accepting the failures"
            + " that paused it")
    public static class RolloutResume extends Transition {
        @Override
        Rollouts.Rollout apply(Caller caller) {
            return rollouts.resume(caller, project, name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "rollout-abort", description = "Aborts a rollout for good: unfinished update runs fail")
    public static class RolloutAbort extends Transition {
        @Override
        Rollouts.Rollout apply(Caller caller) {
            return rollouts.abort(caller, project, name);
        }
    }

    /** A state change by name, answered with the rollout's status. */
    public abstract static class Transition extends RolloutCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        abstract Rollouts.Rollout apply(Caller caller);

        @Override
        protected void run(Caller caller) {
            status(apply(caller), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "update-run-list", description = "Lists update runs of a rollout (by wave and host)"
            + " or of a host (newest first)")
    public static class UpdateRunList extends RolloutCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Option(name = "--rollout", description = "the runs of this rollout")
        String rollout;

        @Option(name = "--host", description = "the runs of this host, from rollouts and its policy")
        String host;

        @Option(name = "--status", description = "QUEUED, DOWNLOADING, ..., SUCCEEDED, ROLLED_BACK, FAILED or TIMED_OUT")
        String status;

        @Option(name = "--wave", description = "with --rollout: only this wave")
        Integer wave;

        @Option(name = "--offset")
        int offset;

        @Option(name = "--limit")
        int limit = 100;

        @Override
        protected void run(Caller caller) {
            if ((rollout == null) == (host == null)) {
                throw new TenancyException(TenancyException.Reason.INVALID, "rollout", "give --rollout or --host");
            }
            UpdateStatus s = EdgeCommand.choice(UpdateStatus.class, "status", status);
            Rollouts.RunPage page = rollout != null
                    ? rollouts.runs(caller, project, rollout, new RunQuery(s, wave, offset, limit))
                    : rollouts.hostRuns(caller, project, host, new RunQuery(s, null, offset, limit));
            ShellTable t = table("Host", "Rollout", "Wave", "From", "To", "Status", "Failure", "Progress", "Updated",
                    "Deadline", "Detail");
            for (Rollouts.UpdateRun r : page.runs()) {
                t.addRow().addContent(r.host(), r.rollout() == null ? "policy " + orDash(r.policySource()) : r.rollout(),
                        orDash(r.wave()), orDash(r.fromVersion()), r.toVersion(), r.status(), orDash(r.failure()),
                        r.progress() + "%", r.updatedAt(), orDash(r.deadline()), orDash(r.detail()));
            }
            t.print(System.out);
            System.out.println(page.runs().size() + " of " + page.total() + " run(s)");
        }
    }

    // ---- formatting -------------------------------------------------------------------------------

    /**
     * One wave from its command-line form: {@code count=N} or {@code percent=P} (or {@code rest}), then options.
     */
    static WaveSpec wave(String text, int number) {
        String field = "wave " + number;
        Integer count = null;
        Integer percent = null;
        Boolean spread = null;
        Integer success = null;
        Integer failure = null;
        Integer min = null;
        Duration soak = null;
        Duration timeout = null;
        for (String part : text.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1).strip();
            switch (key) {
                case "rest", "" -> {
                }
                case "spread" -> spread = value == null || Boolean.parseBoolean(value);
                case "count" -> count = number(field, key, value);
                case "percent" -> percent = number(field, key, value == null ? null : value.replace("%", ""));
                case "success" -> success = number(field, key, value == null ? null : value.replace("%", ""));
                case "failure" -> failure = number(field, key, value == null ? null : value.replace("%", ""));
                case "min" -> min = number(field, key, value);
                case "soak" -> soak = duration(field, key, value);
                case "timeout" -> timeout = duration(field, key, value);
                default -> throw new TenancyException(TenancyException.Reason.INVALID, "wave", field + ": '" + key
                        + "' is not one of count, percent, rest, spread, success, failure, min, soak, timeout");
            }
        }
        return new WaveSpec(count, percent, spread, success, failure, min, soak, timeout);
    }

    private static Integer number(String field, String key, String value) {
        return EdgeCommand.whole("wave", field + ": " + key, value);
    }

    private static Duration duration(String field, String key, String value) {
        return EdgeCommand.duration(field + ": " + key, value == null ? "" : value);
    }

    static void status(Rollouts.Rollout r, PrintStream out) {
        out.printf("Rollout   %s: %s %s, %s%s%n", r.name(), r.osProfile(), r.version(), r.state(),
                r.stateReason() == null ? "" : " (" + r.stateReason() + ")");
        out.printf("Hosts     %s, on failure %s%n", r.selection(), r.onFailure());
        out.printf("Overall   %s%n", bar(r.counts()));
        for (Rollouts.Wave w : r.waves()) {
            String soaking = w.soakUntil() != null && w.state() == Rollouts.WaveState.SOAKING ? " until " + w.soakUntil() : "";
            out.printf("wave %d %-9s %s%s%n", w.number(), w.state(), bar(w.counts()), soaking);
        }
    }

    /**
     * {@code [########xx----------] 40% 4/10 ok 1 failed 5 pending}: # succeeded, x failed, - pending; the percentage is
     * of hosts that succeeded.
     */
    static String bar(Counts c) {
        int ok = c.hosts() == 0 ? BAR : c.succeeded() * BAR / c.hosts();
        int failed = c.hosts() == 0 ? 0 : Math.min(BAR - ok, (c.failed() * BAR + c.hosts() - 1) / c.hosts());
        int percent = c.hosts() == 0 ? 100 : c.succeeded() * 100 / c.hosts();
        return "[" + "#".repeat(ok) + "x".repeat(failed) + "-".repeat(BAR - ok - failed) + "] " + percent + "% "
                + c.succeeded() + "/" + c.hosts() + " ok " + c.failed() + " failed " + c.pending() + " pending";
    }


}
