package org.edgeorch.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.platform.ComponentHealth;
import org.edgeorch.platform.PlatformStatus;
import org.edgeorch.platform.StatusService;

@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "status", description = "Shows version, uptime, database and plugins of this runtime")
public class StatusCommand extends EdgeCommand {

    @Reference
    StatusService statusService;

    @Override
    protected void run() {
        print(statusService.status(), System.out);
    }

    static void print(PlatformStatus s, PrintStream out) {
        out.printf("%s %s (%s)%n", s.product(), s.version(), s.runtime());
        out.printf("Started   %s, up %s%n", s.startedAt(), Format.duration(s.uptimeSeconds()));
        out.printf("Plugins   %d%n", s.plugins().size());
        if (s.components().isEmpty()) {
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Component");
        table.column("State");
        table.column("Details");
        for (ComponentHealth c : s.components()) {
            table.addRow().addContent(c.name(), c.state(), Format.details(c.details()));
        }
        table.print(out);
    }
}
