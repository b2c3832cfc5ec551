package org.edgeorch.orchestrator.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.observability.TelemetryService;
import org.edgeorch.shell.OptionsAnywhere;
import org.edgeorch.tenancy.Caller;

/** A project's telemetry settings: {@code edge:telemetry-settings} and {@code edge:telemetry-set}. */
public final class TelemetryCommands {

    private TelemetryCommands() {
    }

    public abstract static class TelemetryCommand extends TenancyCommand {
        @Reference
        TelemetryService telemetry;

        static String describe(TelemetryService.Settings s) {
            return "Project " + s.project() + ": hosts sample their telemetry every " + s.intervalSeconds() + " s"
                    + (s.isDefault() ? " (the default)" : "");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "telemetry-settings", description = "Shows how often a project's hosts sample their telemetry")
    public static class Show extends TelemetryCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            System.out.println(describe(telemetry.settings(caller, project)));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "telemetry-set", description = "Sets how often a project's hosts sample their"
            + " telemetry; each host gets it with its next sync (CONFIG_WRITE)")
    public static class Set extends TelemetryCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Option(name = "--interval", description = "seconds between two samples, 10 to 3600", required = true)
        Integer interval;

        @Override
        protected void run(Caller caller) {
            System.out.println(describe(telemetry.configure(caller, project, interval)));
        }
    }
}
