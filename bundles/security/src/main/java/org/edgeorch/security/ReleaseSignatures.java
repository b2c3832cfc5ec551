package org.edgeorch.security;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Detached CMS (PKCS#7) signatures over release manifests, interchangeable with {@code openssl cms -sign -binary}
 * and {@code openssl cms -verify -binary}.
 *
 * <p>{@link #verify} decides in this order and reports the first failure:
 * <ol>
 * <li>{@link Failure#MISSING_SIGNATURE}: no signature bytes.</li>
 * <li>{@link Failure#MALFORMED_SIGNATURE}: not DER CMS SignedData; content embedded rather than detached (a
 *     signature made with {@code -nodetach} is refused, not compared, so that there is one form only); not
 *     exactly one signer; a digest other than SHA-256, SHA-384 or SHA-512.</li>
 * <li>The signer's certificate is taken from the signature, or else from the anchors (for {@code -nocerts}
 *     signatures); when neither has it: {@link Failure#UNKNOWN_SIGNER} without a signer.</li>
 * <li>{@link Failure#BAD_SIGNATURE}: the signature does not verify over the content with that certificate's key.
 *     This comes before trust, so a tampered manifest is reported as tampered whoever signed it.</li>
 * <li>{@link Failure#UNKNOWN_SIGNER}: no path from the signer to an anchor of the {@link ReleaseTrust}. The path
 *     may use the certificates carried in the signature; it is checked with the JDK's PKIX validator (basic
 *     constraints, CA key usage, name constraints, critical extensions), revocation checking off.</li>
 * <li>{@link Failure#REVOKED_SIGNER}: a certificate of the path, anchor included, is revoked (see
 *     {@link ReleaseTrust}).</li>
 * <li>{@link Failure#EXPIRED_SIGNER}: a certificate of the path, anchor included, is not valid at the instant
 *     given. The signing-time attribute is the signer's own claim and is not used.</li>
 * </ol>
 * Neither the signer's key usage nor its extended key usage is checked: release keys are chosen by operators
 * and made by several tools (an openssl self-signed certificate carries neither), and the trust store alone says
 * which keys may sign releases.
 */
public final class ReleaseSignatures {

    /** Larger than any honest signature (a few certificates); refused before parsing. */
    private static final int MAX_SIGNATURE_BYTES = 1 << 20;
    /** Certificates from the signer up to its anchor, at most. */
    private static final int MAX_PATH = 8;
    private static final Set<ASN1ObjectIdentifier> DIGESTS =
            Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    private ReleaseSignatures() {
    }

    /** Why a signature is not accepted; see {@link ReleaseSignatures} for the order in which they are decided. */
    public enum Failure {
        MISSING_SIGNATURE, MALFORMED_SIGNATURE, BAD_SIGNATURE, UNKNOWN_SIGNER, REVOKED_SIGNER, EXPIRED_SIGNER
    }

    /**
     * The outcome of {@link #verify}.
     *
     * @param valid             whether the content is signed by a trusted, unrevoked, valid certificate
     * @param failure           why not; null when valid
     * @param detail            a sentence for people, for example
     *                          "signed by CN=old-key, which was revoked on 2026-11-01: key compromise"
     * @param signer            the signer's certificate, once it is known (null for a missing or malformed signature)
     * @param signerFingerprint its SHA-256 fingerprint as {@link HostCertificateAuthority#fingerprint} writes it, or null
     */
    public record SignatureCheck(boolean valid, Failure failure, String detail, X509Certificate signer,
                                 String signerFingerprint) {

        public SignatureCheck {
            Objects.requireNonNull(detail);
            if (valid != (failure == null) || valid && signer == null) {
                throw new IllegalArgumentException("a valid check has a signer and no failure; a failed one has a failure");
            }
        }

        public static SignatureCheck passed(X509Certificate signer, String detail) {
            return new SignatureCheck(true, null, detail, signer, HostCertificateAuthority.fingerprint(signer));
        }

        public static SignatureCheck failed(Failure failure, String detail) {
            return new SignatureCheck(false, Objects.requireNonNull(failure), detail, null, null);
        }

        public static SignatureCheck failed(Failure failure, String detail, X509Certificate signer) {
            return new SignatureCheck(false, Objects.requireNonNull(failure), detail, signer,
                    signer == null ? null : HostCertificateAuthority.fingerprint(signer));
        }

        /** Short, without the certificate's dump. */
        @Override
        public String toString() {
            return "SignatureCheck[" + (valid ? "valid" : failure) + ": " + detail + "]";
        }
    }

    /**
     * Signs content with a detached CMS SignedData (DER): SHA-256, with content-type, message-digest, signing-time
     * and algorithm-protection attributes, and every certificate of the chain.
     *
     * @param key   an EC key (SHA256withECDSA) or an RSA key (SHA256withRSA)
     * @param chain the signer's certificate first, then any CA certificates a verifier may need
     * @throws IllegalArgumentException when the key is of another kind, the chain is empty, or the key does not
     *                                  belong to the first certificate
     */
    public static byte[] sign(byte[] content, PrivateKey key, List<X509Certificate> chain) {
        Objects.requireNonNull(content);
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("the signer's certificate is required (first in the chain)");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("release keys are EC or RSA, not " + key.getAlgorithm());
        };
        X509Certificate signer = chain.get(0);
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(algorithm).build(key), signer));
            generator.addCertificates(new JcaCertStore(chain));
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(content), false);
            SignerInformation info = signed.getSignerInfos().getSigners().iterator().next();
            if (!info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer.getPublicKey()))) {
                throw new IllegalArgumentException("the private key does not belong to the certificate of "
                        + name(signer));
            }
            return signed.getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot sign with the key of " + name(signer) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks a detached signature over content. Never throws for a bad signature: every problem is a failed check.
     *
     * @param at the instant at which the certificates must be valid, normally now
     * @throws NullPointerException when content, trust or at is null
     */
    public static SignatureCheck verify(byte[] content, byte[] signatureDer, ReleaseTrust trust, Instant at) {
        Objects.requireNonNull(content);
        Objects.requireNonNull(trust);
        Objects.requireNonNull(at);
        if (signatureDer == null || signatureDer.length == 0) {
            return SignatureCheck.failed(Failure.MISSING_SIGNATURE, "the release has no signature");
        }
        if (signatureDer.length > MAX_SIGNATURE_BYTES) {
            return SignatureCheck.failed(Failure.MALFORMED_SIGNATURE,
                    "the signature is " + signatureDer.length + " bytes; a release signature is at most " + MAX_SIGNATURE_BYTES);
        }
        try {
            return check(content, signatureDer, trust, at);
        } catch (RuntimeException e) {
            // Parsers of hostile input fail in many ways; none of them may escape.
            return SignatureCheck.failed(Failure.MALFORMED_SIGNATURE, "the signature cannot be read: " + e);
        }
    }

    private static SignatureCheck check(byte[] content, byte[] signatureDer, ReleaseTrust trust, Instant at) {
        CMSSignedData cms;
        List<X509Certificate> carried = new ArrayList<>();
        try {
            cms = new CMSSignedData(signatureDer);
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder holder : cms.getCertificates().getMatches(null)) {
                carried.add(converter.getCertificate(holder));
            }
        } catch (CMSException | GeneralSecurityException e) {
            return SignatureCheck.failed(Failure.MALFORMED_SIGNATURE,
                    "the signature is not DER CMS SignedData: " + e.getMessage());
        }
        if (cms.getSignedContent() != null) {
            return SignatureCheck.failed(Failure.MALFORMED_SIGNATURE, "the signature embeds its content, it is not detached"
                    + " (sign without -nodetach)");
        }
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            return SignatureCheck.failed(Failure.MALFORMED_SIGNATURE, "the signature has " + signers.size()
                    + " signers; a release signature has exactly one");
        }
        SignerInformation info = signers.iterator().next();
        if (!DIGESTS.contains(info.getDigestAlgorithmID().getAlgorithm())) {
            return SignatureCheck.failed(Failure.MALFORMED_SIGNATURE, "the signature uses the digest "
                    + info.getDigestAlgOID() + "; only SHA-256, SHA-384 and SHA-512 are accepted");
        }
        Optional<X509Certificate> found = find(info.getSID(), carried).or(() -> find(info.getSID(), trust.anchors()));
        if (found.isEmpty()) {
            return SignatureCheck.failed(Failure.UNKNOWN_SIGNER, "the signature does not carry its signer's certificate,"
                    + " and no anchor is that certificate");
        }
        X509Certificate signer = found.get();
        try {
            CMSSignedData attached = new CMSSignedData(new CMSProcessableByteArray(content), cms.toASN1Structure());
            if (!attached.getSignerInfos().get(info.getSID())
                    .verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer.getPublicKey()))) {
                return SignatureCheck.failed(Failure.BAD_SIGNATURE, "the signature of " + name(signer)
                        + " does not verify: the content or the signature was altered", signer);
            }
        } catch (CMSSignerDigestMismatchException e) {
            return SignatureCheck.failed(Failure.BAD_SIGNATURE,
                    "the content differs from what " + name(signer) + " signed", signer);
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            return SignatureCheck.failed(Failure.BAD_SIGNATURE, "the signature of " + name(signer) + " cannot be verified: "
                    + e.getMessage(), signer);
        }
        return trusted(signer, carried, trust, at);
    }

    /** Steps 5 to 7: path to an anchor, revocation, validity. */
    private static SignatureCheck trusted(X509Certificate signer, List<X509Certificate> carried, ReleaseTrust trust, Instant at) {
        String signedBy = "signed by " + name(signer);
        List<X509Certificate> path = path(signer, carried, trust.anchors());
        if (path == null) {
            return SignatureCheck.failed(Failure.UNKNOWN_SIGNER, signedBy + (trust.anchors().isEmpty()
                    ? ", but the release trust store has no anchors"
                    : ", which is not a trusted anchor and not issued by one"), signer);
        }
        X509Certificate anchor = path.get(path.size() - 1);
        String rejected = pkixProblem(path, at);
        if (rejected != null) {
            return SignatureCheck.failed(Failure.UNKNOWN_SIGNER, signedBy + ", but its path to the anchor " + name(anchor)
                    + " is not acceptable: " + rejected, signer);
        }
        String revoked = revocation(path, trust, signedBy);
        if (revoked != null) {
            return SignatureCheck.failed(Failure.REVOKED_SIGNER, revoked, signer);
        }
        String invalid = validity(path, at, signedBy);
        if (invalid != null) {
            return SignatureCheck.failed(Failure.EXPIRED_SIGNER, invalid, signer);
        }
        return SignatureCheck.passed(signer, path.size() == 1 ? signedBy + ", a trusted anchor"
                : signedBy + ", trusted through the anchor " + name(anchor));
    }

    /** Why a certificate of the path is revoked, or null. */
    private static String revocation(List<X509Certificate> path, ReleaseTrust trust, String signedBy) {
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            if (trust.revokedFingerprints().contains(HostCertificateAuthority.fingerprint(certificate))) {
                return who(signedBy, path, i) + " is on the revoked list of the release trust store";
            }
            X509Certificate issuer = path.get(Math.min(i + 1, path.size() - 1));
            for (X509CRL crl : trust.crls()) {
                X509CRLEntry entry = crl.getRevokedCertificate(certificate);
                if (entry != null && crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                        && signedBy(crl, issuer)) {
                    return who(signedBy, path, i) + " was revoked on "
                            + entry.getRevocationDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate()
                            + (entry.getRevocationReason() == null ? ""
                            : ": " + entry.getRevocationReason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
                }
            }
        }
        return null;
    }

    /** Which certificate of the path is not valid at that instant, and how, or null. */
    private static String validity(List<X509Certificate> path, Instant at, String signedBy) {
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            try {
                certificate.checkValidity(Date.from(at));
            } catch (CertificateExpiredException e) {
                return who(signedBy, path, i) + " expired on " + certificate.getNotAfter().toInstant() + " (checked at " + at + ")";
            } catch (CertificateNotYetValidException e) {
                return who(signedBy, path, i) + " is not valid before " + certificate.getNotBefore().toInstant()
                        + " (checked at " + at + ")";
            }
        }
        return null;
    }

    /** "signed by CN=leaf, which" or "signed by CN=leaf, whose issuer CN=ca": the start of a sentence about path[i]. */
    private static String who(String signedBy, List<X509Certificate> path, int i) {
        return i == 0 ? signedBy + ", which" : signedBy + ", whose issuer " + name(path.get(i));
    }

    /**
     * The certificates from the signer up to and including an anchor: the signer itself when it is an anchor,
     * else each certificate's issuer among the anchors (preferred) or the carried certificates; null when none.
     * Issuers are recognised by name and by the signature on the certificate they issued.
     */
    private static List<X509Certificate> path(X509Certificate signer, List<X509Certificate> carried,
                                              List<X509Certificate> anchors) {
        List<X509Certificate> path = new ArrayList<>(List.of(signer));
        while (path.size() <= MAX_PATH) {
            X509Certificate current = path.get(path.size() - 1);
            if (anchors.contains(current)) {
                return path;
            }
            Optional<X509Certificate> anchor = anchors.stream().filter(a -> issued(a, current)).findFirst();
            if (anchor.isPresent()) {
                path.add(anchor.get());
                return path;
            }
            Optional<X509Certificate> issuer = carried.stream().filter(c -> !path.contains(c) && issued(c, current)).findFirst();
            if (issuer.isEmpty()) {
                return null;
            }
            path.add(issuer.get());
        }
        return null;
    }

    /**
     * What the JDK's PKIX validator (revocation off) has against the path below the anchor, or null. Validity
     * dates are checked afterwards, and reported as such, so the validator checks at an instant when all are valid.
     */
    private static String pkixProblem(List<X509Certificate> path, Instant at) {
        if (path.size() == 1) {
            return null;
        }
        Instant latestStart = path.stream().map(c -> c.getNotBefore().toInstant()).max(Instant::compareTo).orElseThrow();
        Instant earliestEnd = path.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElseThrow();
        Instant when = at.isBefore(latestStart) ? latestStart : at.isAfter(earliestEnd) ? earliestEnd : at;
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(path.get(path.size() - 1), null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(when));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path.subList(0, path.size() - 1)), parameters);
            return null;
        } catch (CertPathValidatorException e) {
            return e.getMessage();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PKIX validator", e);
        }
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean issued(X509Certificate issuer, X509Certificate certificate) {
        if (!issuer.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<X509Certificate> find(SignerId id, List<X509Certificate> certificates) {
        return certificates.stream().filter(c -> {
            try {
                return id.match(new JcaX509CertificateHolder(c));
            } catch (GeneralSecurityException e) {
                return false;
            }
        }).findFirst();
    }

    private static String name(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
