package org.edgeorch.tenancy.internal;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;

/**
 * The ES256 keys that sign tokens, kept in the database so every orchestrator sharing it verifies every
 * token. The newest unretired key signs; any unretired key verifies. Private keys are never logged.
 */
final class SigningKeys {

    record SigningKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {
    }

    private final Database db;
    private final Clock clock;
    private final Map<String, ECPublicKey> verifiers = new ConcurrentHashMap<>();
    private volatile SigningKey current;

    SigningKeys(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The key to sign with, created on first use. */
    SigningKey current() {
        SigningKey k = current;
        if (k == null) {
            synchronized (this) {
                if (current == null) {
                    current = loadNewest().orElseGet(this::create);
                }
                k = current;
            }
        }
        return k;
    }

    /** The public key for a token's {@code kid}, if that key exists and is not retired. */
    Optional<ECPublicKey> verifier(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        ECPublicKey cached = verifiers.get(kid);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<ECPublicKey> key = db.inTransaction(c -> Sql.one(c,
                "SELECT public_key FROM signing_key WHERE kid = ? AND retired_at IS NULL", rs -> rs.getString(1), kid))
                .map(SigningKeys::publicKey);
        key.ifPresent(k -> verifiers.put(kid, k));
        return key;
    }

    private Optional<SigningKey> loadNewest() {
        return db.inTransaction(c -> Sql.one(c, "SELECT kid, private_key, public_key FROM signing_key"
                + " WHERE retired_at IS NULL ORDER BY created_at DESC",
                rs -> new SigningKey(rs.getString(1), privateKey(rs.getString(2)), publicKey(rs.getString(3)))));
    }

    private SigningKey create() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            SigningKey key = new SigningKey(UUID.randomUUID().toString(), (ECPrivateKey) pair.getPrivate(),
                    (ECPublicKey) pair.getPublic());
            Base64.Encoder b64 = Base64.getEncoder();
            db.inTransaction(c -> Sql.update(c, "INSERT INTO signing_key (kid, algorithm, private_key, public_key, created_at)"
                    + " VALUES (?, 'ES256', ?, ?, ?)", key.kid(), b64.encodeToString(pair.getPrivate().getEncoded()),
                    b64.encodeToString(pair.getPublic().getEncoded()), clock.instant()));
            return key;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a token signing key", e);
        }
    }

    private static ECPrivateKey privateKey(String b64) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key is unreadable", e);
        }
    }

    private static ECPublicKey publicKey(String b64) {
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("stored verification key is unreadable", e);
        }
    }
}
