package org.edgeorch.orchestrator.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;

/**
 * Checks a product user's password. Every enabled user may log in over SSH and run edge:* commands,
 * which apply the product's own roles; only platform administrators also get Karaf's administrative
 * roles (bundle, feature, config and system commands act on the whole runtime, across tenants).
 */
public class EdgeLoginModule implements LoginModule {

    static final List<String> EVERY_USER = List.of("ssh");
    static final List<String> PLATFORM_ADMIN = List.of("viewer", "manager", "admin", "systembundles");

    private Subject subject;
    private CallbackHandler callbacks;
    private AuthService auth;
    private final List<java.security.Principal> principals = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.callbacks = callbackHandler;
        this.auth = (AuthService) options.get(EdgeJaasRealm.AUTH_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("Username: ");
        PasswordCallback password = new PasswordCallback("Password: ", false);
        try {
            callbacks.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("cannot read user name and password: " + e.getMessage());
        }
        char[] secret = password.getPassword();
        try {
            Caller caller = auth.authenticatePassword(name.getName(), secret, clientAddress(subject));
            principals.add(new UserPrincipal(caller.username()));
            EVERY_USER.forEach(r -> principals.add(new RolePrincipal(r)));
            if (caller.platformAdmin()) {
                PLATFORM_ADMIN.forEach(r -> principals.add(new RolePrincipal(r)));
            }
            return true;
        } catch (TenancyException e) {
            throw new FailedLoginException(e.getMessage());
        } finally {
            password.clearPassword();
            if (secret != null) {
                java.util.Arrays.fill(secret, '\0');
            }
        }
    }

    /**
     * The SSH client's address, which Karaf's SSH authenticator puts in the subject as a {@link ClientPrincipal}
     * ({@code /10.0.0.7:52144}) before logging in; without the port, so that the login back-off counts per
     * address. "ssh" when there is none (the local console).
     */
    static String clientAddress(Subject subject) {
        for (ClientPrincipal p : subject == null ? java.util.Set.<ClientPrincipal>of() : subject.getPrincipals(ClientPrincipal.class)) {
            String a = p.getAddress();
            if (a == null || a.isBlank()) {
                continue;
            }
            a = a.substring(a.indexOf('/') + 1);
            int colon = a.lastIndexOf(':');
            if (colon > 0 && a.indexOf(':') == colon || a.startsWith("[")) {
                a = a.substring(0, colon);
            }
            return a.replace("[", "").replace("]", "");
        }
        return "ssh";
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        principals.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        principals.clear();
        return true;
    }
}
