package org.edgeorch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.edgeorch.security.TestPki.Issued;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEM texts as openssl writes them. */
class PemsTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryCertificateOfABundleAndSkipsTextAround() throws Exception {
        Openssl.selfSigned(dir, "one", "ec");
        Openssl.selfSigned(dir, "two", "rsa");
        String text = Openssl.ok(dir, "x509", "-in", "one.pem", "-text") + Files.readString(dir.resolve("two.pem"));

        List<X509Certificate> certificates = Pems.certificates(text);
        assertEquals(List.of("CN=one", "CN=two"), certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList());
        assertEquals(certificates.get(0), Pems.certificates(Pems.pem(certificates.get(0))).get(0));
        assertEquals(Pems.pem(certificates.get(1)), HostCertificateAuthority.pem(certificates.get(1)));
    }

    @Test
    void refusesTextWithoutCertificatesOrWithOtherBlocks() throws Exception {
        Openssl.selfSigned(dir, "one", "ec");
        assertMessage("no -----BEGIN CERTIFICATE-----", () -> Pems.certificates("garbage"));
        assertMessage("no -----BEGIN CERTIFICATE-----", () -> Pems.certificates(""));
        assertMessage("PRIVATE KEY", () -> Pems.certificates(Files.readString(dir.resolve("one.pem"))
                + Files.readString(dir.resolve("one.key"))));
        assertMessage("does not parse", () -> Pems.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        assertMessage("no certificate PEM", () -> Pems.certificates(null));
        assertMessage("X509 CRL", () -> Pems.crl(Files.readString(dir.resolve("one.pem"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8-ec", "sec1", "sec1-with-parameters", "pkcs8-rsa", "pkcs1"})
    void readsOpensslPrivateKeysInEveryUnencryptedForm(String form) throws Exception {
        switch (form) {
            case "pkcs8-ec" -> Openssl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem");
            case "sec1" -> Openssl.ok(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem");
            case "sec1-with-parameters" -> Openssl.ok(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "k.pem");
            case "pkcs8-rsa" -> Openssl.ok(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "k.pem");
            default -> {
                Openssl.ok(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "p8.pem");
                Openssl.ok(dir, "rsa", "-in", "p8.pem", "-traditional", "-out", "k.pem");
            }
        }
        PrivateKey key = Pems.privateKey(Files.readString(dir.resolve("k.pem")));
        assertEquals(form.contains("rsa") || form.equals("pkcs1") ? "RSA" : "EC", key.getAlgorithm());
        // the same key as openssl's: the public halves agree
        Openssl.ok(dir, "pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem");
        Files.writeString(dir.resolve("ours.pem"), Pems.pem(key));
        assertEquals(Files.readString(dir.resolve("pub.pem")), Openssl.ok(dir, "pkey", "-in", "ours.pem", "-pubout"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8", "traditional"})
    void refusesAnEncryptedKeyWithoutQuotingIt(String form) throws Exception {
        Openssl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "plain.pem");
        if (form.equals("pkcs8")) {
            Openssl.ok(dir, "pkey", "-in", "plain.pem", "-aes256", "-passout", "pass:secret", "-out", "k.pem");
        } else {
            Openssl.ok(dir, "ec", "-in", "plain.pem", "-aes256", "-passout", "pass:secret", "-out", "k.pem");
        }
        String pem = Files.readString(dir.resolve("k.pem"));
        assertTrue(pem.contains(form.equals("pkcs8") ? "ENCRYPTED PRIVATE KEY" : "Proc-Type: 4,ENCRYPTED"), pem.lines().findFirst().orElse(""));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pems.privateKey(pem));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
        assertNoKeyMaterial(e, pem);
        assertNoKeyMaterial(e, Files.readString(dir.resolve("plain.pem")));
    }

    @Test
    void refusesTextWithoutExactlyOneKeyAndNeverQuotesAKey() throws Exception {
        Openssl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem");
        String key = Files.readString(dir.resolve("k.pem"));
        assertMessage("no PRIVATE KEY", () -> Pems.privateKey("garbage"));
        assertMessage("no private key", () -> Pems.privateKey(null));
        assertMessage("found 2", () -> Pems.privateKey(key + key));
        String corrupt = key.replaceFirst("\n(.{20})", "\n!!!!$1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pems.privateKey(corrupt));
        assertNoKeyMaterial(e, key);
        Issued ca = TestPki.root("with key");
        // a certificate next to the key is fine
        assertEquals("EC", Pems.privateKey(Pems.pem(ca.certificate()) + key).getAlgorithm());
    }

    /** Neither the message nor any cause holds a run of 12 characters of the key's base64 body. */
    private static void assertNoKeyMaterial(Throwable e, String pem) {
        String body = String.join("", pem.lines().filter(l -> !l.startsWith("-----") && !l.contains(":") && !l.isBlank()).toList());
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (int i = 0; i + 12 <= body.length(); i += 4) {
                assertFalse(message.contains(body.substring(i, i + 12)), "the message quotes the key: " + message);
            }
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
