package org.edgeorch.agent.apps.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.agent.apps.AppAgent;
import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.DesiredApp;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;

/** {@code edge:app-status} on the node: the runtimes and whether they can run here, and each deployment's state. */
@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "app-status", description = "Shows the application runtimes of this node and the state of"
        + " each deployment")
public class AppStatusCommand extends EdgeCommand {

    @Reference
    AppAgentComponent component;

    @Override
    protected void run() {
        print(component.agent(), System.out);
    }

    static void print(AppAgent agent, PrintStream out) {
        if (agent == null) {
            out.println("The app agent is not running");
            return;
        }
        List<String[]> runtimes = agent.runtimeSummary();
        if (runtimes.isEmpty()) {
            out.println("Runtimes    none: this node runs no application");
        }
        for (String[] r : runtimes) {
            out.printf("Runtime     %s (%s): %s%s%n", r[0], r[1], r[2], r[3] == null || r[3].isBlank() ? "" : ", " + r[3]);
        }
        List<DesiredApp> desired = agent.desiredApps();
        out.printf("Desired     %s%n", desired == null ? "not received yet" : desired.size() + " deployment(s)");
        for (AppReport a : agent.current()) {
            out.printf("  %-24s %-16s %-12s %s%n", a.deployment(), a.version(), a.state(), a.reason() == null ? "" : a.reason());
        }
    }
}
