package org.edgeorch.tenancy.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.edgeorch.security.PasswordHasher;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.SubjectType;
import org.edgeorch.tenancy.Role;

/**
 * The services wired by hand on a Derby database, with a movable clock and a fast password hasher
 * (the real Argon2 one is tested in the security bundle; here only the calls matter).
 */
public final class TenancyFixture {

    public static final String ADMIN_PASSWORD = "initial-admin-secret";

    public final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    public final TestDatabase db;
    public final PasswordHasher hasher = new FastHasher();
    public final AuditLogImpl audit;
    public final TenancyServiceImpl tenancy;
    public final AuthServiceImpl auth;

    public TenancyFixture(Path dir) throws IOException {
        db = new TestDatabase(dir);
        audit = new AuditLogImpl(db, clock, Duration.ofDays(30));
        tenancy = new TenancyServiceImpl(db, hasher, audit, clock);
        auth = new AuthServiceImpl(db, hasher, audit, clock, Duration.ofHours(1));
        InitialAdmin.create(db, hasher, audit, config(ADMIN_PASSWORD), dir, clock);
    }

    public Caller admin() {
        return auth.authenticatePassword("admin", ADMIN_PASSWORD.toCharArray(), "127.0.0.1");
    }

    public Caller login(String user) {
        return auth.authenticatePassword(user, (user + "-password").toCharArray(), "127.0.0.1");
    }

    /** An organisation with an org admin {@code <org>-admin} and one project {@code <org>-p1}. */
    public void organizationWithProject(String org) {
        Caller admin = admin();
        tenancy.createOrganization(admin, org, org.toUpperCase());
        tenancy.createUser(admin, org, org + "-admin", null, (org + "-admin-password").toCharArray());
        tenancy.grantOrganizationRole(admin, org, SubjectType.USER, org + "-admin", Role.ORG_ADMIN);
        tenancy.createProject(login(org + "-admin"), org, org + "-p1", null);
    }

    /** A user of {@code org} holding {@code role} in {@code project}; password {@code <user>-password}. */
    public Caller member(String org, String project, String user, Role role) {
        Caller orgAdmin = login(org + "-admin");
        tenancy.createUser(orgAdmin, org, user, null, (user + "-password").toCharArray());
        tenancy.grantProjectRole(orgAdmin, project, SubjectType.USER, user, role);
        return login(user);
    }

    /** The configuration's defaults, with this initial administrator password. */
    static TenancyConfig config(String password) {
        return (TenancyConfig) java.lang.reflect.Proxy.newProxyInstance(TenancyConfig.class.getClassLoader(),
                new Class<?>[] {TenancyConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "initialAdminPassword" -> password;
                    case "loginTokenMinutes" -> 60;
                    case "auditRetentionDays" -> 30;
                    case "annotationType" -> TenancyConfig.class;
                    default -> method.getDefaultValue();
                });
    }

    public static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Salted SHA-256: fast, and enough to exercise the calls. */
    static final class FastHasher implements PasswordHasher {
        @Override
        public String hash(char[] password) {
            String salt = java.util.UUID.randomUUID().toString();
            return "$test$" + salt + "$" + digest(salt, password);
        }

        @Override
        public boolean verify(char[] password, String encoded) {
            if (encoded == null || !encoded.startsWith("$test$")) {
                return false;
            }
            String[] parts = encoded.split("\\$");
            return parts.length == 4 && parts[3].equals(digest(parts[2], password));
        }

        @Override
        public boolean isEncoded(String value) {
            return value != null && value.startsWith("$test$") && value.split("\\$").length == 4;
        }

        @Override
        public boolean needsRehash(String encoded) {
            return false;
        }

        private static String digest(String salt, char[] password) {
            try {
                var md = java.security.MessageDigest.getInstance("SHA-256");
                md.update(salt.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(md.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
