package org.edgeorch.tenancy.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.edgeorch.security.PasswordHasher;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the very first start (no user at all), creates the initial organisation and its administrator,
 * who is also platform administrator. The password comes from configuration or is generated; a
 * generated one is written once to an owner-only file and to the console, never to the log. A configured one may be
 * the password or its hash; the first start replaces a password by its hash in the configuration file.
 */
@Component(immediate = true, configurationPid = "org.edgeorch.tenancy")
public class InitialAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);
    static final String PASSWORD_FILE = "initial-admin-password";
    private static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "edgeorch-bootstrap"));
    private final PasswordHasher hasher;
    private final Path configStore;

    @Activate
    public InitialAdmin(@Reference Database db, @Reference PasswordHasher hasher, @Reference AuditLog audit,
                        TenancyConfig config, BundleContext context, Map<String, Object> properties) {
        this.hasher = hasher;
        this.configStore = configAdminStore(context);
        String data = context.getProperty("karaf.data");
        Path dir = Path.of(data == null ? "data" : data, "edgeorch");
        executor.execute(() -> {
            try {
                create(db, hasher, audit, config, dir, Clock.systemUTC());
            } catch (RuntimeException | IOException e) {
                LOG.error("Could not create the initial administrator", e);
            }
        });
        modified(config, properties);
    }

    /**
     * Every configuration, the first and each change (the hash this component wrote among them, which it then leaves
     * as it is), is protected in place: reactivating would run the first start again for nothing. A plain password
     * put back into the etc/ file while running is hashed there again.
     */
    @Modified
    void modified(TenancyConfig config, Map<String, Object> properties) {
        Path cfgFile = fileOf(properties.get(FILEINSTALL_FILENAME));
        executor.execute(() -> {
            try {
                protect(hasher, config, cfgFile, configStore);
            } catch (RuntimeException | IOException e) {
                LOG.error("Could not protect the configured initial administrator password", e);
            }
        });
    }

    /**
     * A plain-text {@code initialAdminPassword} in its {@code etc/} file becomes its hash there (Configuration Admin
     * then hands the component the hash, which {@link #create} takes as is); that file and Configuration Admin's store,
     * which both held it, become owner-only.
     */
    static void protect(PasswordHasher hasher, TenancyConfig config, Path cfgFile, Path configStore) throws IOException {
        String configured = config.initialAdminPassword();
        if (!configured.isEmpty() && !hasher.isEncoded(configured)) {
            String hash = hasher.hash(Names.password(configured.toCharArray()));
            if (cfgFile == null) {
                LOG.warn("{} is configured in plain text outside any etc/ file, so it cannot be replaced by its hash;"
                        + " configure its hash (the PHC string) instead", ConfiguredPassword.KEY);
            } else if (ConfiguredPassword.replaceByHash(cfgFile, hash)) {
                LOG.info("The plain-text {} in {} was replaced by its hash", ConfiguredPassword.KEY, cfgFile);
            }
        }
        ConfiguredPassword.ownerOnly(cfgFile);
        ConfiguredPassword.ownerOnlyTree(configStore);
    }

    private static Path fileOf(Object fileinstallName) {
        if (fileinstallName == null) {
            return null;
        }
        String s = fileinstallName.toString();
        return s.startsWith("file:") ? Path.of(URI.create(s)) : Path.of(s);
    }

    /** Where Felix Configuration Admin persists configurations: {@code felix.cm.dir}, else its bundle's data area. */
    private static Path configAdminStore(BundleContext context) {
        String dir = context.getProperty("felix.cm.dir");
        if (dir != null) {
            return Path.of(dir);
        }
        String storage = context.getProperty("org.osgi.framework.storage");
        if (storage == null) {
            return null;
        }
        for (Bundle b : context.getBundles()) {
            if ("org.apache.felix.configadmin".equals(b.getSymbolicName())) {
                return Path.of(storage, "bundle" + b.getBundleId(), "data", "config");
            }
        }
        return null;
    }

    @Deactivate
    void deactivate() {
        executor.shutdown();
    }

    /** Creates the organisation and administrator unless any user exists; returns whether it did. */
    static boolean create(Database db, PasswordHasher hasher, AuditLog audit, TenancyConfig config, Path dir, Clock clock)
            throws IOException {
        String org = Names.slug("initialOrganization", config.initialOrganization());
        String admin = Names.username(config.initialAdmin());
        String configured = config.initialAdminPassword();
        boolean generated = configured.isEmpty();
        boolean encoded = !generated && hasher.isEncoded(configured);
        char[] password = generated ? generate() : encoded ? null : Names.password(configured.toCharArray());
        String hash = encoded ? configured : hasher.hash(password);
        Instant now = clock.instant();
        boolean created = db.inTransaction(c -> {
            if (Sql.one(c, "SELECT 1 FROM app_user", rs -> 1).isPresent()) {
                return false;
            }
            String orgId = UUID.randomUUID().toString();
            String userId = UUID.randomUUID().toString();
            Sql.update(c, "INSERT INTO organization (id, name, display_name, created_at) VALUES (?, ?, ?, ?)", orgId, org, org, now);
            Sql.update(c, "INSERT INTO app_user (id, org_id, username, display_name, password_hash, enabled, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", userId, orgId, admin, admin, hash, true, now);
            Sql.update(c, "INSERT INTO role_binding (id, subject_type, subject_id, scope_type, scope_id, role, created_at)"
                    + " VALUES (?, 'USER', ?, 'ORGANIZATION', ?, 'ORG_ADMIN', ?)", UUID.randomUUID().toString(), userId, orgId, now);
            Sql.update(c, "INSERT INTO role_binding (id, subject_type, subject_id, scope_type, scope_id, role, created_at)"
                    + " VALUES (?, 'USER', ?, 'PLATFORM', 'platform', 'PLATFORM_ADMIN', ?)", UUID.randomUUID().toString(), userId, now);
            return true;
        });
        if (!created) {
            return false;
        }
        audit.record("system", null, null, "user.create", "user", admin, Outcome.SUCCESS, null, "initial administrator");
        if (generated) {
            Files.createDirectories(dir);
            Path file = dir.resolve(PASSWORD_FILE);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, new String(password) + "\n", StandardCharsets.UTF_8);
            System.out.println("Edge Orchestrator: initial administrator '" + admin + "' (organisation '" + org
                    + "') created with password " + new String(password) + " ; it is also in " + file
                    + " (owner-only). Change it and delete the file.");
            LOG.info("Initial administrator '{}' created; its generated password is in {} (owner-only)", admin, file);
        } else {
            LOG.info("Initial administrator '{}' created with the configured password", admin);
        }
        return true;
    }

    static char[] generate() {
        SecureRandom random = new SecureRandom();
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return out;
    }
}
