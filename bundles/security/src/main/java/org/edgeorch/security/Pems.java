package org.edgeorch.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads and writes the PEM texts that operators paste in and openssl writes: certificates, certificate
 * revocation lists and unencrypted private keys. Text outside the {@code -----BEGIN …-----} blocks (such as
 * {@code openssl x509 -text} output) is ignored. Messages about private keys never quote the key.
 */
public final class Pems {

    private Pems() {
    }

    /**
     * The certificates of every {@code CERTIFICATE} block, in order.
     *
     * @throws IllegalArgumentException when there is none, a block is of another type, or a block does not parse
     */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemObject block : blocks(pem, "certificate")) {
            if (!block.getType().equals("CERTIFICATE")) {
                throw new IllegalArgumentException("expected only CERTIFICATE blocks but found a " + block.getType() + " block");
            }
            try {
                certificates.add((X509Certificate) factory().generateCertificate(new ByteArrayInputStream(block.getContent())));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate " + (certificates.size() + 1) + " does not parse: "
                        + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no -----BEGIN CERTIFICATE----- block found");
        }
        return List.copyOf(certificates);
    }

    /**
     * The certificate revocation list of the one {@code X509 CRL} block.
     *
     * @throws IllegalArgumentException when there is not exactly one such block, or it does not parse
     */
    public static X509CRL crl(String pem) {
        List<PemObject> blocks = blocks(pem, "CRL");
        if (blocks.size() != 1 || !blocks.get(0).getType().equals("X509 CRL")) {
            throw new IllegalArgumentException("expected exactly one -----BEGIN X509 CRL----- block but found "
                    + blocks.stream().map(PemObject::getType).toList());
        }
        try {
            return (X509CRL) factory().generateCRL(new ByteArrayInputStream(blocks.get(0).getContent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CRL does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * The one unencrypted private key in the text: PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY},
     * optionally after its {@code EC PARAMETERS}) or PKCS#1 ({@code RSA PRIVATE KEY}). Certificates and other
     * blocks in the same text are skipped. Encrypted keys are refused: decrypt them first
     * ({@code openssl pkey -in k.pem -out plain.pem}).
     *
     * @throws IllegalArgumentException when there is no key or more than one, the key is encrypted or does not parse;
     *                                  the message names the problem, never the key's content
     */
    public static PrivateKey privateKey(String pem) {
        if (pem == null) {
            throw new IllegalArgumentException("no private key given");
        }
        List<PrivateKeyInfo> keys = new ArrayList<>();
        boolean encrypted = false;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                    encrypted = true;
                } else if (o instanceof PrivateKeyInfo info) {
                    keys.add(info);
                } else if (o instanceof PEMKeyPair pair) {
                    keys.add(pair.getPrivateKeyInfo());
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cause and no parser message: neither may ever quote the key.
            throw new IllegalArgumentException("the private key PEM does not parse (" + e.getClass().getSimpleName() + ")");
        }
        if (encrypted) {
            throw new IllegalArgumentException("the private key is encrypted; give it unencrypted"
                    + " (openssl pkey -in encrypted.pem -out plain.pem asks for the pass phrase)");
        }
        if (keys.size() != 1) {
            throw new IllegalArgumentException(keys.isEmpty()
                    ? "no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block found"
                    : "expected one private key but found " + keys.size());
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(keys.get(0));
        } catch (IOException e) {
            throw new IllegalArgumentException("the private key cannot be used ("
                    + keys.get(0).getPrivateKeyAlgorithm().getAlgorithm() + ")");
        }
    }

    /**
     * PEM text of a certificate, CRL, CSR or any other object Bouncy Castle's PEM writer knows. Private keys are
     * written as unencrypted PKCS#8 ({@code PRIVATE KEY}): Bouncy Castle's traditional form of an EC key read from
     * PKCS#8 leaves out the curve, and openssl cannot read it back.
     */
    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<PemObject> blocks(String pem, String what) {
        if (pem == null) {
            throw new IllegalArgumentException("no " + what + " PEM given");
        }
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            for (PemObject o = reader.readPemObject(); o != null; o = reader.readPemObject()) {
                blocks.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the " + what + " PEM does not parse: " + e.getMessage(), e);
        }
        return blocks;
    }

    private static CertificateFactory factory() throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509");
    }
}
