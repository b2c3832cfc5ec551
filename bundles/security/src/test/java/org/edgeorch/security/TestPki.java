package org.edgeorch.security;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates and CRLs made with Bouncy Castle, for paths openssl makes awkward. */
final class TestPki {

    static final Instant NOW = Instant.now();
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    /** A certificate and its keys. */
    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private TestPki() {
    }

    /** A self-signed CA, valid from a day ago for 30 days. */
    static Issued root(String cn) throws Exception {
        return issue(null, cn, true, NOW.minusSeconds(86_400), NOW.plusSeconds(30 * 86_400));
    }

    /** A certificate issued by issuer (self-signed when null), valid from a day ago for 30 days. */
    static Issued issue(Issued issuer, String cn, boolean ca) throws Exception {
        return issue(issuer, cn, ca, NOW.minusSeconds(86_400), NOW.plusSeconds(30 * 86_400));
    }

    static Issued issue(Issued issuer, String cn, boolean ca, Instant from, Instant to) throws Exception {
        KeyPair keys = HostCertificateAuthority.newKeyPair();
        X500Principal subject = new X500Principal("CN=" + cn);
        X500Principal issuerName = issuer == null ? subject : issuer.certificate().getSubjectX500Principal();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(from), Date.from(to), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        KeyPair signer = issuer == null ? keys : issuer.keys();
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        return new Issued(certificate, keys);
    }

    /** A CRL of issuer, signed with signingKeys, listing the certificates as revoked on that day for reason. */
    static X509CRL crl(Issued issuer, KeyPair signingKeys, Instant revokedOn, int reason, X509Certificate... revoked) throws Exception {
        JcaX509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.certificate().getSubjectX500Principal(), Date.from(NOW));
        b.setNextUpdate(Date.from(NOW.plusSeconds(7 * 86_400)));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(revokedOn), reason);
        }
        return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKeys.getPrivate())));
    }

    static X509CRL crl(Issued issuer, Instant revokedOn, int reason, X509Certificate... revoked) throws Exception {
        return crl(issuer, issuer.keys(), revokedOn, reason, revoked);
    }
}
