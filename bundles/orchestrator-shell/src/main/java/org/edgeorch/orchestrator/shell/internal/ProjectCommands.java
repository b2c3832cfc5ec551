package org.edgeorch.orchestrator.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.RoleBinding;
import org.edgeorch.tenancy.Model.SubjectType;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.OptionsAnywhere;

/** Project and project role commands. */
public final class ProjectCommands {

    private ProjectCommands() {
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "project-list", description = "Lists the projects you have a role in")
    public static class List extends TenancyCommand {
        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            t.column("Name");
            t.column("Display name");
            t.column("Your roles");
            for (Project p : tenancy.projects(caller)) {
                t.addRow().addContent(p.name(), p.displayName(), caller.projectRoles().get(p.id()));
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "project-create", description = "Creates a project in an organisation (its administrators)")
    public static class Create extends TenancyCommand {
        @Argument(index = 0, name = "organization", required = true)
        String org;

        @Argument(index = 1, name = "name", required = true, description = "a-z, 0-9 and '-', unique")
        String name;

        @Option(name = "--display-name")
        String displayName;

        @Override
        protected void run(Caller caller) {
            System.out.println("Created project " + tenancy.createProject(caller, org, name, displayName).name());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "project-delete", description = "Deletes a project (organisation administrators)")
    public static class Delete extends TenancyCommand {
        @Argument(index = 0, name = "project", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            tenancy.deleteProject(caller, name);
            System.out.println("Deleted project " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "role-list", description = "Lists who holds which role in a project")
    public static class RoleList extends TenancyCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Id", "Subject", "Type", "Role"}) {
                t.column(c);
            }
            for (RoleBinding b : tenancy.projectRoles(caller, project)) {
                t.addRow().addContent(b.id(), b.subject(), b.subjectType(), b.role());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "role-grant", description = "Grants a project role to a user or a group")
    public static class RoleGrant extends TenancyCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "subject", required = true, description = "user name, or group name with --group")
        String subject;

        @Argument(index = 2, name = "role", required = true,
                description = "PROJECT_ADMIN, EDGE_MANAGER, EDGE_OPERATOR, HOST_MANAGER, ONBOARDING or VIEWER")
        String role;

        @Option(name = "--group", description = "The subject is a group")
        boolean group;

        @Override
        protected void run(Caller caller) {
            Role r = choice(Role.class, "role", role);
            RoleBinding b = tenancy.grantProjectRole(caller, project, group ? SubjectType.GROUP : SubjectType.USER, subject, r);
            System.out.println("Granted " + b.role() + " on " + project + " to " + b.subject() + " (" + b.id() + ")");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "role-revoke", description = "Revokes a role binding (see edge:role-list)")
    public static class RoleRevoke extends TenancyCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "binding", required = true)
        String binding;

        @Override
        protected void run(Caller caller) {
            tenancy.revokeProjectRole(caller, project, binding);
            System.out.println("Revoked " + binding);
        }
    }
}
