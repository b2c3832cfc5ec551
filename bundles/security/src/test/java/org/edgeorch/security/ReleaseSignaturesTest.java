package org.edgeorch.security;

import static org.edgeorch.security.ReleaseSignatures.Failure.BAD_SIGNATURE;
import static org.edgeorch.security.ReleaseSignatures.Failure.EXPIRED_SIGNER;
import static org.edgeorch.security.ReleaseSignatures.Failure.MALFORMED_SIGNATURE;
import static org.edgeorch.security.ReleaseSignatures.Failure.MISSING_SIGNATURE;
import static org.edgeorch.security.ReleaseSignatures.Failure.REVOKED_SIGNER;
import static org.edgeorch.security.ReleaseSignatures.Failure.UNKNOWN_SIGNER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.edgeorch.security.ReleaseSignatures.Failure;
import org.edgeorch.security.ReleaseSignatures.SignatureCheck;
import org.edgeorch.security.TestPki.Issued;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Release signatures against the real openssl both ways, and CA paths, CRLs and rotation made with Bouncy Castle. */
class ReleaseSignaturesTest {

    private static final byte[] MANIFEST = """
            {"schema":"edgeorch.release/v1","profile":"edge-microvisor","version":"1.4.2"}
            """.getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAMPERED = new String(MANIFEST, StandardCharsets.UTF_8).replace("1.4.2", "1.4.3")
            .getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    @BeforeEach
    void manifest() throws Exception {
        Files.write(dir.resolve("m.json"), MANIFEST);
        Files.write(dir.resolve("tampered.json"), TAMPERED);
    }

    // ---- openssl signs, we verify

    @ParameterizedTest
    @ValueSource(strings = {"ec", "rsa"})
    void anOpensslSignatureVerifiesWithItsCertificateAsAnchor(String keyType) throws Exception {
        X509Certificate release = opensslSigner(keyType);
        byte[] signature = opensslSign("-signer", "release.pem", "-inkey", "release.key");

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(release), now());
        assertTrue(check.valid(), check.toString());
        assertNull(check.failure());
        assertEquals(release, check.signer());
        assertEquals(Openssl.fingerprint(dir, "release.pem").replace(":", "").toLowerCase(), check.signerFingerprint());
        assertEquals("signed by CN=release, a trusted anchor", check.detail());

        assertFailure(BAD_SIGNATURE, ReleaseSignatures.verify(TAMPERED, signature, ReleaseTrust.of(release), now()));
        // The signature is checked before trust: tampering shows even when the signer is unknown.
        assertFailure(BAD_SIGNATURE, ReleaseSignatures.verify(TAMPERED, signature, ReleaseTrust.of(), now()));
    }

    @Test
    void anOpensslSignerOutsideTheTrustStoreIsUnknown() throws Exception {
        X509Certificate release = opensslSigner("ec");
        byte[] signature = opensslSign("-signer", "release.pem", "-inkey", "release.key");
        Issued other = TestPki.root("other");

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(other.certificate()), now());
        assertFailure(UNKNOWN_SIGNER, check);
        assertEquals(release, check.signer());
        assertEquals("signed by CN=release, which is not a trusted anchor and not issued by one", check.detail());
        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(), now()).detail().contains("no anchors"));
    }

    @Test
    void anOpensslSignerWhoseFingerprintIsRevokedIsRevoked() throws Exception {
        X509Certificate release = opensslSigner("ec");
        byte[] signature = opensslSign("-signer", "release.pem", "-inkey", "release.key");
        // openssl's own AB:CD:… form is accepted as well as ours
        ReleaseTrust trust = new ReleaseTrust(List.of(release), Set.of(Openssl.fingerprint(dir, "release.pem")), List.of());
        assertEquals(Set.of(HostCertificateAuthority.fingerprint(release)), trust.revokedFingerprints());

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, trust, now());
        assertFailure(REVOKED_SIGNER, check);
        assertEquals("signed by CN=release, which is on the revoked list of the release trust store", check.detail());
        // revocation is decided before validity
        assertFailure(REVOKED_SIGNER, ReleaseSignatures.verify(MANIFEST, signature, trust, release.getNotAfter().toInstant().plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseTrust(List.of(release), Set.of("abc"), List.of()));
    }

    @Test
    void anOpensslSignerOutsideItsValidityIsExpired() throws Exception {
        X509Certificate release = opensslSigner("ec");
        byte[] signature = opensslSign("-signer", "release.pem", "-inkey", "release.key");
        ReleaseTrust trust = ReleaseTrust.of(release);

        SignatureCheck after = ReleaseSignatures.verify(MANIFEST, signature, trust, release.getNotAfter().toInstant().plusSeconds(1));
        assertFailure(EXPIRED_SIGNER, after);
        assertTrue(after.detail().startsWith("signed by CN=release, which expired on "), after.detail());
        assertFailure(EXPIRED_SIGNER, ReleaseSignatures.verify(MANIFEST, signature, trust,
                release.getNotBefore().toInstant().minusSeconds(1)));
        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, trust, release.getNotAfter().toInstant()).valid());
    }

    @Test
    void missingAndMalformedSignaturesAreToldApart() throws Exception {
        X509Certificate release = opensslSigner("ec");
        ReleaseTrust trust = ReleaseTrust.of(release);
        byte[] signature = opensslSign("-signer", "release.pem", "-inkey", "release.key");

        assertFailure(MISSING_SIGNATURE, ReleaseSignatures.verify(MANIFEST, null, trust, now()));
        assertFailure(MISSING_SIGNATURE, ReleaseSignatures.verify(MANIFEST, new byte[0], trust, now()));
        assertFailure(MALFORMED_SIGNATURE, ReleaseSignatures.verify(MANIFEST, "not a signature".getBytes(), trust, now()));
        assertFailure(MALFORMED_SIGNATURE, ReleaseSignatures.verify(MANIFEST, Arrays.copyOf(signature, signature.length / 2), trust, now()));
        assertFailure(MALFORMED_SIGNATURE, ReleaseSignatures.verify(MANIFEST, release.getEncoded(), trust, now()));
        assertFailure(MALFORMED_SIGNATURE, ReleaseSignatures.verify(MANIFEST, new byte[2 << 20], trust, now()));
        // every single flipped byte is reported, never thrown
        for (int i = 0; i < signature.length; i++) {
            byte[] flipped = signature.clone();
            flipped[i] ^= 0x5a;
            SignatureCheck check = ReleaseSignatures.verify(MANIFEST, flipped, trust, now());
            assertNotNull(check.detail());
        }
    }

    @Test
    void anOpensslSignatureWithTwoSignersIsRefused() throws Exception {
        X509Certificate release = opensslSigner("ec");
        Openssl.selfSigned(dir, "second", "ec");
        byte[] signature = opensslSign("-signer", "release.pem", "-inkey", "release.key", "-signer", "second.pem", "-inkey", "second.key");

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(release), now());
        assertFailure(MALFORMED_SIGNATURE, check);
        assertTrue(check.detail().contains("2 signers"), check.detail());
    }

    @Test
    void anOpensslSignatureThatEmbedsTheContentIsRefusedAsNotDetached() throws Exception {
        X509Certificate release = opensslSigner("ec");
        byte[] signature = opensslSign("-nodetach", "-signer", "release.pem", "-inkey", "release.key");

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(release), now());
        assertFailure(MALFORMED_SIGNATURE, check);
        assertTrue(check.detail().contains("not detached"), check.detail());
    }

    @Test
    void anOpensslSignatureWithoutCertificatesVerifiesOnlyWhenTheSignerIsAnAnchor() throws Exception {
        X509Certificate release = opensslSigner("ec");
        byte[] signature = opensslSign("-nocerts", "-signer", "release.pem", "-inkey", "release.key");

        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(release), now()).valid());
        SignatureCheck unknown = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(TestPki.root("other").certificate()), now());
        assertFailure(UNKNOWN_SIGNER, unknown);
        assertNull(unknown.signer());
    }

    @Test
    void anOpensslSignatureOverASha1DigestIsRefused() throws Exception {
        X509Certificate release = opensslSigner("ec");
        byte[] signature = opensslSign("-md", "sha1", "-signer", "release.pem", "-inkey", "release.key");

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(release), now());
        assertFailure(MALFORMED_SIGNATURE, check);
        assertTrue(check.detail().contains("SHA-256"), check.detail());
    }

    // ---- we sign, openssl verifies

    @ParameterizedTest
    @ValueSource(strings = {"ec-pkcs8", "ec-sec1", "rsa-pkcs8", "rsa-pkcs1"})
    void ourSignatureWithAnOpensslKeyVerifiesWithOpenssl(String form) throws Exception {
        X509Certificate release = opensslSigner(form.substring(0, form.indexOf('-')));
        String keyFile = switch (form) {
            case "ec-sec1" -> "sec1.key";
            case "rsa-pkcs1" -> "pkcs1.key";
            default -> "release.key";
        };
        switch (form) {
            case "ec-sec1" -> Openssl.ok(dir, "ec", "-in", "release.key", "-out", keyFile);
            case "rsa-pkcs1" -> Openssl.ok(dir, "rsa", "-in", "release.key", "-traditional", "-out", keyFile);
            default -> { }
        }
        String keyPem = Files.readString(dir.resolve(keyFile));
        assertTrue(keyPem.startsWith(switch (form) {
            case "ec-sec1" -> "-----BEGIN EC PRIVATE KEY-----";
            case "rsa-pkcs1" -> "-----BEGIN RSA PRIVATE KEY-----";
            default -> "-----BEGIN PRIVATE KEY-----";
        }), keyPem.lines().findFirst().orElse(""));
        PrivateKey key = Pems.privateKey(keyPem);

        byte[] signature = ReleaseSignatures.sign(MANIFEST, key, List.of(release));
        Files.write(dir.resolve("s.der"), signature);
        Openssl.ok(dir, "cms", "-verify", "-binary", "-inform", "DER", "-in", "s.der", "-content", "m.json",
                "-CAfile", "release.pem", "-purpose", "any", "-out", "/dev/null");
        Openssl.Result tampered = Openssl.run(dir, "cms", "-verify", "-binary", "-inform", "DER", "-in", "s.der",
                "-content", "tampered.json", "-CAfile", "release.pem", "-purpose", "any", "-out", "/dev/null");
        assertNotEquals(0, tampered.exit(), "openssl accepted tampered content: " + tampered.err());
        assertTrue(tampered.err().contains("verification failure"), tampered.err());

        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(release), now()).valid());
        SignerInformation info = new CMSSignedData(signature).getSignerInfos().getSigners().iterator().next();
        assertNotNull(info.getSignedAttributes().get(CMSAttributes.signingTime), "signing time");
        assertEquals("2.16.840.1.101.3.4.2.1", info.getDigestAlgOID());
        assertNull(new CMSSignedData(signature).getSignedContent(), "detached");
    }

    @Test
    void signingRefusesAKeyOfAnotherCertificateOrKind() throws Exception {
        Issued a = TestPki.root("a");
        Issued b = TestPki.root("b");
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> ReleaseSignatures.sign(MANIFEST, b.keys().getPrivate(), List.of(a.certificate())));
        assertTrue(wrong.getMessage().contains("does not belong"), wrong.getMessage());
        PrivateKey ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        assertThrows(IllegalArgumentException.class, () -> ReleaseSignatures.sign(MANIFEST, ed, List.of(a.certificate())));
        assertThrows(IllegalArgumentException.class, () -> ReleaseSignatures.sign(MANIFEST, a.keys().getPrivate(), List.of()));
    }

    // ---- CA-issued signers, CRLs and rotation

    @Test
    void aSignerIssuedByATrustedCaVerifiesAndOpensslAgrees() throws Exception {
        Issued ca = TestPki.root("release CA");
        Issued leaf = TestPki.issue(ca, "release-2026", false);
        byte[] signature = ReleaseSignatures.sign(MANIFEST, leaf.keys().getPrivate(), List.of(leaf.certificate(), ca.certificate()));
        assertEquals(2, new CMSSignedData(signature).getCertificates().getMatches(null).size());

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(ca.certificate()), now());
        assertTrue(check.valid(), check.toString());
        assertEquals(leaf.certificate(), check.signer());
        assertEquals("signed by CN=release-2026, trusted through the anchor CN=release CA", check.detail());
        // the leaf may also be pinned on its own, without trusting its CA
        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(leaf.certificate()), now()).valid());

        Files.writeString(dir.resolve("ca.pem"), Pems.pem(ca.certificate()));
        Files.write(dir.resolve("s.der"), signature);
        Openssl.ok(dir, "cms", "-verify", "-binary", "-inform", "DER", "-in", "s.der", "-content", "m.json",
                "-CAfile", "ca.pem", "-purpose", "any", "-out", "/dev/null");
    }

    @Test
    void aCrlOfTheCaListingTheSignerRevokesIt() throws Exception {
        Issued ca = TestPki.root("release CA");
        Issued oldKey = TestPki.issue(ca, "old-key", false);
        Issued newKey = TestPki.issue(ca, "new-key", false);
        X509CRL crl = TestPki.crl(ca, Instant.parse("2026-11-01T10:00:00Z"), CRLReason.keyCompromise, oldKey.certificate());
        ReleaseTrust trust = new ReleaseTrust(List.of(ca.certificate()), Set.of(), List.of(crl));

        SignatureCheck revoked = ReleaseSignatures.verify(MANIFEST, sign(oldKey, ca), trust, now());
        assertFailure(REVOKED_SIGNER, revoked);
        assertEquals("signed by CN=old-key, which was revoked on 2026-11-01: key compromise", revoked.detail());
        assertTrue(ReleaseSignatures.verify(MANIFEST, sign(newKey, ca), trust, now()).valid());
        // a CRL round-trips through PEM
        assertEquals(crl, Pems.crl(Pems.pem(crl)));
    }

    @Test
    void aCrlThatClaimsAnAnchorButIsNotSignedByItIsIgnored() throws Exception {
        Issued ca = TestPki.root("release CA");
        Issued replaced = TestPki.root("release CA");
        Issued leaf = TestPki.issue(ca, "leaf", false);
        X509CRL forged = TestPki.crl(ca, replaced.keys(), NOW, CRLReason.keyCompromise, leaf.certificate());

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, sign(leaf, ca), new ReleaseTrust(List.of(ca.certificate()),
                Set.of(), List.of(forged)), now());
        assertTrue(check.valid(), check.toString());
        // signed by a same-named CA of the store that did not issue the leaf: still not the leaf's issuer
        assertTrue(ReleaseSignatures.verify(MANIFEST, sign(leaf, ca), new ReleaseTrust(List.of(ca.certificate(),
                replaced.certificate()), Set.of(), List.of(forged)), now()).valid());
    }

    @Test
    void intermediatesCarriedInTheSignatureLeadToTheRootAndAreCheckedToo() throws Exception {
        Issued root = TestPki.root("root");
        Issued intermediate = TestPki.issue(root, "intermediate", true);
        Issued leaf = TestPki.issue(intermediate, "leaf", false);
        byte[] signature = ReleaseSignatures.sign(MANIFEST, leaf.keys().getPrivate(),
                List.of(leaf.certificate(), intermediate.certificate()));
        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(root.certificate()), now()).valid());

        X509CRL leafRevoked = TestPki.crl(intermediate, NOW, CRLReason.superseded, leaf.certificate());
        assertEquals("signed by CN=leaf, which was revoked on " + NOW.toString().substring(0, 10) + ": superseded",
                ReleaseSignatures.verify(MANIFEST, signature, new ReleaseTrust(List.of(root.certificate()), Set.of(),
                        List.of(leafRevoked)), now()).detail());
        X509CRL intermediateRevoked = TestPki.crl(root, NOW, CRLReason.cACompromise, intermediate.certificate());
        SignatureCheck viaIssuer = ReleaseSignatures.verify(MANIFEST, signature, new ReleaseTrust(List.of(root.certificate()),
                Set.of(), List.of(intermediateRevoked)), now());
        assertFailure(REVOKED_SIGNER, viaIssuer);
        assertTrue(viaIssuer.detail().startsWith("signed by CN=leaf, whose issuer CN=intermediate was revoked"), viaIssuer.detail());
        // an intermediate's CRL signed by another key is ignored
        X509CRL forged = TestPki.crl(intermediate, TestPki.root("x").keys(), NOW, CRLReason.keyCompromise, leaf.certificate());
        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, new ReleaseTrust(List.of(root.certificate()), Set.of(),
                List.of(forged)), now()).valid());
        // the root is part of the path: revoking it revokes everything below
        assertFailure(REVOKED_SIGNER, ReleaseSignatures.verify(MANIFEST, signature, new ReleaseTrust(List.of(root.certificate()),
                Set.of(HostCertificateAuthority.fingerprint(root.certificate())), List.of()), now()));
        // and so is its validity
        SignatureCheck rootExpired = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(root.certificate()),
                root.certificate().getNotAfter().toInstant().plusSeconds(1));
        assertFailure(EXPIRED_SIGNER, rootExpired);
    }

    @Test
    void aLeafThatIsNotACaCannotIssueSigners() throws Exception {
        Issued root = TestPki.root("root");
        Issued notCa = TestPki.issue(root, "not-a-ca", false);
        Issued leaf = TestPki.issue(notCa, "leaf", false);
        byte[] signature = ReleaseSignatures.sign(MANIFEST, leaf.keys().getPrivate(), List.of(leaf.certificate(), notCa.certificate()));

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(root.certificate()), now());
        assertFailure(UNKNOWN_SIGNER, check);
        assertTrue(check.detail().contains("not acceptable"), check.detail());
    }

    @Test
    void anExpiredIntermediateExpiresTheSigner() throws Exception {
        Issued root = TestPki.root("root");
        Issued intermediate = TestPki.issue(root, "intermediate", true, NOW.minusSeconds(10 * 86_400), NOW.minusSeconds(3600));
        Issued leaf = TestPki.issue(intermediate, "leaf", false, NOW.minusSeconds(5 * 86_400), NOW.plusSeconds(86_400));
        byte[] signature = ReleaseSignatures.sign(MANIFEST, leaf.keys().getPrivate(), List.of(leaf.certificate(), intermediate.certificate()));

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(root.certificate()), now());
        assertFailure(EXPIRED_SIGNER, check);
        assertTrue(check.detail().startsWith("signed by CN=leaf, whose issuer CN=intermediate expired on"), check.detail());
        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(root.certificate()), NOW.minusSeconds(2 * 3600)).valid());
    }

    @Test
    void rotationTrustsOldAndNewUntilTheOldIsDropped() throws Exception {
        Issued oldKey = TestPki.root("release-2025");
        Issued newKey = TestPki.root("release-2026");
        byte[] byOld = sign(oldKey);
        byte[] byNew = sign(newKey);

        ReleaseTrust both = ReleaseTrust.of(oldKey.certificate(), newKey.certificate());
        assertTrue(ReleaseSignatures.verify(MANIFEST, byOld, both, now()).valid());
        assertTrue(ReleaseSignatures.verify(MANIFEST, byNew, both, now()).valid());
        ReleaseTrust newOnly = ReleaseTrust.of(newKey.certificate());
        assertFailure(UNKNOWN_SIGNER, ReleaseSignatures.verify(MANIFEST, byOld, newOnly, now()));
        assertTrue(ReleaseSignatures.verify(MANIFEST, byNew, newOnly, now()).valid());
    }

    // ---- an openssl PKI end to end: CA, leaf, signature and CRL all made by openssl

    @Test
    void anOpensslCaLeafSignatureAndCrlAreUnderstood() throws Exception {
        Openssl.ok(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=openssl CA",
                "-days", "30", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", "ca.key", "-out", "ca.pem");
        Openssl.ok(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=old-key",
                "-keyout", "leaf.key", "-out", "leaf.csr");
        Openssl.ok(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "20",
                "-out", "leaf.pem");
        byte[] signature = opensslSign("-signer", "leaf.pem", "-inkey", "leaf.key", "-certfile", "ca.pem");
        X509Certificate ca = Pems.certificates(Files.readString(dir.resolve("ca.pem"))).get(0);
        assertTrue(ReleaseSignatures.verify(MANIFEST, signature, ReleaseTrust.of(ca), now()).valid());

        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("ca.cnf"), """
                [ca]
                default_ca = release
                [release]
                database = index.txt
                default_md = sha256
                default_crl_days = 30
                """);
        Openssl.ok(dir, "ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-revoke", "leaf.pem",
                "-crl_reason", "keyCompromise");
        Openssl.ok(dir, "ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-gencrl", "-out", "crl.pem");
        X509CRL crl = Pems.crl(Files.readString(dir.resolve("crl.pem")));

        SignatureCheck check = ReleaseSignatures.verify(MANIFEST, signature, new ReleaseTrust(List.of(ca), Set.of(), List.of(crl)), now());
        assertFailure(REVOKED_SIGNER, check);
        assertTrue(check.detail().matches("signed by CN=old-key, which was revoked on \\d{4}-\\d\\d-\\d\\d: key compromise"), check.detail());
    }

    @Test
    void checksArePlainValues() throws Exception {
        Issued root = TestPki.root("r");
        assertThrows(IllegalArgumentException.class, () -> new SignatureCheck(true, BAD_SIGNATURE, "x", root.certificate(), null));
        assertThrows(IllegalArgumentException.class, () -> new SignatureCheck(true, null, "x", null, null));
        SignatureCheck failed = SignatureCheck.failed(Failure.UNKNOWN_SIGNER, "no", root.certificate());
        assertEquals(HostCertificateAuthority.fingerprint(root.certificate()), failed.signerFingerprint());
        assertEquals("SignatureCheck[UNKNOWN_SIGNER: no]", failed.toString());
    }

    /** Now, read when asked: openssl's certificates start at the second they are made. */
    private static Instant now() {
        return Instant.now();
    }

    private X509Certificate opensslSigner(String keyType) throws Exception {
        Openssl.selfSigned(dir, "release", keyType);
        return Pems.certificates(Files.readString(dir.resolve("release.pem"))).get(0);
    }

    /** openssl cms -sign -binary over m.json with the extra arguments; detached unless they say otherwise. */
    private byte[] opensslSign(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("cms", "-sign", "-binary", "-in", "m.json", "-outform", "DER",
                "-out", "s.der"));
        command.addAll(List.of(args));
        Openssl.ok(dir, command.toArray(String[]::new));
        return Files.readAllBytes(dir.resolve("s.der"));
    }

    private static byte[] sign(Issued signer, Issued... cas) {
        List<X509Certificate> chain = new ArrayList<>(List.of(signer.certificate()));
        Arrays.stream(cas).map(Issued::certificate).forEach(chain::add);
        return ReleaseSignatures.sign(MANIFEST, signer.keys().getPrivate(), chain);
    }

    private static void assertFailure(Failure expected, SignatureCheck check) {
        assertEquals(expected, check.failure(), check.toString());
        assertTrue(!check.valid() && !check.detail().isBlank(), check.toString());
    }
}
