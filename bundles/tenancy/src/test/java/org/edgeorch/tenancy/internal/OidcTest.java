package org.edgeorch.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/** An external OpenID Connect provider: its JWKS is served over real HTTP on loopback. */
class OidcTest {

    static final String ISSUER = "https://idp.example.test/realms/edge";

    @TempDir
    Path dir;

    TenancyFixture f;
    HttpServer idp;
    RSAKey key;
    AuthServiceImpl auth;

    @BeforeEach
    void setUp() throws Exception {
        f = new TenancyFixture(dir);
        f.organizationWithProject("acme");
        f.organizationWithProject("globex");
        key = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        idp.start();
        auth = new AuthServiceImpl(f.db, f.hasher, f.audit, f.clock, Duration.ofHours(1), new OidcTokens.Settings(ISSUER,
                "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks", "edgeorch", "preferred_username", "acme",
                "edgeorch_roles"), LoginThrottle.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        idp.stop(0);
    }

    private String token(RSAKey signer, String issuer, String audience, String user, Instant expires, List<String> roles)
            throws Exception {
        return token(signer, JOSEObjectType.JWT, issuer, audience, user, expires, roles);
    }

    private String token(RSAKey signer, JOSEObjectType type, String issuer, String audience, String user, Instant expires,
                         List<String> roles) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("sub-" + user)
                .claim("preferred_username", user).claim("edgeorch_roles", roles).jwtID("jti-" + user)
                .issueTime(new Date()).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID())
                .type(type).build(), claims);
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    @Test
    void providerTokensMapClaimsToProjectRolesInTheConfiguredOrganisationOnly() throws Exception {
        Instant in1h = Instant.now().plusSeconds(3600);
        Caller c = auth.authenticate(token(key, ISSUER, "edgeorch", "oidc-user", in1h,
                List.of("acme-p1:EDGE_OPERATOR", "globex-p1:PROJECT_ADMIN", "acme-p1:ORG_ADMIN", "junk")), "10.1.1.1");
        assertEquals("oidc-user", c.username());
        Project p = f.tenancy.project(c, "acme-p1");
        assertTrue(c.can(p.id(), Permission.OPERATE));
        assertFalse(c.can(p.id(), Permission.MEMBERS_MANAGE), "org-level roles cannot come from a claim");
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> f.tenancy.project(c, "globex-p1")).reason(),
                "a claim cannot reach another organisation's project");
        assertEquals(1, f.tenancy.users(f.login("acme-admin"), "acme").stream().filter(u -> u.username().equals("oidc-user")).count());
    }

    @Test
    void accessTokensInTheJwtProfileAreAcceptedButNoOtherTokenType() throws Exception {
        Instant in1h = Instant.now().plusSeconds(3600);
        assertEquals("rfc9068", auth.authenticate(token(key, OidcTokens.AT_JWT, ISSUER, "edgeorch", "rfc9068", in1h,
                List.of("acme-p1:VIEWER")), null).username());
        assertRefused(token(key, new JOSEObjectType("logout+jwt"), ISSUER, "edgeorch", "rfc9068", in1h, List.of()));
    }

    @Test
    void badAccessTokensAreRefusedAndProvisionNobody() throws Exception {
        Instant in1h = Instant.now().plusSeconds(3600);
        // the provider's own at+jwt, but for another resource server, from another issuer, or past its expiry
        assertRefused(token(key, OidcTokens.AT_JWT, ISSUER, "https://other.example.test/api", "eve", in1h, List.of("acme-p1:VIEWER")));
        assertRefused(token(key, OidcTokens.AT_JWT, "https://idp.example.test/realms/other", "edgeorch", "eve", in1h, List.of()));
        assertRefused(token(key, OidcTokens.AT_JWT, ISSUER, "edgeorch", "eve", Instant.now().minusSeconds(120), List.of()));
        // a good token whose claims were changed after signing, one with no signature, one MACed with a shared secret
        String good = token(key, OidcTokens.AT_JWT, ISSUER, "edgeorch", "eve", in1h, List.of("acme-p1:VIEWER"));
        String[] parts = good.split("\\.");
        String admin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new String(java.util.Base64.getUrlDecoder()
                .decode(parts[1]), StandardCharsets.UTF_8).replace("acme-p1:VIEWER", "acme-p1:PROJECT_ADMIN").getBytes(StandardCharsets.UTF_8));
        assertRefused(parts[0] + "." + admin + "." + parts[2]);
        JWTClaimsSet claims = SignedJWT.parse(good).getJWTClaimsSet();
        assertRefused(new com.nimbusds.jwt.PlainJWT(claims).serialize());
        SignedJWT maced = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("idp-1").type(OidcTokens.AT_JWT).build(), claims);
        maced.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
        assertRefused(maced.serialize());
        // not a token at all
        assertRefused("not-a-jwt");
        assertRefused(parts[0] + "." + parts[1]);
        assertTrue(f.tenancy.users(f.login("acme-admin"), "acme").stream().noneMatch(u -> u.username().equals("eve")),
                "no refused token provisions its user");
    }

    @Test
    void foreignOrForgedProviderTokensAreRefused() throws Exception {
        Instant in1h = Instant.now().plusSeconds(3600);
        RSAKey other = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        assertRefused(token(other, ISSUER, "edgeorch", "mallory", in1h, List.of("acme-p1:VIEWER")));
        assertRefused(token(key, ISSUER, "someone-else", "mallory", in1h, List.of("acme-p1:VIEWER")));
        assertRefused(token(key, ISSUER, "edgeorch", "mallory", Instant.now().minusSeconds(600), List.of("acme-p1:VIEWER")));
        assertRefused(token(key, ISSUER, "edgeorch", "globex-admin", in1h, List.of("acme-p1:VIEWER")));
    }

    @Test
    void theDashboardLoginComesFromTheProvidersDiscoveryDocumentWhenAClientIsConfigured() throws Exception {
        assertTrue(auth.oidcLogin().isEmpty(), "no client id: no browser login, though tokens are accepted");
        String local = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/edge";
        String[] named = {local};
        int[] reads = {0};
        idp.createContext("/realms/edge/.well-known/openid-configuration", exchange -> {
            byte[] doc = ("{\"issuer\":\"" + named[0] + "\",\"authorization_endpoint\":\"" + local + "/auth\","
                    + "\"token_endpoint\":\"" + local + "/token\",\"jwks_uri\":\"" + local + "/jwks\"}").getBytes(StandardCharsets.UTF_8);
            reads[0]++;
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, doc.length);
            exchange.getResponseBody().write(doc);
            exchange.close();
        });
        AuthServiceImpl withClient = new AuthServiceImpl(f.db, f.hasher, f.audit, f.clock, Duration.ofHours(1),
                new OidcTokens.Settings(local, local + "/jwks", "https://edge.example.test/api", "preferred_username", "acme",
                        "edgeorch_roles", "edge-dashboard", "openid profile"), LoginThrottle.DEFAULTS);
        Model.OidcLogin login = withClient.oidcLogin().orElseThrow();
        assertEquals(new Model.OidcLogin(local, "edge-dashboard", "openid profile", "https://edge.example.test/api",
                local + "/auth", local + "/token", null), login);
        // kept an hour: a document naming another issuer is only read (and refused) once that has passed
        named[0] = "https://elsewhere.example.test";
        assertEquals(login, withClient.oidcLogin().orElseThrow());
        f.clock.advance(OidcTokens.DISCOVERY_TTL.plusSeconds(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, withClient::oidcLogin);
        assertTrue(e.getMessage().contains("elsewhere"), e.getMessage());
        assertEquals(2, reads[0]);
        // a failure is kept a little too: the pages asking meanwhile get it at once, without another read
        assertTrue(assertThrows(IllegalStateException.class, withClient::oidcLogin).getMessage().contains("elsewhere"));
        assertEquals(2, reads[0]);
        named[0] = local;
        f.clock.advance(OidcTokens.DISCOVERY_RETRY.plusSeconds(1));
        assertEquals(login, withClient.oidcLogin().orElseThrow());
        assertEquals(3, reads[0]);
        AuthServiceImpl nowhere = new AuthServiceImpl(f.db, f.hasher, f.audit, f.clock, Duration.ofHours(1),
                new OidcTokens.Settings(local + "/missing", local + "/jwks", "", "preferred_username", "acme", "edgeorch_roles",
                        "edge-dashboard", "openid"), LoginThrottle.DEFAULTS);
        assertTrue(assertThrows(IllegalStateException.class, nowhere::oidcLogin).getMessage().contains("HTTP 404"));
    }

    private void assertRefused(String token) {
        assertEquals(Reason.UNAUTHENTICATED, assertThrows(TenancyException.class, () -> auth.authenticate(token, null)).reason());
    }
}
