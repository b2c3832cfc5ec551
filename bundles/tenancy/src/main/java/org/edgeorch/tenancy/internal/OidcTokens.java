package org.edgeorch.tenancy.internal;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Tokens of an external OpenID Connect provider, verified against its JWKS (fetched and cached by
 * Nimbus). The user is provisioned on first use in the configured organisation; project roles come from
 * a claim of {@code "<project>:<ROLE>"} strings, and only projects of that organisation count, so an
 * identity provider can never grant access to another tenant.
 */
final class OidcTokens {

    record Settings(String issuer, String jwksUri, String audience, String usernameClaim, String organization,
                    String rolesClaim) {

        static Settings of(TenancyConfig c) {
            return c.oidcIssuer().isBlank() ? null : new Settings(c.oidcIssuer().strip(), c.oidcJwksUri().strip(),
                    c.oidcAudience().strip(), c.oidcUsernameClaim().strip(), c.oidcOrganization().strip(),
                    c.oidcRolesClaim().strip());
        }
    }

    private final Settings settings;
    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    OidcTokens(Settings settings, Database db, AuditLog audit, Clock clock) {
        if (settings.jwksUri().isEmpty() || settings.organization().isEmpty()) {
            throw new IllegalArgumentException("OIDC needs oidcJwksUri and oidcOrganization besides oidcIssuer");
        }
        this.settings = settings;
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(settings.jwksUri()).toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("oidcJwksUri '" + settings.jwksUri() + "' is not a URL", e);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                settings.audience().isEmpty() ? null : settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp", settings.usernameClaim())));
    }

    String issuer() {
        return settings.issuer();
    }

    Caller authenticate(String token, String sourceAddress) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new TenancyException(Reason.UNAUTHENTICATED, "the OIDC token is malformed");
        } catch (BadJOSEException | JOSEException e) {
            throw new TenancyException(Reason.UNAUTHENTICATED, "the OIDC token was refused: " + e.getMessage());
        }
        String username;
        List<String> grants;
        try {
            username = claims.getStringClaim(settings.usernameClaim());
            grants = claims.getStringListClaim(settings.rolesClaim());
        } catch (ParseException e) {
            throw new TenancyException(Reason.UNAUTHENTICATED, "the OIDC token's claims have the wrong types: " + e.getMessage());
        }
        Names.username(username);
        return db.inTransaction(c -> {
            String orgId = Sql.one(c, "SELECT id FROM organization WHERE name = ?", rs -> rs.getString(1), settings.organization())
                    .orElseThrow(() -> new TenancyException(Reason.UNAUTHENTICATED,
                            "oidcOrganization '" + settings.organization() + "' does not exist"));
            record Row(String id, String orgId, boolean enabled) {
            }
            Row user = Sql.one(c, "SELECT id, org_id, enabled FROM app_user WHERE username = ?",
                    rs -> new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3)), username).orElse(null);
            if (user == null) {
                user = new Row(UUID.randomUUID().toString(), orgId, true);
                Sql.update(c, "INSERT INTO app_user (id, org_id, username, display_name, password_hash, enabled, created_at)"
                        + " VALUES (?, ?, ?, ?, NULL, ?, ?)", user.id(), orgId, username, username, true, clock.instant());
                audit.record(username, orgId, null, "user.provision", "user", username, AuditLog.Outcome.SUCCESS,
                        sourceAddress, "first OpenID Connect login");
            }
            if (!user.orgId().equals(orgId)) {
                throw new TenancyException(Reason.UNAUTHENTICATED, "user '" + username + "' belongs to another organisation");
            }
            if (!user.enabled()) {
                throw new TenancyException(Reason.UNAUTHENTICATED, "the account '" + username + "' is disabled");
            }
            Caller stored = Callers.load(c, user.id(), username, orgId, claims.getJWTID(), sourceAddress);
            Map<String, Set<Role>> roles = new HashMap<>(stored.projectRoles());
            for (String grant : grants == null ? List.<String>of() : grants) {
                int colon = grant.lastIndexOf(':');
                if (colon <= 0) {
                    continue;
                }
                Role role;
                try {
                    role = Role.valueOf(grant.substring(colon + 1).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (role.scope() != Role.Scope.PROJECT) {
                    continue;
                }
                Sql.one(c, "SELECT id FROM project WHERE name = ? AND org_id = ?", rs -> rs.getString(1),
                        grant.substring(0, colon), orgId).ifPresent(projectId -> {
                            Set<Role> set = new HashSet<>(roles.getOrDefault(projectId, Set.of()));
                            set.add(role);
                            roles.put(projectId, EnumSet.copyOf(set));
                        });
            }
            return new Caller(stored.userId(), username, orgId, stored.tokenId(), roles, stored.orgAdminOf(),
                    stored.platformAdmin(), sourceAddress);
        });
    }
}
