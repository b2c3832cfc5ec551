package org.edgeorch.orchestrator.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Group;
import org.edgeorch.tenancy.Model.User;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.OptionsAnywhere;

/** User and group commands. Passwords are read without echo unless given with --password. */
public final class UserCommands {

    private UserCommands() {
    }

    static char[] password(Session session, String given) throws java.io.IOException {
        if (given != null) {
            return given.toCharArray();
        }
        String first = session.readLine("Password: ", '*');
        String second = session.readLine("Again: ", '*');
        if (first == null || !first.equals(second)) {
            throw new TenancyException(TenancyException.Reason.INVALID, "password", "the two passwords differ");
        }
        return first.toCharArray();
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "user-list", description = "Lists the users of an organisation (its administrators)")
    public static class List extends TenancyCommand {
        @Argument(index = 0, name = "organization", required = true)
        String org;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"User", "Display name", "Enabled", "Created"}) {
                t.column(c);
            }
            for (User u : tenancy.users(caller, org)) {
                t.addRow().addContent(u.username(), u.displayName(), u.enabled(), u.createdAt());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "user-create", description = "Creates a local user in an organisation (its administrators)")
    public static class Create extends TenancyCommand {
        @Reference
        Session session;

        @Argument(index = 0, name = "organization", required = true)
        String org;

        @Argument(index = 1, name = "username", required = true)
        String username;

        @Option(name = "--password", description = "Password (at least 12 characters); asked for when missing")
        String password;

        @Option(name = "--display-name")
        String displayName;

        @Override
        protected void run(Caller caller) throws Exception {
            User u = tenancy.createUser(caller, org, username, displayName, password(session, password));
            System.out.println("Created user " + u.username() + " in " + org);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "user-disable", description = "Disables (or with --enable, enables) a user")
    public static class Disable extends TenancyCommand {
        @Argument(index = 0, name = "username", required = true)
        String username;

        @Option(name = "--enable")
        boolean enable;

        @Override
        protected void run(Caller caller) {
            tenancy.setUserEnabled(caller, username, enable);
            System.out.println((enable ? "Enabled " : "Disabled ") + username);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "user-delete", description = "Deletes a user with its roles, group memberships and API tokens")
    public static class Delete extends TenancyCommand {
        @Argument(index = 0, name = "username", required = true)
        String username;

        @Override
        protected void run(Caller caller) {
            tenancy.deleteUser(caller, username);
            System.out.println("Deleted " + username);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "passwd", description = "Sets your password, or another user's as their organisation administrator")
    public static class Passwd extends TenancyCommand {
        @Reference
        Session session;

        @Argument(index = 0, name = "username", description = "Default: yourself")
        String username;

        @Option(name = "--password")
        String password;

        @Override
        protected void run(Caller caller) throws Exception {
            String who = username == null ? caller.username() : username;
            tenancy.setPassword(caller, who, password(session, password));
            System.out.println("Password of " + who + " changed");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "group-create", description = "Creates a group in an organisation")
    public static class GroupCreate extends TenancyCommand {
        @Argument(index = 0, name = "organization", required = true)
        String org;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            System.out.println("Created group " + tenancy.createGroup(caller, org, name).name());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "group-add", description = "Adds a user of the organisation to a group")
    public static class GroupAdd extends TenancyCommand {
        @Argument(index = 0, name = "organization", required = true)
        String org;

        @Argument(index = 1, name = "group", required = true)
        String group;

        @Argument(index = 2, name = "username", required = true)
        String username;

        @Override
        protected void run(Caller caller) {
            tenancy.addGroupMember(caller, org, group, username);
            System.out.println("Added " + username + " to " + group);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "group-list", description = "Lists the groups of an organisation with their members")
    public static class GroupList extends TenancyCommand {
        @Argument(index = 0, name = "organization", required = true)
        String org;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            t.column("Group");
            t.column("Members");
            for (Group g : tenancy.groups(caller, org)) {
                t.addRow().addContent(g.name(), String.join(", ", g.members()));
            }
            t.print(System.out);
        }
    }
}
