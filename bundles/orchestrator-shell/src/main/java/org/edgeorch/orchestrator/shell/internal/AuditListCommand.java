package org.edgeorch.orchestrator.shell.internal;

import java.time.Instant;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.OptionsAnywhere;

@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "audit-list", description = "Lists audit events you may read, newest first")
public class AuditListCommand extends TenancyCommand {

    @Reference
    AuditLog audit;

    @Option(name = "--project")
    String project;

    @Option(name = "--actor")
    String actor;

    @Option(name = "--action", description = "for example role.grant, project.create, auth.login")
    String action;

    @Option(name = "--outcome", description = "SUCCESS, DENIED or FAILED")
    String outcome;

    @Option(name = "--from", description = "ISO-8601 instant, inclusive")
    String from;

    @Option(name = "--to", description = "ISO-8601 instant, exclusive")
    String to;

    @Option(name = "--offset")
    int offset;

    @Option(name = "--limit")
    int limit = 50;

    @Override
    protected void run(Caller caller) {
        AuditLog.Outcome o = choice(AuditLog.Outcome.class, "outcome", outcome);
        AuditLog.Page page = audit.query(caller, new AuditLog.Query(project, actor, action, o, instant("--from", from),
                instant("--to", to), offset, limit));
        ShellTable t = new ShellTable();
        for (String c : new String[] {"When", "Actor", "Project", "Action", "Object", "Outcome", "From", "Detail"}) {
            t.column(c);
        }
        for (AuditLog.Event e : page.events()) {
            t.addRow().addContent(e.at(), e.actor(), e.project() == null ? "-" : e.project(), e.action(),
                    e.objectType() + " " + (e.objectId() == null ? "" : e.objectId()), e.outcome(),
                    e.sourceAddress() == null ? "-" : e.sourceAddress(), e.detail() == null ? "" : e.detail());
        }
        t.print(System.out);
        System.out.printf("%d-%d of %d%n", page.total() == 0 ? 0 : offset + 1, offset + page.events().size(), page.total());
    }
}
