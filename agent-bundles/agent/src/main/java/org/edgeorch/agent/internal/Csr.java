package org.edgeorch.agent.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * A PKCS#10 certification request (RFC 2986) for an ECDSA P-256 key, signed with SHA-256, encoded by hand
 * in DER. The JDK has no public API for it, and Bouncy Castle would add 8 MB to a node for a few dozen
 * bytes of ASN.1; the orchestrator parses the result with Bouncy Castle and a test checks it with openssl.
 */
public final class Csr {

    /** 2.5.4.3, commonName. */
    private static final byte[] CN = {0x06, 0x03, 0x55, 0x04, 0x03};
    /** 1.2.840.10045.4.3.2, ecdsa-with-SHA256 (no parameters). */
    private static final byte[] ECDSA_SHA256 = {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};

    private Csr() {
    }

    /** The request in PEM, subject {@code CN=commonName}, no attributes. */
    public static String create(KeyPair key, String commonName) throws GeneralSecurityException {
        byte[] subject = tlv(0x30, tlv(0x31, tlv(0x30, CN, tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] info = tlv(0x30, new byte[] {0x02, 0x01, 0x00}, subject, key.getPublic().getEncoded(), new byte[] {(byte) 0xA0, 0x00});
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.getPrivate());
        signer.update(info);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return Pem.encode("CERTIFICATE REQUEST", tlv(0x30, info, tlv(0x30, ECDSA_SHA256), tlv(0x03, bits)));
    }

    /** Tag, definite length, then the parts. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 4);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xFF);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
