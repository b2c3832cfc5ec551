package org.edgeorch.southbound.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.edgeorch.fleet.SouthboundService;
import org.edgeorch.http.ClientLimits;
import org.edgeorch.http.JsonErrorHandler;
import org.edgeorch.spi.southbound.SouthboundError;
import org.edgeorch.security.HostCertificateAuthority;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.edgeorch.release.ImageDelivery;
import org.edgeorch.observability.Instruments;
import org.edgeorch.observability.TelemetryService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The southbound endpoint: its own Jetty server (not the northbound web container, which has no client
 * authentication) with a TLS connector that asks for a client certificate and trusts only the host
 * certificate authority. Enrolment works without one; every other call is checked by the fleet against
 * the certificate records, so a revocation counts on the next request even on a kept-alive connection.
 * The server's own key is made at each start and never leaves memory; its certificate is issued by the
 * same authority, so nodes need to trust one certificate only.
 */
@Component(immediate = true, configurationPid = SouthboundConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SouthboundConfig.class)
public class SouthboundServer {

    private static final Logger LOG = LoggerFactory.getLogger(SouthboundServer.class);

    private final Server server;
    private final int port;
    private final ClientLimits limits;

    /** The release service's image delivery, when it runs (images are then served from its cache). */
    private volatile ImageDelivery images;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setImages(ImageDelivery images) {
        this.images = images;
    }

    public void unsetImages(ImageDelivery gone) {
        if (images == gone) {
            images = null;
        }
    }

    /** Where the hosts' telemetry is kept, when observability runs. */
    private volatile TelemetryService telemetry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setTelemetry(TelemetryService telemetry) {
        this.telemetry = telemetry;
    }

    public void unsetTelemetry(TelemetryService gone) {
        if (telemetry == gone) {
            telemetry = null;
        }
    }

    /** Where each call is counted and timed for {@code /metrics}, when observability runs. */
    private volatile Instruments instruments;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setInstruments(Instruments instruments) {
        this.instruments = instruments;
    }

    public void unsetInstruments(Instruments gone) {
        if (instruments == gone) {
            instruments = null;
        }
    }

    @Activate
    public SouthboundServer(@Reference SouthboundService fleet, SouthboundConfig config) throws Exception {
        List<String> names = names(config.serverNames());
        KeyPair key = HostCertificateAuthority.newKeyPair();
        X509Certificate cert = fleet.issueServerCertificate(key.getPublic(), names, Duration.ofDays(397));
        char[] password = java.util.UUID.randomUUID().toString().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", key.getPrivate(), password, new Certificate[] {cert, fleet.caCertificate()});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hosts", fleet.caCertificate());

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys);
        tls.setKeyStorePassword(new String(password));
        tls.setTrustStore(trust);
        tls.setWantClientAuth(true);
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");

        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, config.maxThreads()), 4);
        threads.setName("edgeorch-southbound");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        ObjectMapper json = new ObjectMapper();
        JsonErrorHandler errors = errorHandler(json);
        limits = ClientLimits.apply("Southbound API", connector, limits(config), errors);
        server.setHandler(new SouthboundHandler(fleet, () -> images, () -> instruments, () -> telemetry, json,
                config.maxBodyBytes()));
        errors.setServer(server);
        server.setErrorHandler(errors);
        server.start();
        port = connector.getLocalPort();
        LOG.info("Southbound API on https://{}:{} for {}", config.host(), port, names);
    }

    /**
     * What Jetty answers on its own (a request that is not well formed HTTP, a URI or headers too long) in the agent
     * protocol's error body, as the handler's own refusals.
     */
    static JsonErrorHandler errorHandler(ObjectMapper json) {
        return new JsonErrorHandler((status, code, message) -> {
            try {
                return json.writeValueAsString(new SouthboundError(status, code.toUpperCase(java.util.Locale.ROOT), message));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static ClientLimits.Settings limits(SouthboundConfig config) {
        return new ClientLimits.Settings(Duration.ofSeconds(Math.max(1, config.idleTimeoutSeconds())),
                Duration.ofSeconds(Math.max(0, config.headerTimeoutSeconds())), config.minRequestBytesPerSecond(),
                config.maxConnectionsPerAddress(), config.maxRequestsPerAddress());
    }

    /** The limits on slow and greedy clients, as applied. */
    public ClientLimits limits() {
        return limits;
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return port;
    }

    @Deactivate
    public void stop() throws Exception {
        limits.remove();
        server.stop();
    }

    static List<String> names(String configured) {
        List<String> names = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
            return names;
        }
        names.add("localhost");
        names.add("127.0.0.1");
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!names.contains(host)) {
                names.add(host);
            }
        } catch (UnknownHostException e) {
            LOG.debug("No host name for the server certificate: {}", e.toString());
        }
        return names;
    }
}
