package org.edgeorch.orchestrator.shell.internal;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyService;

/**
 * Runs as the product user the shell session belongs to (the SSH login, or the local console's
 * {@code karaf.local.user}), with that user's roles: the same rules as REST and SOAP.
 */
public abstract class TenancyCommand extends EdgeCommand {

    @Reference
    AuthService auth;

    @Reference
    TenancyService tenancy;

    @Override
    protected final void run() throws Exception {
        run(caller());
    }

    protected abstract void run(Caller caller) throws Exception;

    /** A domain's refusal (unauthenticated, forbidden, not found, conflict, invalid) is an error line too. */
    @Override
    protected String refusal(Exception e) {
        return e instanceof TenancyException ? e.getMessage() : super.refusal(e);
    }

    @SuppressWarnings("removal") // Karaf 4.4 carries the session user in the access control context
    private Caller caller() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        String user = subject == null ? null : subject.getPrincipals(UserPrincipal.class).stream()
                .map(Principal::getName).findFirst().orElse(null);
        if (user == null) {
            throw new TenancyException(TenancyException.Reason.UNAUTHENTICATED,
                    "this shell session has no user; log in over SSH with an Edge Orchestrator account");
        }
        return auth.callerOf(user, "shell");
    }
}
