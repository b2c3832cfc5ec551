package org.edgeorch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates the CA issues are checked by the real openssl. */
class HostCertificateAuthorityTest {

    @TempDir
    Path dir;

    @Test
    void signsAnOpensslCsrIntoAClientCertificateOpensslVerifies() throws Exception {
        HostCertificateAuthority ca = HostCertificateAuthority.createRoot("test CA", Duration.ofDays(3650));
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.resolve("host.key").toString());
        run("openssl", "req", "-new", "-key", dir.resolve("host.key").toString(), "-subj", "/CN=ignored",
                "-out", dir.resolve("host.csr").toString());
        X509Certificate cert = ca.signHost(Files.readString(dir.resolve("host.csr")), "acme-a", "edge-1", Duration.ofDays(30));
        Files.writeString(dir.resolve("ca.pem"), HostCertificateAuthority.pem(ca.certificate()));
        Files.writeString(dir.resolve("host.pem"), HostCertificateAuthority.pem(cert));

        List<String> verified = run("openssl", "verify", "-purpose", "sslclient", "-CAfile", dir.resolve("ca.pem").toString(),
                dir.resolve("host.pem").toString());
        assertTrue(verified.get(0).endsWith(": OK"), verified.toString());
        String text = String.join("\n", run("openssl", "x509", "-in", dir.resolve("host.pem").toString(), "-noout", "-text"));
        assertTrue(text.contains("URI:urn:edgeorch:host:acme-a:edge-1"), text);
        assertTrue(text.contains("TLS Web Client Authentication"), text);
        assertEquals(new X500Principal("CN=edge-1, O=acme-a"), cert.getSubjectX500Principal());
        // The certificate carries the CSR's key: openssl matches it with the host's private key.
        assertEquals(run("openssl", "pkey", "-in", dir.resolve("host.key").toString(), "-pubout"),
                run("openssl", "x509", "-in", dir.resolve("host.pem").toString(), "-noout", "-pubkey"));
    }

    @Test
    void aPemWithTwoCsrsOrTrailingTextIsRefused() throws Exception {
        HostCertificateAuthority ca = HostCertificateAuthority.createRoot("test CA", Duration.ofDays(1));
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.resolve("host.key").toString());
        run("openssl", "req", "-new", "-key", dir.resolve("host.key").toString(), "-subj", "/CN=ignored",
                "-out", dir.resolve("host.csr").toString());
        String csr = Files.readString(dir.resolve("host.csr"));
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> ca.signHost(csr + csr, "p", "h", Duration.ofDays(1)));
        assertTrue(two.getMessage().contains("exactly one"), two.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ca.signHost(csr + "trailing", "p", "h", Duration.ofDays(1)));
        ca.signHost(csr, "p", "h", Duration.ofDays(1));
    }

    @Test
    void keptAsPemItSignsTheSameAndIssuesServerCertificatesOpensslAccepts() throws Exception {
        HostCertificateAuthority original = HostCertificateAuthority.createRoot("test CA", Duration.ofDays(3650));
        HostCertificateAuthority ca = HostCertificateAuthority.fromPem(HostCertificateAuthority.pem(original.certificate()),
                original.privateKeyPem());
        assertEquals(original.certificate(), ca.certificate());
        assertEquals(HostCertificateAuthority.fingerprint(original.certificate()), HostCertificateAuthority.fingerprint(ca.certificate()));

        KeyPair server = HostCertificateAuthority.newKeyPair();
        X509Certificate cert = ca.signServer(server.getPublic(), List.of("orchestrator.example", "127.0.0.1"), Duration.ofDays(1));
        cert.verify(original.certificate().getPublicKey());
        Files.writeString(dir.resolve("ca.pem"), HostCertificateAuthority.pem(original.certificate()));
        Files.writeString(dir.resolve("server.pem"), HostCertificateAuthority.pem(cert));
        List<String> verified = run("openssl", "verify", "-purpose", "sslserver", "-CAfile", dir.resolve("ca.pem").toString(),
                dir.resolve("server.pem").toString());
        assertTrue(verified.get(0).endsWith(": OK"), verified.toString());
        String text = String.join("\n", run("openssl", "x509", "-in", dir.resolve("server.pem").toString(), "-noout", "-text"));
        assertTrue(text.contains("DNS:orchestrator.example") && text.contains("IP Address:127.0.0.1"), text);
        // openssl's fingerprint is the one nodes are told to pin
        String sha = run("openssl", "x509", "-in", dir.resolve("ca.pem").toString(), "-noout", "-fingerprint", "-sha256").get(0);
        assertEquals(HostCertificateAuthority.fingerprint(ca.certificate()), sha.substring(sha.indexOf('=') + 1).replace(":", "").toLowerCase());

        assertThrows(IllegalArgumentException.class, () -> HostCertificateAuthority.fromPem("junk", original.privateKeyPem()));
    }

    @Test
    void refusesForgedMalformedAndWeakRequests() throws Exception {
        HostCertificateAuthority ca = HostCertificateAuthority.createRoot("test CA", Duration.ofDays(1));
        assertThrows(IllegalArgumentException.class, () -> ca.signHost("junk", "p", "h", Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> ca.signHost(null, "p", "h", Duration.ofDays(1)));

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair weak = rsa.generateKeyPair();
        String rsaCsr = HostCertificateAuthority.pem(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=x"), weak.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(weak.getPrivate())));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ca.signHost(rsaCsr, "p", "h", Duration.ofDays(1)))
                .getMessage().contains("P-256"));

        // A CSR for one key signed by another: possession of the key is not proven.
        KeyPair a = HostCertificateAuthority.newKeyPair();
        KeyPair b = HostCertificateAuthority.newKeyPair();
        String forged = HostCertificateAuthority.pem(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=x"), a.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(b.getPrivate())));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ca.signHost(forged, "p", "h", Duration.ofDays(1)))
                .getMessage().contains("signature"));
    }

    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + lines);
        return lines;
    }
}
