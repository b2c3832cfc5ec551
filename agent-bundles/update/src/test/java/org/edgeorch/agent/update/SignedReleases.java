package org.edgeorch.agent.update;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.release.ReleaseManifest;
import org.edgeorch.spi.southbound.DesiredOs;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A release signer as the release pipeline has one, and the desired OS the orchestrator sends for its releases. */
final class SignedReleases {

    private static final ObjectMapper JSON = new ObjectMapper();

    final KeyPair keys;
    final X509Certificate certificate;

    SignedReleases(String name) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        keys = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name);
        certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(365, ChronoUnit.DAYS)), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    ReleaseVerifier verifier() {
        return new ReleaseVerifier(List.of(certificate));
    }

    static String manifest(String version, byte[] image) throws Exception {
        return JSON.writeValueAsString(new ReleaseManifest(ReleaseManifest.SCHEMA, "edge-os", version,
                ReleaseManifest.OsType.IMMUTABLE, "x86_64", sha256(image), image.length, "secure-boot", "test release",
                List.of(), List.of(), Instant.now().toString()));
    }

    /** The desired OS for a release of the image, signed by this signer. */
    DesiredOs desired(String runId, String version, byte[] image) throws Exception {
        String manifest = manifest(version, image);
        return desired(runId, version, image, manifest, sign(manifest));
    }

    String sign(String manifest) {
        return Base64.getEncoder().encodeToString(ReleaseSignatures.sign(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                keys.getPrivate(), List.of(certificate)));
    }

    static DesiredOs desired(String runId, String version, byte[] image, String manifest, String signature) throws Exception {
        return new DesiredOs(runId, "edge-os", version, "sha256:" + sha256(image), image.length,
                List.of("/southbound/v1/images/sha256:" + sha256(image)), manifest, signature, 0);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
