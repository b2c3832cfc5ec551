package org.edgeorch.release.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.edgeorch.release.ReleaseNotifications;
import org.edgeorch.release.RegistryPushListener;
import org.edgeorch.release.RegistryPushListener.RegistryPush;
import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The release routes, joined to the orchestrator's CamelContext by whiteboard:
 * <ul>
 * <li>{@code release-verify}: {@code seda:release-candidates} → check one tag ({@link Detection#process}); one
 * consumer, so an image is never fetched twice at once by this orchestrator;</li>
 * <li>{@code release-poll}: a timer that pages through the registry's repositories and tags and queues every
 * tag not seen yet — the fallback that also recovers whatever a crash lost from the in-memory queue.</li>
 * </ul>
 * The registry's push notifications arrive through {@link ReleaseNotifications#accept} (the REST adapter's
 * {@code POST /release/notifications}) and are queued on the same endpoint.
 */
@Component(service = {RoutesBuilder.class, ReleaseNotifications.class}, configurationPid = ReleaseConfig.PID)
public class ReleaseRoutes extends RouteBuilder implements ReleaseNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRoutes.class);
    static final String POLL_JOB = "release-poll";
    static final String QUEUE = "seda:release-candidates?size=10000";
    private static final Set<String> MANIFEST_TYPES = Set.of("application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Detection detection;
    private final int pollIntervalSeconds;
    private final BooleanSupplier pollLeader;
    private final byte[] webhookTokenSha256;
    private volatile ProducerTemplate producer;
    private final List<RegistryPushListener> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public ReleaseRoutes(@Reference Detection detection, @Reference LeaderLeases leases, ReleaseConfig config) {
        this(detection, config.pollIntervalSeconds(), config.webhookToken(), () -> leases.isLeader(POLL_JOB));
    }

    /** @param pollLeader whether this orchestrator leads registry polling now (the lease {@value #POLL_JOB}) */
    ReleaseRoutes(Detection detection, int pollIntervalSeconds, String webhookToken, BooleanSupplier pollLeader) {
        if (pollIntervalSeconds < 0) {
            throw new IllegalArgumentException("pollIntervalSeconds must be 0 (off) or more");
        }
        this.detection = detection;
        this.pollIntervalSeconds = pollIntervalSeconds;
        this.pollLeader = pollLeader;
        this.webhookTokenSha256 = webhookToken == null || webhookToken.isBlank() ? null : sha256(webhookToken.strip());
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .process(e -> LOG.warn("Release route {} failed: {}", e.getFromRouteId(),
                        e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class).toString()));

        from(QUEUE).routeId("release-verify")
                .process(e -> detection.process(e.getIn().getBody(Candidate.class), false));

        if (pollIntervalSeconds > 0) {
            // Several orchestrators share one registry and one database: only the poll lease's leader polls.
            // Notifications are accepted by every instance; detection is idempotent per manifest digest.
            from("timer:release-poll?delay=2000&period=" + pollIntervalSeconds * 1000L).routeId(POLL_JOB)
                    .filter(e -> pollLeader.getAsBoolean())
                    .process(e -> e.getIn().setBody(detection.pollCandidates()))
                    .split(body())
                    .to(QUEUE);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(RegistryPushListener listener) {
        listeners.add(listener);
    }

    void removeListener(RegistryPushListener listener) {
        listeners.remove(listener);
    }

    @Deactivate
    void deactivate() throws Exception {
        ProducerTemplate p = producer;
        if (p != null) {
            p.stop();
        }
    }

    @Override
    public int accept(String authorization, byte[] body) {
        if (webhookTokenSha256 == null) {
            throw new TenancyException(Reason.UNAUTHENTICATED, "release notifications are off: set webhookToken in org.edgeorch.release");
        }
        String presented = authorization == null ? "" : authorization.strip();
        if (!presented.regionMatches(true, 0, "Bearer ", 0, 7)
                || !MessageDigest.isEqual(webhookTokenSha256, sha256(presented.substring(7).strip()))) {
            throw new TenancyException(Reason.UNAUTHENTICATED, "the notification does not carry the webhook token");
        }
        List<Candidate> candidates = candidates(body, detection.repositoryPrefix());
        if (!candidates.isEmpty()) {
            ProducerTemplate template = producer();
            for (Candidate c : candidates) {
                template.sendBody(QUEUE, c);
            }
            LOG.debug("{} release candidate(s) queued from a registry notification", candidates.size());
        }
        return candidates.size() + notifyListeners(body);
    }

    /** Push events of tagged manifests under the prefix, from a notification envelope. */
    static List<Candidate> candidates(byte[] body, String prefix) {
        List<Candidate> out = new ArrayList<>();
        for (RegistryPush push : pushes(body)) {
            if (push.repository().startsWith(prefix)) {
                out.add(new Candidate(push.repository(), push.tag(), push.digest(), DetectionSource.WEBHOOK));
            }
        }
        return out;
    }

    /** Every push event of a tagged manifest in a notification envelope, whatever its repository. */
    static List<RegistryPush> pushes(byte[] body) {
        JsonNode envelope;
        try {
            envelope = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new TenancyException(Reason.INVALID, "body", "the notification is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TenancyException(Reason.INVALID, "body", "the notification cannot be read: " + e.getMessage());
        }
        if (envelope == null || !envelope.path("events").isArray()) {
            throw new TenancyException(Reason.INVALID, "events", "a notification envelope has an \"events\" array");
        }
        List<RegistryPush> out = new ArrayList<>();
        for (JsonNode event : envelope.get("events")) {
            JsonNode target = event.path("target");
            String repository = target.path("repository").asText("");
            String tag = target.path("tag").asText("");
            String digest = target.path("digest").asText("");
            if ("push".equals(event.path("action").asText()) && MANIFEST_TYPES.contains(target.path("mediaType").asText())
                    && !repository.isEmpty() && !tag.isEmpty() && digest.matches("sha256:[0-9a-f]{64}")) {
                out.add(new RegistryPush(repository, tag, digest));
            }
        }
        return out;
    }

    /**
     * Hands each listener the pushes under its prefix, after the OS candidates were queued; a listener that fails is
     * logged and skipped, so nothing it does changes what OS release detection sees.
     */
    private int notifyListeners(byte[] body) {
        if (listeners.isEmpty()) {
            return 0;
        }
        List<RegistryPush> pushes = pushes(body);
        int queued = 0;
        for (RegistryPushListener listener : listeners) {
            try {
                String prefix = listener.repositoryPrefix();
                List<RegistryPush> mine = pushes.stream()
                        .filter(p -> prefix != null && !prefix.isEmpty() && p.repository().startsWith(prefix)).toList();
                if (!mine.isEmpty()) {
                    queued += listener.pushed(mine);
                }
            } catch (RuntimeException e) {
                LOG.warn("Registry push listener {} failed: {}", listener.getClass().getName(), e.toString());
            }
        }
        return queued;
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            CamelContext camel = getCamelContext();
            if (camel == null || !camel.getStatus().isStarted()) {
                throw new IllegalStateException("the release routes are not started yet; the registry will retry");
            }
            synchronized (this) {
                if (producer == null) {
                    producer = camel.createProducerTemplate();
                }
                p = producer;
            }
        }
        return p;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
