package org.edgeorch.agent.update;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.edgeorch.agent.update.Der.DerException;
import org.edgeorch.agent.update.Der.Tlv;

/**
 * Checks the detached CMS signature (RFC 5652 SignedData) of a release manifest with the JDK alone, so the node
 * needs no Bouncy Castle. It accepts what the release pipeline produces ({@code openssl cms -sign -binary} and
 * the orchestrator's Bouncy Castle signer): one signer, SHA-256/384/512, ECDSA, RSA (PKCS#1 v1.5) or Ed25519,
 * with or without signed attributes. The signer must be one of the node's trust anchors or lead to one through
 * the certificates carried in the signature (the JDK's PKIX validator, revocation off: the node learns of
 * revocations from the orchestrator, which withdraws what a revoked signer signed). Anything it does not
 * understand is refused.
 */
public final class ReleaseVerifier {

    /** Why a signature is refused. */
    public enum Failure {
        /** There is no signature. */
        MISSING,
        /** It is not a detached CMS signature this verifier can read. */
        MALFORMED,
        /** The content or the signature was changed. */
        BAD_SIGNATURE,
        /** The signer is not trusted by this node. */
        UNTRUSTED,
        /** The signer's certificate, or one on its path, is not valid at the time of the check. */
        EXPIRED
    }

    /** A refused signature; the message says what is wrong. */
    public static final class VerificationException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Failure failure;

        public VerificationException(Failure failure, String message) {
            super(message);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /**
     * An accepted signature.
     *
     * @param fingerprint SHA-256 of the signer's certificate, lowercase hexadecimal
     */
    public record Verified(X509Certificate signer, String fingerprint) {
    }

    static final int MAX_SIGNATURE_BYTES = 64 * 1024;
    private static final String SIGNED_DATA = "1.2.840.113549.1.7.2";
    private static final String DATA = "1.2.840.113549.1.7.1";
    private static final String CONTENT_TYPE = "1.2.840.113549.1.9.3";
    private static final String MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final Map<String, String> DIGESTS = Map.of(
            "2.16.840.1.101.3.4.2.1", "SHA-256", "2.16.840.1.101.3.4.2.2", "SHA-384", "2.16.840.1.101.3.4.2.3", "SHA-512");
    private static final Map<String, String> SIGNATURES = Map.of(
            "1.2.840.10045.4.3.2", "SHA256withECDSA", "1.2.840.10045.4.3.3", "SHA384withECDSA",
            "1.2.840.10045.4.3.4", "SHA512withECDSA", "1.2.840.113549.1.1.11", "SHA256withRSA",
            "1.2.840.113549.1.1.12", "SHA384withRSA", "1.2.840.113549.1.1.13", "SHA512withRSA", "1.3.101.112", "Ed25519");
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final int MAX_PATH = 8;

    private final List<X509Certificate> anchors;

    /** @param anchors the release signers this node trusts, or the CAs that issue their certificates */
    public ReleaseVerifier(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    /**
     * The trust anchors in a PEM file: every certificate in it.
     *
     * @throws IOException when it cannot be read or holds no certificate
     */
    public static ReleaseVerifier fromPem(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new IOException(file + " holds no certificate");
            }
            return new ReleaseVerifier(certificates);
        } catch (CertificateException e) {
            throw new IOException(file + " does not hold PEM certificates: " + e.getMessage(), e);
        }
    }

    public List<X509Certificate> anchors() {
        return anchors;
    }

    /**
     * Checks a detached signature over the content.
     *
     * @param at when the certificates must be valid, normally now
     * @throws VerificationException when the signature is refused; never anything else for any input
     */
    public Verified verify(byte[] content, byte[] cms, Instant at) throws VerificationException {
        Objects.requireNonNull(content);
        Objects.requireNonNull(at);
        if (cms == null || cms.length == 0) {
            throw new VerificationException(Failure.MISSING, "the release has no signature");
        }
        if (cms.length > MAX_SIGNATURE_BYTES) {
            throw new VerificationException(Failure.MALFORMED, "the signature takes " + cms.length + " bytes; at most "
                    + MAX_SIGNATURE_BYTES + " are read");
        }
        Parsed p;
        try {
            p = parse(cms);
        } catch (DerException | RuntimeException e) {
            throw new VerificationException(Failure.MALFORMED, "the signature is not a CMS SignedData: " + e.getMessage());
        }
        X509Certificate signer = p.signerCertificate(anchors);
        checkSignature(p, signer, content);
        checkValidity(signer, at, "the signer");
        checkTrust(signer, p.certificates(), at);
        return new Verified(signer, fingerprint(signer));
    }

    /** What a SignedData says, once read. */
    private record Parsed(List<X509Certificate> certificates, Tlv sid, String digest, Tlv signedAttributes,
                          String signatureOid, byte[] signature) {

        X509Certificate signerCertificate(List<X509Certificate> anchors) throws VerificationException {
            List<X509Certificate> candidates = new ArrayList<>(certificates);
            candidates.addAll(anchors);
            for (X509Certificate c : candidates) {
                if (identifies(c)) {
                    return c;
                }
            }
            throw new VerificationException(Failure.UNTRUSTED, "the signature names a signer whose certificate it does not"
                    + " carry and this node does not trust");
        }

        private boolean identifies(X509Certificate c) throws VerificationException {
            try {
                if (sid.tag() == Der.SEQUENCE) {
                    List<Tlv> ias = sid.children();
                    if (ias.size() != 2) {
                        throw new DerException("IssuerAndSerialNumber has " + ias.size() + " parts");
                    }
                    return new X500Principal(ias.get(0).encoded()).equals(c.getIssuerX500Principal())
                            && new BigInteger(ias.get(1).expect(Der.INTEGER, "serial number").value()).equals(c.getSerialNumber());
                }
                if (sid.tag() == 0x80) {
                    byte[] ext = c.getExtensionValue(SUBJECT_KEY_ID);
                    if (ext == null) {
                        return false;
                    }
                    byte[] ski = Der.parse(Der.parse(ext).expect(Der.OCTET_STRING, "extension").value())
                            .expect(Der.OCTET_STRING, "key identifier").value();
                    return MessageDigest.isEqual(ski, sid.value());
                }
                throw new DerException("unknown signer identifier tag 0x" + Integer.toHexString(sid.tag()));
            } catch (DerException | RuntimeException e) {
                throw new VerificationException(Failure.MALFORMED, "the signer identifier cannot be read: " + e.getMessage());
            }
        }
    }

    private static Parsed parse(byte[] cms) throws DerException, VerificationException {
        List<Tlv> contentInfo = Der.parse(cms).expect(Der.SEQUENCE, "ContentInfo").children();
        if (contentInfo.size() != 2 || !Der.oid(contentInfo.get(0)).equals(SIGNED_DATA)) {
            throw new DerException("the ContentInfo is not signed data");
        }
        List<Tlv> explicit = contentInfo.get(1).expect(0xa0, "ContentInfo content").children();
        if (explicit.size() != 1) {
            throw new DerException("the ContentInfo content holds " + explicit.size() + " elements");
        }
        List<Tlv> signedData = explicit.get(0).expect(Der.SEQUENCE, "SignedData").children();
        if (signedData.size() < 4) {
            throw new DerException("SignedData has " + signedData.size() + " parts");
        }
        List<Tlv> encap = signedData.get(2).expect(Der.SEQUENCE, "EncapsulatedContentInfo").children();
        if (encap.isEmpty() || !Der.oid(encap.get(0)).equals(DATA)) {
            throw new DerException("the signed content is not of type data");
        }
        if (encap.size() > 1) {
            throw new VerificationException(Failure.MALFORMED, "the signature embeds its content; a detached signature is expected");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Tlv signerInfos = null;
        for (Tlv t : signedData.subList(3, signedData.size())) {
            if (t.tag() == 0xa0 && certificates.isEmpty() && signerInfos == null) {
                certificates.addAll(certificates(t));
            } else if (t.tag() == 0xa1 && signerInfos == null) {
                continue;
            } else if (t.tag() == Der.SET && signerInfos == null) {
                signerInfos = t;
            } else {
                throw new DerException("unexpected element with tag 0x" + Integer.toHexString(t.tag()) + " in SignedData");
            }
        }
        if (signerInfos == null) {
            throw new DerException("SignedData has no signer infos");
        }
        List<Tlv> signers = signerInfos.children();
        if (signers.size() != 1) {
            throw new VerificationException(Failure.MALFORMED, "the signature has " + signers.size() + " signers; exactly one is expected");
        }
        List<Tlv> si = signers.get(0).expect(Der.SEQUENCE, "SignerInfo").children();
        if (si.size() < 5) {
            throw new DerException("SignerInfo has " + si.size() + " parts");
        }
        Tlv sid = si.get(1);
        String digestOid = Der.oid(si.get(2).expect(Der.SEQUENCE, "digest algorithm").children().get(0));
        String digest = DIGESTS.get(digestOid);
        if (digest == null) {
            throw new VerificationException(Failure.MALFORMED, "the signature uses the digest " + digestOid
                    + "; SHA-256, SHA-384 or SHA-512 is expected");
        }
        int i = 3;
        Tlv signedAttributes = null;
        if (si.get(i).tag() == 0xa0) {
            signedAttributes = si.get(i++);
        }
        if (si.size() < i + 2) {
            throw new DerException("SignerInfo lacks its signature");
        }
        String signatureOid = Der.oid(si.get(i).expect(Der.SEQUENCE, "signature algorithm").children().get(0));
        byte[] signature = si.get(i + 1).expect(Der.OCTET_STRING, "signature").value();
        if (si.size() > i + 3 || (si.size() == i + 3 && si.get(i + 2).tag() != 0xa1)) {
            throw new DerException("unexpected elements after the signature");
        }
        return new Parsed(certificates, sid, digest, signedAttributes, signatureOid, signature);
    }

    private static List<X509Certificate> certificates(Tlv set) throws DerException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Tlv c : set.children()) {
                if (c.tag() == Der.SEQUENCE) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(c.encoded())));
                }
            }
        } catch (CertificateException e) {
            throw new DerException("a certificate in the signature cannot be read: " + e.getMessage());
        }
        return out;
    }

    private static void checkSignature(Parsed p, X509Certificate signer, byte[] content) throws VerificationException {
        byte[] contentDigest;
        try {
            contentDigest = MessageDigest.getInstance(p.digest()).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new VerificationException(Failure.MALFORMED, "this JVM has no " + p.digest());
        }
        byte[] signed = content;
        if (p.signedAttributes() != null) {
            byte[] attributeDigest = signedAttributeDigest(p.signedAttributes());
            if (!MessageDigest.isEqual(attributeDigest, contentDigest)) {
                throw new VerificationException(Failure.BAD_SIGNATURE, "the manifest does not match its signature: its "
                        + p.digest() + " differs from the signed one");
            }
            signed = p.signedAttributes().encoded();
            signed[0] = (byte) Der.SET;
        }
        String algorithm = signatureAlgorithm(p.signatureOid(), p.digest());
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(signer.getPublicKey());
            s.update(signed);
            if (!s.verify(p.signature())) {
                throw new VerificationException(Failure.BAD_SIGNATURE, "the signature of " + name(signer)
                        + " does not verify: the manifest or its signed attributes were changed");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new VerificationException(Failure.BAD_SIGNATURE, "the signature of " + name(signer) + " cannot be verified"
                    + " with " + algorithm + ": " + e.getMessage());
        }
    }

    /** The messageDigest attribute, after checking the attributes' form and the content type. */
    private static byte[] signedAttributeDigest(Tlv attributes) throws VerificationException {
        if (attributes.end() - attributes.valueEnd() != 0) {
            throw new VerificationException(Failure.MALFORMED, "the signed attributes are not DER-encoded");
        }
        byte[] digest = null;
        Set<String> seen = new HashSet<>();
        try {
            for (Tlv attribute : attributes.children()) {
                List<Tlv> parts = attribute.expect(Der.SEQUENCE, "attribute").children();
                if (parts.size() != 2) {
                    throw new DerException("an attribute has " + parts.size() + " parts");
                }
                String type = Der.oid(parts.get(0));
                if (!seen.add(type)) {
                    throw new DerException("the attribute " + type + " appears twice");
                }
                List<Tlv> values = parts.get(1).expect(Der.SET, "attribute values").children();
                if (type.equals(MESSAGE_DIGEST) || type.equals(CONTENT_TYPE)) {
                    if (values.size() != 1) {
                        throw new DerException("the attribute " + type + " has " + values.size() + " values");
                    }
                    if (type.equals(MESSAGE_DIGEST)) {
                        digest = values.get(0).expect(Der.OCTET_STRING, "message digest").value();
                    } else if (!Der.oid(values.get(0)).equals(DATA)) {
                        throw new DerException("the signed content type is " + Der.oid(values.get(0)) + ", not data");
                    }
                }
            }
        } catch (DerException | RuntimeException e) {
            throw new VerificationException(Failure.MALFORMED, "the signed attributes cannot be read: " + e.getMessage());
        }
        if (digest == null) {
            throw new VerificationException(Failure.MALFORMED, "the signed attributes carry no message digest");
        }
        return digest;
    }

    private static String signatureAlgorithm(String oid, String digest) throws VerificationException {
        String known = SIGNATURES.get(oid);
        if (known != null) {
            return known;
        }
        String hash = digest.replace("-", "");
        if (oid.equals(EC_PUBLIC_KEY)) {
            return hash + "withECDSA";
        }
        if (oid.equals(RSA_ENCRYPTION)) {
            return hash + "withRSA";
        }
        throw new VerificationException(Failure.MALFORMED, "the signature algorithm " + oid + " is not supported");
    }

    private static void checkValidity(X509Certificate c, Instant at, String who) throws VerificationException {
        try {
            c.checkValidity(Date.from(at));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new VerificationException(Failure.EXPIRED, who + " " + name(c) + " is not valid at " + at + " (valid "
                    + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")");
        }
    }

    /** The signer is an anchor, or its path through the carried certificates ends at one and validates. */
    private void checkTrust(X509Certificate signer, List<X509Certificate> carried, Instant at) throws VerificationException {
        if (anchors.contains(signer)) {
            return;
        }
        List<X509Certificate> path = new ArrayList<>(List.of(signer));
        X509Certificate current = signer;
        while (path.size() <= MAX_PATH) {
            X509Certificate anchor = issuerAmong(current, anchors);
            if (anchor != null) {
                validate(path, anchor, at);
                return;
            }
            X509Certificate next = issuerAmong(current, carried);
            if (next == null || path.contains(next)) {
                break;
            }
            path.add(next);
            current = next;
        }
        throw new VerificationException(Failure.UNTRUSTED, "the release is signed by " + name(signer)
                + ", which this node does not trust" + (anchors.isEmpty() ? " (it trusts no signer)" : ""));
    }

    private static X509Certificate issuerAmong(X509Certificate c, List<X509Certificate> candidates) {
        for (X509Certificate issuer : candidates) {
            if (issuer.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && !issuer.equals(c)) {
                try {
                    c.verify(issuer.getPublicKey());
                    return issuer;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // not this one
                }
            }
        }
        return null;
    }

    private static void validate(List<X509Certificate> path, X509Certificate anchor, Instant at) throws VerificationException {
        for (X509Certificate c : path.subList(1, path.size())) {
            checkValidity(c, at, "the intermediate");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (CertPathValidatorException e) {
            Failure f = e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID ? Failure.EXPIRED : Failure.UNTRUSTED;
            throw new VerificationException(f, "the path from " + name(path.get(0)) + " to " + name(anchor)
                    + " does not validate: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new VerificationException(Failure.UNTRUSTED, "the path of " + name(path.get(0)) + " cannot be checked: " + e.getMessage());
        }
    }

    private static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String name(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }
}
