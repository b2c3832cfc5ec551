package org.edgeorch.tenancy.internal;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
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

    /** {@code clientId} empty: no browser login on the dashboard (tokens are still accepted). */
    record Settings(String issuer, String jwksUri, String audience, String usernameClaim, String organization,
                    String rolesClaim, String clientId, String scope) {

        Settings(String issuer, String jwksUri, String audience, String usernameClaim, String organization,
                 String rolesClaim) {
            this(issuer, jwksUri, audience, usernameClaim, organization, rolesClaim, "", "openid");
        }

        static Settings of(TenancyConfig c) {
            return c.oidcIssuer().isBlank() ? null : new Settings(c.oidcIssuer().strip(), c.oidcJwksUri().strip(),
                    c.oidcAudience().strip(), c.oidcUsernameClaim().strip(), c.oidcOrganization().strip(),
                    c.oidcRolesClaim().strip(), c.oidcClientId().strip(), c.oidcScope().strip());
        }
    }

    /** The discovery document is read again after this long, so a provider's moved endpoints are followed. */
    static final Duration DISCOVERY_TTL = Duration.ofHours(1);
    /**
     * A discovery that failed is not tried again for this long: every page of the dashboard asks (for its
     * Content-Security-Policy), and a provider that is down must not cost each of them a connect timeout.
     */
    static final Duration DISCOVERY_RETRY = Duration.ofSeconds(30);

    /** The endpoints read at {@code at}, or why they could not be read then ({@code login} null). */
    private record Discovered(Model.OidcLogin login, IllegalStateException failure, Instant at) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Discovered discovered;

    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

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
        // Access tokens in the JWT profile (RFC 9068) say typ "at+jwt"; other providers say "JWT" or nothing.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, AT_JWT, null));
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

    /**
     * The dashboard's login with the provider: the endpoints from {@code <issuer>/.well-known/openid-configuration}
     * (OpenID Connect Discovery 1.0), kept for {@link #DISCOVERY_TTL}; empty without a client id.
     */
    Optional<Model.OidcLogin> login() {
        if (settings.clientId().isEmpty()) {
            return Optional.empty();
        }
        Discovered d = discovered;
        Instant now = clock.instant();
        if (d == null || now.isAfter(d.at().plus(d.login() == null ? DISCOVERY_RETRY : DISCOVERY_TTL))) {
            try {
                d = new Discovered(discover(), null, now);
            } catch (IllegalStateException e) {
                d = new Discovered(null, e, now);
            }
            discovered = d;
        }
        if (d.login() == null) {
            throw new IllegalStateException(d.failure().getMessage(), d.failure());
        }
        return Optional.of(d.login());
    }

    private Model.OidcLogin discover() {
        URI uri = URI.create(settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        Map<String, Object> doc;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the OpenID Connect provider answered HTTP " + r.statusCode() + " for " + uri);
            }
            doc = JSONObjectUtils.parse(r.body());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read the OpenID Connect provider's discovery document " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
        // Discovery 1.0 §4.3: the document must name the issuer it was read from.
        if (!settings.issuer().equals(doc.get("issuer"))) {
            throw new IllegalStateException("the discovery document at " + uri + " names issuer '" + doc.get("issuer")
                    + "', not '" + settings.issuer() + "'");
        }
        return new Model.OidcLogin(settings.issuer(), settings.clientId(), settings.scope(),
                settings.audience().isEmpty() ? null : settings.audience(), endpoint(doc, "authorization_endpoint", true),
                endpoint(doc, "token_endpoint", true), endpoint(doc, "end_session_endpoint", false));
    }

    private static String endpoint(Map<String, Object> doc, String key, boolean required) {
        Object v = doc.get(key);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || !(s.startsWith("https://") || s.startsWith("http://"))) {
            throw new IllegalStateException("the provider's discovery document has no usable " + key);
        }
        return s;
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
