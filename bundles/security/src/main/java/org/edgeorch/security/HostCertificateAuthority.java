package org.edgeorch.security;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.security.MessageDigest;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Objects;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The orchestrator's certificate authority for hosts (ECDSA P-256, Bouncy Castle). It signs a host's
 * certificate signing request only when the request proves possession of a P-256 key; the certificate
 * names the host and its project (CN and a {@code urn:edgeorch:host:<project>:<host>} URI) and is good
 * for TLS client authentication only. Plain values; where the CA key is kept is the caller's business.
 */
public final class HostCertificateAuthority {

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final X509Certificate certificate;
    private final PrivateKey key;

    public HostCertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = Objects.requireNonNull(certificate);
        this.key = Objects.requireNonNull(key);
    }

    /** Creates a new root: a fresh P-256 key and a self-signed CA certificate. */
    public static HostCertificateAuthority createRoot(String name, Duration validity) {
        try {
            KeyPair pair = newKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Edge Orchestrator")
                    .addRDN(BCStyle.CN, name).build();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new HostCertificateAuthority(sign(b, pair.getPrivate()), pair.getPrivate());
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a certificate authority", e);
        }
    }

    /** A fresh ECDSA P-256 key pair (the only kind hosts use). */
    public static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    /**
     * Loads an authority kept as PEM (as {@link #pem(Object)} wrote it).
     *
     * @throws IllegalArgumentException when either text is not what it should be, or they do not belong together
     */
    public static HostCertificateAuthority fromPem(String certificatePem, String privateKeyPem) {
        try {
            return new HostCertificateAuthority(Pems.certificates(certificatePem).get(0), Pems.privateKey(privateKeyPem));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the certificate authority: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The authority's private key as PKCS#8 PEM, for storing it; never log it. */
    public String privateKeyPem() {
        return Pems.pem(key);
    }

    /** SHA-256 of a certificate's DER encoding, lower-case hex: what a node pins before it trusts us. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Issues a TLS server certificate for an orchestrator's southbound endpoint.
     *
     * @param names DNS names and IP addresses (both go into the subject alternative names)
     */
    public X509Certificate signServer(PublicKey publicKey, List<String> names, Duration validity) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one name");
        }
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Edge Orchestrator")
                    .addRDN(BCStyle.CN, names.get(0)).build();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(backdating(validity))), Date.from(now.plus(validity)), subject, publicKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            GeneralName[] sans = names.stream()
                    .map(n -> new GeneralName(IP_ADDRESS.matcher(n).matches() || n.contains(":")
                            ? GeneralName.iPAddress : GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return sign(b, key);
        } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a server certificate", e);
        }
    }

    /**
     * Signs a host's CSR (PEM).
     *
     * @throws IllegalArgumentException when the CSR is malformed, its signature is wrong, or its key is not P-256
     */
    public X509Certificate signHost(String csrPem, String project, String host, Duration validity) {
        PKCS10CertificationRequest csr = parseCsr(csrPem);
        try {
            var spki = csr.getSubjectPublicKeyInfo();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())
                    || !SECObjectIdentifiers.secp256r1.equals(spki.getAlgorithm().getParameters())) {
                throw new IllegalArgumentException("the CSR's key must be ECDSA P-256");
            }
            PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new IllegalArgumentException("the CSR's signature does not match its key");
            }
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, project).addRDN(BCStyle.CN, host).build();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(backdating(validity))), Date.from(now.plus(validity)), subject, publicKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, "urn:edgeorch:host:" + project + ":" + host)));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return sign(b, key);
        } catch (PKCSException | OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the CSR cannot be used: " + e.getMessage(), e);
        }
    }

    private static PKCS10CertificationRequest parseCsr(String pem) {
        if (pem == null || pem.length() > 16_384) {
            throw new IllegalArgumentException("a CSR in PEM form (at most 16 KiB) is required");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (!(o instanceof PKCS10CertificationRequest csr)) {
                throw new IllegalArgumentException("not a PEM certificate signing request");
            }
            if (parser.readObject() != null) {
                throw new IllegalArgumentException("exactly one certificate signing request is expected; the PEM holds more");
            }
            if (!pem.strip().endsWith("-----")) {
                throw new IllegalArgumentException("the PEM has text after its certificate signing request");
            }
            return csr;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException refused && refused.getCause() == null) {
                throw refused;
            }
            throw new IllegalArgumentException("not a PEM certificate signing request: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
        X509CertificateHolder holder = b.build(signer);
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /**
     * How far before now a certificate starts, for hosts whose clocks run a little behind: five minutes,
     * but never more than a tenth of its validity (agents renew after two thirds of the whole span).
     */
    private static Duration backdating(Duration validity) {
        Duration tenth = validity.dividedBy(10);
        return tenth.compareTo(Duration.ofMinutes(5)) < 0 ? tenth : Duration.ofMinutes(5);
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    /** PEM text of a certificate, key or CSR object; the same as {@link Pems#pem(Object)}. */
    public static String pem(Object object) {
        return Pems.pem(object);
    }
}
