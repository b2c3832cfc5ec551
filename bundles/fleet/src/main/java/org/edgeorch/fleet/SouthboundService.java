package org.edgeorch.fleet;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.edgeorch.spi.southbound.DesiredState;
import org.edgeorch.spi.southbound.EnrolRequest;
import org.edgeorch.spi.southbound.EnrolResponse;
import org.edgeorch.spi.southbound.RenewRequest;
import org.edgeorch.spi.southbound.SyncRequest;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The fleet as the southbound adapter sees it: nodes enrol, then every call is made with a host
 * certificate that {@link #authenticate} turns into the one host it may act on. Refusals are
 * {@link SouthboundException}s.
 */
@ProviderType
public interface SouthboundService {

    /**
     * A host proven by its certificate, with what the orchestrator knew of it when the call came in.
     *
     * @param status       its status then
     * @param agentVersion the agent version it reported last
     */
    record HostIdentity(String hostId, String hostName, String projectId, String projectName, String orgId,
                        String certificateSerial, Instant notBefore, Instant notAfter, HostStatus status,
                        String agentVersion) {
    }

    /**
     * What a sync returns.
     *
     * @param etag            quoted digest of {@code desired}
     * @param ackedSequence   highest report sequence stored for the host (0 when none)
     * @param inventorySha256 digest of the inventory the orchestrator holds, or null
     * @param nextSyncSeconds sync again after this many seconds, sooner than the interval; 0 when the interval holds
     */
    record SyncResult(DesiredState desired, String etag, long ackedSequence, String inventorySha256, int nextSyncSeconds) {

        /** A result without next-sync hint. */
        public SyncResult(DesiredState desired, String etag, long ackedSequence, String inventorySha256) {
            this(desired, etag, ackedSequence, inventorySha256, 0);
        }
    }

    EnrolResponse enrol(EnrolRequest request, String sourceAddress);

    /**
     * Checks a client certificate: issued by our authority, known, not revoked, not expired, and its host
     * still there and not invalidated.
     */
    HostIdentity authenticate(X509Certificate certificate, String sourceAddress);

    /** A new certificate for a new key; the current one stays good until it expires. */
    EnrolResponse renew(HostIdentity host, RenewRequest request, String sourceAddress);

    SyncResult sync(HostIdentity host, SyncRequest request);

    X509Certificate caCertificate();

    /** A TLS server certificate for an orchestrator's southbound endpoint, signed by the host authority. */
    X509Certificate issueServerCertificate(PublicKey key, List<String> names, Duration validity);
}
