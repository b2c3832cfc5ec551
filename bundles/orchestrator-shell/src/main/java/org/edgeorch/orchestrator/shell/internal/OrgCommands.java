package org.edgeorch.orchestrator.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Organization;
import org.edgeorch.shell.OptionsAnywhere;

/** Organisation commands. */
public final class OrgCommands {

    private OrgCommands() {
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "org-list", description = "Lists the organisations you belong to (platform administrators: all)")
    public static class List extends TenancyCommand {
        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            t.column("Name");
            t.column("Display name");
            t.column("Created");
            for (Organization o : tenancy.organizations(caller)) {
                t.addRow().addContent(o.name(), o.displayName(), o.createdAt());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "org-create", description = "Creates an organisation (platform administrators)")
    public static class Create extends TenancyCommand {
        @Argument(index = 0, name = "name", required = true, description = "a-z, 0-9 and '-'")
        String name;

        @Option(name = "--display-name", description = "Human readable name")
        String displayName;

        @Override
        protected void run(Caller caller) {
            System.out.println("Created organisation " + tenancy.createOrganization(caller, name, displayName).name());
        }
    }
}
