package org.edgeorch.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.IssuedToken;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthServiceTest {

    @TempDir
    Path dir;

    TenancyFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new TenancyFixture(dir);
        f.organizationWithProject("acme");
    }

    @Test
    void loginIssuesATokenThatAuthenticates() {
        IssuedToken t = f.auth.login("acme-admin", "acme-admin-password".toCharArray(), "10.0.0.1");
        Caller c = f.auth.authenticate(t.token(), "10.0.0.2");
        assertEquals("acme-admin", c.username());
        assertEquals(t.id(), c.tokenId());
        assertTrue(c.orgAdminOf().contains(c.orgId()));
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        String a = assertThrows(TenancyException.class, () -> f.auth.login("acme-admin", "nope-nope-nope".toCharArray(), null)).getMessage();
        String b = assertThrows(TenancyException.class, () -> f.auth.login("nobody", "nope-nope-nope".toCharArray(), null)).getMessage();
        assertEquals(a, b);
    }

    @Test
    void malformedTamperedForeignAndNoneTokensAreRefusedWithReasons() {
        IssuedToken t = f.auth.login("acme-admin", "acme-admin-password".toCharArray(), null);
        assertRefused("a bearer token is required", null);
        assertRefused("malformed", "not.a.jwt");
        String[] parts = t.token().split("\\.");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("acme-admin", "admin").getBytes(StandardCharsets.UTF_8));
        assertRefused("signature is not valid", parts[0] + "." + forgedClaims + "." + parts[2]);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused("malformed", none + "." + parts[1] + ".");
        String hs = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"HS256\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused("only ES256", hs + "." + parts[1] + "." + parts[2]);
    }

    @Test
    void expiredRevokedAndDisabledTokensAreRefused() {
        Caller admin = f.login("acme-admin");
        IssuedToken api = f.auth.createApiToken(admin, "ci", Duration.ofDays(1));
        assertEquals("acme-admin", f.auth.authenticate(api.token(), null).username());
        f.clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertRefused("expired", api.token());

        IssuedToken second = f.auth.createApiToken(f.login("acme-admin"), "ci-2", Duration.ofDays(30));
        f.auth.revokeToken(f.login("acme-admin"), second.id());
        assertRefused("revoked", second.token());

        f.member("acme", "acme-p1", "temp", Role.VIEWER);
        IssuedToken temp = f.auth.login("temp", "temp-password".toCharArray(), null);
        f.tenancy.setUserEnabled(f.login("acme-admin"), "temp", false);
        assertRefused("revoked", temp.token());
        assertEquals(Reason.UNAUTHENTICATED, assertThrows(TenancyException.class,
                () -> f.auth.login("temp", "temp-password".toCharArray(), null)).reason());
    }

    @Test
    void aDisabledUsersTokensStayRevokedAndADeletedUsersTokensAreRefusedAtOnce() {
        f.organizationWithProject("globex");
        Caller acmeAdmin = f.login("acme-admin");
        Caller temp = f.member("acme", "acme-p1", "temp", Role.VIEWER);
        IssuedToken api = f.auth.createApiToken(temp, "ci", Duration.ofDays(30));
        assertEquals("temp", f.auth.authenticate(api.token(), null).username());
        f.tenancy.setUserEnabled(acmeAdmin, "temp", false);
        assertRefused("revoked", api.token());
        // re-enabling the account does not bring back the tokens it had
        f.tenancy.setUserEnabled(acmeAdmin, "temp", true);
        assertRefused("revoked", api.token());

        Caller gone = f.member("acme", "acme-p1", "gone", Role.EDGE_MANAGER);
        IssuedToken goneApi = f.auth.createApiToken(gone, "ci", Duration.ofDays(30));
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> f.tenancy.deleteUser(f.login("temp"), "gone")).reason(), "only administrators delete users");
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.tenancy.deleteUser(f.login("globex-admin"), "gone")).reason(), "another tenant's user does not exist");
        assertEquals(Reason.INVALID, assertThrows(TenancyException.class,
                () -> f.tenancy.deleteUser(acmeAdmin, "acme-admin")).reason());
        f.tenancy.deleteUser(acmeAdmin, "gone");
        assertRefused("not known", goneApi.token());
        assertEquals(Reason.UNAUTHENTICATED, assertThrows(TenancyException.class,
                () -> f.auth.login("gone", "gone-password".toCharArray(), null)).reason());
        assertEquals(1, f.audit.query(acmeAdmin, new AuditLog.Query(null, "acme-admin", "user.delete", AuditLog.Outcome.SUCCESS,
                null, null, 0, 10)).total());
        // the name is free again in the organisation
        f.member("acme", "acme-p1", "gone", Role.VIEWER);
    }

    @Test
    void apiTokensAreListedWithoutTheirSecretAndBounded() {
        Caller admin = f.login("acme-admin");
        f.auth.createApiToken(admin, "deploy", Duration.ofDays(90));
        assertEquals(1, f.auth.tokens(admin).stream().filter(t -> t.name().equals("deploy")).count());
        assertEquals("expiresInDays", assertThrows(TenancyException.class,
                () -> f.auth.createApiToken(admin, "forever", Duration.ofDays(4000))).field());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.auth.revokeToken(admin, "not-mine")).reason());
    }

    @Test
    void repeatedFailedLoginsAreThrottledAuditedOnceAndASuccessRecovers() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Reason.UNAUTHENTICATED, assertThrows(TenancyException.class,
                    () -> f.auth.login("acme-admin", "wrong-password-x".toCharArray(), "192.0.2.1")).reason());
        }
        for (int i = 0; i < 3; i++) {
            TenancyException e = assertThrows(TenancyException.class,
                    () -> f.auth.login("acme-admin", "acme-admin-password".toCharArray(), "192.0.2.1"));
            assertEquals(Reason.THROTTLED, e.reason(), "the right password is not even checked while the wait lasts");
            assertEquals(Duration.ofSeconds(1), e.retryAfter());
        }
        Caller acmeAdmin = f.auth.authenticatePassword("acme-admin", "acme-admin-password".toCharArray(), "10.0.0.1");
        assertEquals("acme-admin", acmeAdmin.username(), "another address with no failures is not held back");
        var throttled = f.audit.query(acmeAdmin, new AuditLog.Query(null, "acme-admin", "auth.throttled", null, null, null, 0, 10));
        assertEquals(1, throttled.total(), "audited once per burst, not per attempt");
        assertEquals("192.0.2.1", throttled.events().get(0).sourceAddress());
        assertEquals(AuditLog.Outcome.DENIED, throttled.events().get(0).outcome());

        f.clock.advance(Duration.ofSeconds(1));
        assertEquals("login", f.auth.login("acme-admin", "acme-admin-password".toCharArray(), "192.0.2.1").name(),
                "after the wait, the right password gets in");
        for (int i = 0; i < 4; i++) {
            assertThrows(TenancyException.class, () -> f.auth.login("acme-admin", "wrong-password-x".toCharArray(), "192.0.2.1"));
        }
        assertEquals("acme-admin", f.auth.authenticatePassword("acme-admin", "acme-admin-password".toCharArray(), "192.0.2.1")
                .username(), "the success reset the count");
    }

    private void assertRefused(String reasonPart, String token) {
        TenancyException e = assertThrows(TenancyException.class, () -> f.auth.authenticate(token, null));
        assertEquals(Reason.UNAUTHENTICATED, e.reason());
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
    }
}
