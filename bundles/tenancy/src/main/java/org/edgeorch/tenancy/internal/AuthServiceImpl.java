package org.edgeorch.tenancy.internal;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.edgeorch.platform.Inputs;
import org.edgeorch.security.PasswordHasher;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model;
import org.edgeorch.tenancy.Model.IssuedToken;
import org.edgeorch.tenancy.Model.TokenInfo;
import org.edgeorch.tenancy.Model.TokenKind;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Bearer tokens are ES256-signed JWTs (Nimbus JOSE+JWT). The database keeps each token's id, owner and
 * expiry but not the token, so a leaked database yields no usable token, and a revoked id is refused on
 * every orchestrator at once.
 */
@Component(service = AuthService.class, configurationPid = "org.edgeorch.tenancy")
@Designate(ocd = TenancyConfig.class)
public class AuthServiceImpl implements AuthService {

    private static final Logger LOG = LoggerFactory.getLogger(AuthServiceImpl.class);
    static final String ISSUER = "edgeorch";
    static final Duration MAX_API_TOKEN_LIFETIME = Duration.ofDays(366);

    private final Database db;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;
    private final SigningKeys keys;
    private volatile Duration loginLifetime;
    /** Verified against when the user does not exist, so both failures take the same time. */
    private final String decoyHash;
    /** Tokens of the configured OpenID Connect provider, or null when OIDC is off. */
    private volatile OidcTokens oidc;
    private volatile OidcTokens.Settings oidcSettings;
    /** Back-off after failed password logins, per account and per address, for every adapter. */
    private volatile LoginThrottle throttle;
    private volatile LoginThrottle.Settings throttleSettings;

    @Activate
    public AuthServiceImpl(@Reference Database db, @Reference PasswordHasher hasher, @Reference AuditLog audit,
                           TenancyConfig config) {
        this(db, hasher, audit, Clock.systemUTC(), Duration.ofMinutes(config.loginTokenMinutes()), OidcTokens.Settings.of(config),
                throttleSettings(config));
    }

    private static LoginThrottle.Settings throttleSettings(TenancyConfig config) {
        return new LoginThrottle.Settings(config.loginFreeFailures(), Duration.ofMillis(config.loginBackoffFirstMillis()),
                Duration.ofSeconds(config.loginBackoffMaxSeconds()), Duration.ofHours(1), LoginThrottle.DEFAULTS.maxEntries());
    }

    /**
     * A change of the configuration (the first start's own, when {@link InitialAdmin} replaces the password by its
     * hash, among them) is applied in place: reactivating would withdraw AuthService, and with it every domain service
     * and REST resource above it, for a moment (requests answered 404 meanwhile). What did not change is kept, so the
     * login back-off is not forgotten when only the password's line changed.
     */
    @Modified
    void modified(TenancyConfig config) {
        OidcTokens.Settings newOidc = OidcTokens.Settings.of(config);
        if (!java.util.Objects.equals(newOidc, oidcSettings)) {
            oidc = newOidc == null ? null : new OidcTokens(newOidc, db, audit, clock);
            oidcSettings = newOidc;
        }
        LoginThrottle.Settings newThrottle = throttleSettings(config);
        if (!newThrottle.equals(throttleSettings)) {
            throttle = new LoginThrottle(newThrottle, clock);
            throttleSettings = newThrottle;
        }
        loginLifetime = Duration.ofMinutes(config.loginTokenMinutes());
        LOG.info("Configuration org.edgeorch.tenancy changed: applied in place, authentication stays registered");
    }

    AuthServiceImpl(Database db, PasswordHasher hasher, AuditLog audit, Clock clock, Duration loginLifetime) {
        this(db, hasher, audit, clock, loginLifetime, null, LoginThrottle.DEFAULTS);
    }

    AuthServiceImpl(Database db, PasswordHasher hasher, AuditLog audit, Clock clock, Duration loginLifetime,
                    OidcTokens.Settings oidc, LoginThrottle.Settings throttle) {
        this.db = db;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
        this.keys = new SigningKeys(db, clock);
        this.loginLifetime = loginLifetime;
        this.decoyHash = hasher.hash(UUID.randomUUID().toString().toCharArray());
        this.oidc = oidc == null ? null : new OidcTokens(oidc, db, audit, clock);
        this.oidcSettings = oidc;
        this.throttle = new LoginThrottle(throttle, clock);
        this.throttleSettings = throttle;
    }

    private record Account(String id, String orgId, String username, String passwordHash, boolean enabled) {
    }

    @Override
    public IssuedToken login(String username, char[] password, String sourceAddress) {
        Caller caller = authenticatePassword(username, password, sourceAddress);
        IssuedToken token = issue(caller, "login", TokenKind.LOGIN, loginLifetime);
        audit.record(caller.username(), caller.orgId(), null, "auth.login", "user", caller.username(), Outcome.SUCCESS,
                sourceAddress, null);
        return token;
    }

    @Override
    public Caller authenticatePassword(String username, char[] password, String sourceAddress) {
        LoginThrottle throttle = this.throttle;
        LoginThrottle.Refusal refusal = throttle.check(username, sourceAddress).orElse(null);
        if (refusal != null) {
            if (refusal.firstOfBurst()) {
                String orgId = username == null ? null : db.inTransaction(c -> Sql.one(c,
                        "SELECT org_id FROM app_user WHERE username = ?", rs -> rs.getString(1), username)).orElse(null);
                audit.record(username == null ? "-" : username, orgId, null, "auth.throttled", "user", username, Outcome.DENIED,
                        sourceAddress, refusal.failures() + " failed logins " + (refusal.byAccount() ? "on this account" : "from this address")
                                + "; further attempts refused for " + TenancyException.seconds(refusal.retryAfter()) + " s");
            }
            throw TenancyException.throttled(refusal.retryAfter());
        }
        Account account = username == null ? null : db.inTransaction(c -> Sql.one(c,
                "SELECT id, org_id, username, password_hash, enabled FROM app_user WHERE username = ?",
                rs -> new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)),
                username)).orElse(null);
        char[] given = password == null ? new char[0] : password;
        boolean ok = hasher.verify(given, account == null || account.passwordHash() == null ? decoyHash : account.passwordHash())
                && account != null && account.passwordHash() != null;
        if (!ok || !account.enabled()) {
            throttle.failed(username, sourceAddress);
            audit.record(username == null ? "-" : username, account == null ? null : account.orgId(), null, "auth.login",
                    "user", username, Outcome.DENIED, sourceAddress, ok ? "account disabled" : "wrong user or password");
            throw new TenancyException(Reason.UNAUTHENTICATED, "wrong user name or password, or the account is disabled");
        }
        throttle.succeeded(username, sourceAddress);
        return db.inTransaction(c -> Callers.load(c, account.id(), account.username(), account.orgId(), null, sourceAddress));
    }

    @Override
    public Caller callerOf(String username, String sourceAddress) {
        return db.inTransaction(c -> {
            Account a = Sql.one(c, "SELECT id, org_id, username, password_hash, enabled FROM app_user WHERE username = ?",
                    rs -> new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)),
                    username).filter(Account::enabled)
                    .orElseThrow(() -> unauthenticated("'" + username + "' is not an enabled Edge Orchestrator user"));
            return Callers.load(c, a.id(), a.username(), a.orgId(), null, sourceAddress);
        });
    }

    @Override
    public Caller authenticate(String bearerToken, String sourceAddress) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw unauthenticated("a bearer token is required (Authorization: Bearer <token>; get one with POST /api/v1/auth/login)");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(bearerToken.strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthenticated("the bearer token is malformed: not a signed JWT");
        }
        OidcTokens external = oidc;
        if (external != null && external.issuer().equals(claims.getIssuer())) {
            return external.authenticate(bearerToken.strip(), sourceAddress);
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            throw unauthenticated("the bearer token is signed with " + jwt.getHeader().getAlgorithm() + "; only ES256 is accepted");
        }
        var key = keys.verifier(jwt.getHeader().getKeyID())
                .orElseThrow(() -> unauthenticated("the bearer token was signed by an unknown or retired key"));
        try {
            if (!jwt.verify(new ECDSAVerifier(key))) {
                throw unauthenticated("the bearer token's signature is not valid");
            }
        } catch (JOSEException e) {
            throw unauthenticated("the bearer token's signature cannot be checked: " + e.getMessage());
        }
        Instant now = clock.instant();
        if (!ISSUER.equals(claims.getIssuer()) || claims.getJWTID() == null || claims.getExpirationTime() == null) {
            throw unauthenticated("the bearer token was not issued by this orchestrator");
        }
        if (!claims.getExpirationTime().toInstant().isAfter(now)) {
            throw unauthenticated("the bearer token expired at " + claims.getExpirationTime().toInstant());
        }
        return db.inTransaction(c -> {
            record Row(String userId, String orgId, String username, boolean enabled, Instant revokedAt) {
            }
            Row row = Sql.one(c, "SELECT u.id, u.org_id, u.username, u.enabled, t.revoked_at FROM api_token t"
                    + " JOIN app_user u ON u.id = t.user_id WHERE t.id = ?",
                    rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), Sql.instant(rs, "revoked_at")),
                    claims.getJWTID()).orElseThrow(() -> unauthenticated("the bearer token is not known here"));
            if (row.revokedAt() != null) {
                throw unauthenticated("the bearer token was revoked at " + row.revokedAt());
            }
            if (!row.enabled() || !row.userId().equals(claims.getSubject())) {
                throw unauthenticated("the bearer token's account is disabled");
            }
            return Callers.load(c, row.userId(), row.username(), row.orgId(), claims.getJWTID(), sourceAddress);
        });
    }

    @Override
    public IssuedToken createApiToken(Caller caller, String name, Duration lifetime) {
        TenancyException.invalidIf("name", Inputs.nameProblem("token name", name, 100));
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_API_TOKEN_LIFETIME) > 0) {
            throw new TenancyException(Reason.INVALID, "expiresInDays", "token lifetime must be 1 to 366 days");
        }
        IssuedToken token = issue(caller, name.strip(), TokenKind.API, lifetime);
        audit.record(caller.username(), caller.orgId(), null, "token.create", "api_token", token.id(), Outcome.SUCCESS,
                caller.sourceAddress(), name);
        return token;
    }

    @Override
    public List<TokenInfo> tokens(Caller caller) {
        return db.inTransaction(c -> Sql.list(c, "SELECT id, name, kind, created_at, expires_at, revoked_at FROM api_token"
                + " WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC",
                rs -> new TokenInfo(rs.getString(1), rs.getString(2), TokenKind.valueOf(rs.getString(3)),
                        Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "revoked_at")),
                caller.userId(), clock.instant()));
    }

    @Override
    public void revokeToken(Caller caller, String tokenId) {
        int n = db.inTransaction(c -> Sql.update(c,
                "UPDATE api_token SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                clock.instant(), tokenId, caller.userId()));
        if (n == 0) {
            throw new TenancyException(Reason.NOT_FOUND, "token '" + tokenId + "' does not exist or is already revoked");
        }
        audit.record(caller.username(), caller.orgId(), null, "token.revoke", "api_token", tokenId, Outcome.SUCCESS,
                caller.sourceAddress(), null);
    }

    private IssuedToken issue(Caller caller, String name, TokenKind kind, Duration lifetime) {
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        String id = UUID.randomUUID().toString();
        SigningKeys.SigningKey key = keys.current();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(caller.userId()).jwtID(id)
                .issueTime(Date.from(now)).expirationTime(Date.from(expires))
                .claim("username", caller.username()).claim("kind", kind.name()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        db.inTransaction(c -> Sql.update(c, "INSERT INTO api_token (id, user_id, name, kind, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", id, caller.userId(), name, kind, now, expires));
        return new IssuedToken(id, name, kind, jwt.serialize(), expires);
    }

    private static TenancyException unauthenticated(String message) {
        return new TenancyException(Reason.UNAUTHENTICATED, message);
    }

    @Override
    public Optional<Model.OidcLogin> oidcLogin() {
        return oidc == null ? Optional.empty() : oidc.login();
    }
}
