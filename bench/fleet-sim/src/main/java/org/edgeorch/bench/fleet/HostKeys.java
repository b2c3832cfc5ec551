package org.edgeorch.bench.fleet;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One key manager for tens of thousands of simulated hosts on one shared TLS client: each host connects to its own
 * loopback address (127.x.y.z), and the engine's peer address names the host whose key and certificate answer the
 * server's certificate request. A peer address with no enrolled host (the shared enrolment destination) presents no
 * certificate, as an agent that has not enrolled yet.
 */
final class HostKeys extends X509ExtendedKeyManager {

    private record Identity(PrivateKey key, X509Certificate[] chain) {
    }

    private final Map<String, Identity> byAddress = new ConcurrentHashMap<>();

    /** The loopback address of host {@code index} (0-based): 127.1.0.0 upwards, so never 127.0.0.1; up to 8 million hosts. */
    static String address(int index) {
        if (index < 0 || index >= (126 << 16)) {
            throw new IllegalArgumentException("host index out of range: " + index);
        }
        return "127." + (1 + (index >>> 16)) + "." + ((index >>> 8) & 0xff) + "." + (index & 0xff);
    }

    void put(String address, PrivateKey key, X509Certificate... chain) {
        byAddress.put(address, new Identity(key, chain.clone()));
    }

    int size() {
        return byAddress.size();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        String peer = engine == null ? null : engine.getPeerHost();
        if (peer == null) {
            return null;
        }
        Identity id = byAddress.get(peer);
        if (id == null) {
            return null;
        }
        String algorithm = id.key().getAlgorithm();
        for (String t : keyType) {
            if (t.equals(algorithm) || ("EC".equals(algorithm) && t.startsWith("EC"))) {
                return peer;
            }
        }
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null; // the simulator only uses engines (Jetty's non-blocking client)
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity id = alias == null ? null : byAddress.get(alias);
        return id == null ? null : id.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity id = alias == null ? null : byAddress.get(alias);
        return id == null ? null : id.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
