package org.edgeorch.fleet.internal;

import java.time.Duration;
import java.time.Instant;

import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.store.Database;
import org.edgeorch.store.DataAccessException;
import org.edgeorch.store.Sql;

/**
 * Loads the host certificate authority from the database, creating it on first start. Several orchestrators
 * on one database race to create it; the primary key lets one win and the others load the winner's.
 */
final class CertificateAuthorityStore {

    private static final String ID = "hosts";

    private CertificateAuthorityStore() {
    }

    static HostCertificateAuthority loadOrCreate(Database db, Duration validity) {
        HostCertificateAuthority existing = load(db);
        if (existing != null) {
            return existing;
        }
        HostCertificateAuthority created = HostCertificateAuthority.createRoot("Edge Orchestrator hosts", validity);
        try {
            db.inTransaction(c -> Sql.update(c, "INSERT INTO certificate_authority (id, certificate, private_key, created_at)"
                    + " VALUES (?, ?, ?, ?)", ID, HostCertificateAuthority.pem(created.certificate()),
                    created.privateKeyPem(), Instant.now()));
            return created;
        } catch (DataAccessException e) {
            HostCertificateAuthority winner = load(db);
            if (winner == null) {
                throw e;
            }
            return winner;
        }
    }

    private static HostCertificateAuthority load(Database db) {
        return db.inTransaction(c -> Sql.one(c, "SELECT certificate, private_key FROM certificate_authority WHERE id = ?",
                rs -> HostCertificateAuthority.fromPem(rs.getString(1), rs.getString(2)), ID).orElse(null));
    }
}
