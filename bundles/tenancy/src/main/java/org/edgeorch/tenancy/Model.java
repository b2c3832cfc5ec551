package org.edgeorch.tenancy;

import java.time.Instant;

/** The tenancy records, as the service hands them out. */
public final class Model {

    private Model() {
    }

    public record Organization(String id, String name, String displayName, Instant createdAt) {
    }

    public record Project(String id, String orgId, String name, String displayName, Instant createdAt) {
    }

    /** A local account. Its password hash never leaves the service. */
    public record User(String id, String orgId, String username, String displayName, boolean enabled,
                       Instant createdAt) {
    }

    public record Group(String id, String orgId, String name, java.util.List<String> members) {
    }

    /** Who (a user or a group, by name) holds which role where (an organisation or a project, by name). */
    public record RoleBinding(String id, SubjectType subjectType, String subject, Role.Scope scopeType,
                              String scope, Role role, Instant createdAt) {
    }

    public enum SubjectType { USER, GROUP }

    /** A token as listed: never the token itself, which is shown once when issued. */
    public record TokenInfo(String id, String name, TokenKind kind, Instant createdAt, Instant expiresAt,
                            Instant revokedAt) {
    }

    public enum TokenKind { LOGIN, API }

    /** A newly issued token: {@code token} is the bearer value and is not kept by the orchestrator. */
    public record IssuedToken(String id, String name, TokenKind kind, String token, Instant expiresAt) {
    }

    /**
     * How a browser logs in with the configured OpenID Connect provider: authorization code with PKCE for the public
     * client {@code clientId}, asking for {@code scope} and, when {@code audience} is set, for an access token for
     * that audience (the orchestrator accepts no other). The endpoints come from the provider's discovery document;
     * {@code endSessionEndpoint} is null when it has none.
     */
    public record OidcLogin(String issuer, String clientId, String scope, String audience, String authorizationEndpoint,
                            String tokenEndpoint, String endSessionEndpoint) {
    }
}
