package org.edgeorch.agent.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.edgeorch.agent.update.ReleaseVerifier.Failure;
import org.edgeorch.agent.update.ReleaseVerifier.VerificationException;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.security.ReleaseTrust;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's JDK-only CMS verifier against signatures made by the real openssl and by the orchestrator's Bouncy
 * Castle signer, with the same verdicts as the orchestrator's own check; and refusals for everything else.
 */
class ReleaseVerifierTest {

    static final byte[] MANIFEST = "{\"schema\":\"edgeorch.release/v1\",\"profile\":\"emt\",\"version\":\"2.0.0\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    /** Made by openssl: an EC and an RSA self-signed signer, and a CA with a signer it issued. */
    @BeforeAll
    static void keys() throws Exception {
        Files.write(dir.resolve("manifest.json"), MANIFEST);
        Openssl.ok(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec.key",
                "-out", "ec.pem", "-days", "30", "-subj", "/CN=ec signer");
        Openssl.ok(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.pem", "-days", "30",
                "-subj", "/CN=rsa signer");
        Openssl.ok(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "30", "-subj", "/CN=release ca", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Openssl.ok(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "issued.key",
                "-out", "issued.csr", "-subj", "/CN=issued signer");
        Files.writeString(dir.resolve("ext.cnf"), "keyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\n");
        Openssl.ok(dir, "x509", "-req", "-in", "issued.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "issued.pem", "-days", "30", "-extfile", "ext.cnf");
        Openssl.ok(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other.key",
                "-out", "other.pem", "-days", "30", "-subj", "/CN=someone else");
    }

    static X509Certificate cert(String name) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name))));
    }

    static PrivateKey key(String name) throws Exception {
        return Pems.privateKey(Files.readString(dir.resolve(name)));
    }

    /** openssl cms -sign with the given extra options; returns the DER signature. */
    static byte[] opensslSign(String cert, String key, String... options) throws Exception {
        Path out = Files.createTempFile(dir, "sig", ".der");
        List<String> args = new ArrayList<>(List.of("cms", "-sign", "-binary", "-in", "manifest.json", "-signer", cert,
                "-inkey", key, "-outform", "DER", "-out", out.toString()));
        args.addAll(Arrays.asList(options));
        Openssl.ok(dir, args.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    static ReleaseVerifier trusting(String... certs) throws Exception {
        List<X509Certificate> anchors = new ArrayList<>();
        for (String c : certs) {
            anchors.add(cert(c));
        }
        return new ReleaseVerifier(anchors);
    }

    static Failure refusal(ReleaseVerifier v, byte[] content, byte[] signature) {
        return assertThrows(VerificationException.class, () -> v.verify(content, signature, Instant.now())).failure();
    }

    /** The orchestrator's verdict on the same signature, for the same anchors. */
    static boolean orchestratorAccepts(byte[] content, byte[] signature, String... anchors) throws Exception {
        List<X509Certificate> certs = new ArrayList<>();
        for (String a : anchors) {
            certs.add(cert(a));
        }
        return ReleaseSignatures.verify(content, signature, new ReleaseTrust(certs, java.util.Set.of(), List.of()), Instant.now()).valid();
    }

    @Test
    void opensslSignaturesVerifyEcAndRsaWithAndWithoutAttributes() throws Exception {
        for (String[] signer : List.of(new String[] {"ec.pem", "ec.key"}, new String[] {"rsa.pem", "rsa.key"})) {
            for (String[] options : List.<String[]>of(new String[0], new String[] {"-nosmimecap"}, new String[] {"-noattr"},
                    new String[] {"-md", "sha384"}, new String[] {"-md", "sha512"})) {
                byte[] sig = opensslSign(signer[0], signer[1], options);
                ReleaseVerifier.Verified v = trusting(signer[0]).verify(MANIFEST, sig, Instant.now());
                assertEquals(cert(signer[0]), v.signer(), Arrays.toString(options));
                assertEquals(64, v.fingerprint().length());
            }
        }
    }

    @Test
    void aSignerIssuedByATrustedCaVerifiesThroughTheCarriedChain() throws Exception {
        byte[] sig = opensslSign("issued.pem", "issued.key", "-certfile", "ca.pem");
        assertEquals(cert("issued.pem"), trusting("ca.pem").verify(MANIFEST, sig, Instant.now()).signer());
        assertTrue(orchestratorAccepts(MANIFEST, sig, "ca.pem"));
        byte[] keyId = opensslSign("issued.pem", "issued.key", "-keyid");
        assertEquals(cert("issued.pem"), trusting("ca.pem").verify(MANIFEST, keyId, Instant.now()).signer(),
                "identified by subject key identifier");
    }

    @Test
    void bouncyCastleSignaturesFromTheOrchestratorVerify() throws Exception {
        for (String[] signer : List.of(new String[] {"ec.pem", "ec.key"}, new String[] {"rsa.pem", "rsa.key"})) {
            byte[] sig = ReleaseSignatures.sign(MANIFEST, key(signer[1]), List.of(cert(signer[0])));
            trusting(signer[0]).verify(MANIFEST, sig, Instant.now());
        }
        byte[] chained = ReleaseSignatures.sign(MANIFEST, key("issued.key"), List.of(cert("issued.pem"), cert("ca.pem")));
        trusting("ca.pem").verify(MANIFEST, chained, Instant.now());
    }

    @Test
    void aChangedManifestIsABadSignatureHereAndForOpenssl() throws Exception {
        byte[] sig = opensslSign("ec.pem", "ec.key");
        byte[] tampered = MANIFEST.clone();
        tampered[tampered.length - 3] ^= 1;
        assertEquals(Failure.BAD_SIGNATURE, refusal(trusting("ec.pem"), tampered, sig));
        Files.write(dir.resolve("tampered.json"), tampered);
        Files.write(dir.resolve("sig.der"), sig);
        Openssl.Result r = Openssl.run(dir, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content",
                "tampered.json", "-CAfile", "ec.pem", "-purpose", "any", "-out", "/dev/null");
        assertTrue(r.exit() != 0, "openssl refuses it too");
        assertEquals(Failure.BAD_SIGNATURE, refusal(trusting("ec.pem"), tampered, opensslSign("ec.pem", "ec.key", "-noattr")));
    }

    @Test
    void unknownExpiredMissingEmbeddedAndGarbageAreRefused() throws Exception {
        byte[] sig = opensslSign("other.pem", "other.key");
        assertEquals(Failure.UNTRUSTED, refusal(trusting("ec.pem", "ca.pem"), MANIFEST, sig));
        assertTrue(!orchestratorAccepts(MANIFEST, sig, "ec.pem", "ca.pem"));
        ReleaseVerifier v = trusting("ec.pem");
        VerificationException later = assertThrows(VerificationException.class,
                () -> v.verify(MANIFEST, opensslSign("ec.pem", "ec.key"), Instant.now().plus(60, ChronoUnit.DAYS)));
        assertEquals(Failure.EXPIRED, later.failure());
        assertEquals(Failure.MISSING, refusal(v, MANIFEST, new byte[0]));
        assertEquals(Failure.MISSING, refusal(v, MANIFEST, null));
        assertEquals(Failure.MALFORMED, refusal(v, MANIFEST, opensslSign("ec.pem", "ec.key", "-nodetach")));
        assertEquals(Failure.MALFORMED, refusal(v, MANIFEST, "not a signature".getBytes()));
        assertEquals(Failure.MALFORMED, refusal(v, MANIFEST, new byte[70_000]));
        byte[] chainWithoutCa = opensslSign("issued.pem", "issued.key", "-nocerts");
        assertEquals(Failure.UNTRUSTED, refusal(trusting("ca.pem"), MANIFEST, chainWithoutCa),
                "a signature without its certificate is not trusted through a CA");
    }

    @Test
    void noMutationOrTruncationOfAValidSignatureVerifiesOrEscapes() throws Exception {
        byte[] valid = opensslSign("issued.pem", "issued.key", "-certfile", "ca.pem");
        ReleaseVerifier v = trusting("ca.pem");
        Random random = new Random(20261122);
        X509Certificate signer = cert("issued.pem");
        for (int i = 0; i < 2000; i++) {
            boolean truncated = i % 4 == 0;
            byte[] mutated;
            if (truncated) {
                mutated = Arrays.copyOf(valid, random.nextInt(valid.length));
            } else {
                mutated = valid.clone();
                int at = random.nextInt(mutated.length);
                mutated[at] = (byte) (mutated[at] ^ (1 + random.nextInt(255)));
            }
            try {
                ReleaseVerifier.Verified ok = v.verify(MANIFEST, mutated, Instant.now());
                // Bytes no signature covers (the carried copy of the CA, which the anchor stands in for; the
                // version and the digest algorithm list) may change harmlessly: the signer must still be the same.
                assertTrue(!truncated, "a truncated signature verified");
                assertEquals(signer, ok.signer());
            } catch (VerificationException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("mutation " + i + " escaped as " + e, e);
            }
        }
    }

    @Test
    void fromPemReadsEveryCertificate() throws Exception {
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(dir.resolve("ec.pem")) + Files.readString(dir.resolve("ca.pem")));
        assertEquals(List.of(cert("ec.pem"), cert("ca.pem")), ReleaseVerifier.fromPem(both).anchors());
        Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThrows(java.io.IOException.class, () -> ReleaseVerifier.fromPem(dir.resolve("empty.pem")));
    }
}
