package org.edgeorch.agent.internal;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.agent.Agent;
import org.edgeorch.agent.AgentService;
import org.edgeorch.spi.southbound.DesiredState;
import org.edgeorch.shell.OptionsAnywhere;
import org.edgeorch.shell.EdgeCommand;

@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "agent-status", description = "Shows the agent's enrolment, last sync and desired state")
public class AgentStatusCommand extends EdgeCommand {

    @Reference
    AgentService agent;

    @Override
    protected void run() {
        print(agent.status(), System.out);
    }

    static void print(Optional<Agent.Status> status, PrintStream out) {
        if (status.isEmpty()) {
            out.println("Agent       not configured (set orchestratorUrl in etc/org.edgeorch.agent.cfg)");
            return;
        }
        Agent.Status s = status.get();
        out.printf("Agent       %s%n", s.phase());
        out.printf("Orchestrator %s%n", s.orchestrator());
        out.printf("Host        %s%n", s.host() == null ? "-" : s.host() + " (project " + s.project() + ")");
        out.printf("Certificate %s%n", s.certificateSerial() == null ? "-"
                : s.certificateSerial() + ", valid until " + s.certificateNotAfter());
        out.printf("Last sync   %s%n", s.lastSyncAt() == null ? "never" : s.lastSyncAt());
        out.printf("Next try    %s%n", s.nextAttemptAt() == null ? "-" : s.nextAttemptAt());
        if (s.consecutiveFailures() > 0 || s.lastError() != null) {
            out.printf("Failures    %d in a row; last: %s%n", s.consecutiveFailures(), s.lastError());
        }
        out.printf("Unsent      %d report(s)%n", s.pendingReports());
        DesiredState d = s.desired();
        if (d == null) {
            out.println("Desired     none received yet");
            return;
        }
        out.printf("Desired     %s, sync every %d s, renew after %s%n", s.desiredEtag(), d.syncIntervalSeconds(),
                java.time.Instant.ofEpochMilli(d.renewAfter()));
        for (Map.Entry<String, String> m : d.metadata().entrySet()) {
            out.printf("  %-20s %s%n", m.getKey(), m.getValue());
        }
        for (org.edgeorch.spi.southbound.DesiredApp app : d.apps()) {
            out.printf("App         %s: %s %s%n", app.deployment(), app.application(), app.version());
        }
    }
}
