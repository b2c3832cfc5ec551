package org.edgeorch.agent.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;

import java.net.Socket;
import java.security.Principal;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The agent's TLS contexts: trust in one authority (pinned or known), and the host's own key for mutual TLS. */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** Trusts servers whose chain leads to {@code ca}; presents {@code key} and {@code certificate} if given. */
    public static SSLContext context(X509Certificate ca, PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        // One key, one chain: a key manager that returns them directly, without a PKCS#12 key store (whose
        // password-based key protection costs more than the TLS handshake itself).
        KeyManager[] keys = key == null ? null : new KeyManager[] {new HostKeyManager(key, certificate)};
        ctx.init(keys, trust(ca), null);
        return ctx;
    }

    /**
     * Before enrolment the agent knows only the SHA-256 fingerprint of the authority (from its configuration):
     * it trusts a server whose chain contains a certificate with that fingerprint and validates up to it.
     */
    public static SSLContext pinned(String fingerprint) throws GeneralSecurityException {
        String pin = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        X509TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("the agent is not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                for (X509Certificate c : chain) {
                    if (Pem.fingerprint(c).equals(pin)) {
                        try {
                            ((X509TrustManager) trust(c)[0]).checkServerTrusted(chain, authType);
                            return;
                        } catch (GeneralSecurityException e) {
                            throw new CertificateException(e);
                        }
                    }
                }
                throw new CertificateException("the orchestrator's certificate chain does not contain the authority"
                        + " with SHA-256 fingerprint " + pin + " (caFingerprint)");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx;
    }

    private static TrustManager[] trust(X509Certificate ca) throws GeneralSecurityException {
        KeyStore ts = emptyStore();
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }

    /** Presents the host's key and certificate, whatever the server asks for. */
    private static final class HostKeyManager extends X509ExtendedKeyManager {

        private static final String ALIAS = "host";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        HostKeyManager(PrivateKey key, X509Certificate certificate) {
            this.key = key;
            this.chain = new X509Certificate[] {certificate};
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }
}
