package org.edgeorch.orchestrator.shell.internal;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.IssuedToken;
import org.edgeorch.tenancy.Model.TokenInfo;
import org.edgeorch.shell.OptionsAnywhere;

/** Your own API tokens. */
public final class TokenCommands {

    private TokenCommands() {
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "token-create", description = "Issues an API token for you; it is shown only now")
    public static class Create extends TenancyCommand {
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Option(name = "--days", description = "Lifetime in days, 1 to 366 (default 90)")
        int days = 90;

        @Override
        protected void run(Caller caller) {
            IssuedToken t = auth.createApiToken(caller, name, Duration.ofDays(days));
            System.out.println("Token " + t.id() + " (" + t.name() + "), expires " + t.expiresAt() + ":");
            System.out.println(t.token());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "token-list", description = "Lists your unexpired tokens")
    public static class List extends TenancyCommand {
        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Id", "Name", "Kind", "Created", "Expires", "Revoked"}) {
                t.column(c);
            }
            for (TokenInfo i : auth.tokens(caller)) {
                t.addRow().addContent(i.id(), i.name(), i.kind(), i.createdAt(), i.expiresAt(),
                        i.revokedAt() == null ? "-" : i.revokedAt());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "token-revoke", description = "Revokes one of your tokens")
    public static class Revoke extends TenancyCommand {
        @Argument(index = 0, name = "id", required = true)
        String id;

        @Override
        protected void run(Caller caller) {
            auth.revokeToken(caller, id);
            System.out.println("Revoked " + id);
        }
    }
}
