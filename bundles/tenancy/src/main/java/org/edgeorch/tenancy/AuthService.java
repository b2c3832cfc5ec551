package org.edgeorch.tenancy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.edgeorch.tenancy.Model.IssuedToken;
import org.edgeorch.tenancy.Model.TokenInfo;
import org.osgi.annotation.versioning.ProviderType;

/** Logins, bearer tokens and who a token belongs to. */
@ProviderType
public interface AuthService {

    /** Checks a password and issues a short-lived login token; the same answer for unknown users and wrong passwords. */
    IssuedToken login(String username, char[] password, String sourceAddress);

    /** Checks a password without issuing anything (SSH, WS-Security UsernameToken). */
    Caller authenticatePassword(String username, char[] password, String sourceAddress);

    /**
     * The caller for a user that an adapter authenticated itself (the Karaf JAAS realm for SSH, which
     * checked the password through {@link #authenticatePassword}, or the local console's configured user).
     *
     * @throws TenancyException UNAUTHENTICATED when no enabled user has that name
     */
    Caller callerOf(String username, String sourceAddress);

    /**
     * Validates a bearer token (signature, expiry, not revoked, user enabled) and returns its caller.
     *
     * @throws TenancyException UNAUTHENTICATED with the precise reason
     */
    Caller authenticate(String bearerToken, String sourceAddress);

    /** Issues a named API token for the caller itself. */
    IssuedToken createApiToken(Caller caller, String name, Duration lifetime);

    List<TokenInfo> tokens(Caller caller);

    /** Revokes one of the caller's own tokens; refused at once on every orchestrator. */
    void revokeToken(Caller caller, String tokenId);

    /**
     * The browser login with the OpenID Connect provider, when one is configured with a client for the dashboard;
     * anyone may ask (the login page does, before anyone is logged in).
     *
     * @throws IllegalStateException when the provider's discovery document cannot be read or does not fit
     */
    Optional<Model.OidcLogin> oidcLogin();
}
