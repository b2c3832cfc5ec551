package org.edgeorch.apps.internal;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.edgeorch.release.RegistryPushListener;
import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.store.LeaderLeases;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application routes, shaped as the release routes and joined to the orchestrator's CamelContext by whiteboard:
 * <ul>
 * <li>{@code app-verify}: {@code seda:app-candidates} → check one tag ({@link AppDetection#process}); one consumer;</li>
 * <li>{@code app-poll}: a timer, run only by the leader of the lease {@value #POLL_JOB}, that pages through the
 * registry's application repositories and queues every tag not seen yet: the webhook's fallback.</li>
 * </ul>
 * The registry's notifications reach {@link #pushed} through the release webhook ({@link RegistryPushListener}), which
 * hands over only the pushes under this prefix, after the OS release candidates.
 */
@Component(service = {RoutesBuilder.class, RegistryPushListener.class}, configurationPid = AppsConfig.PID)
public class AppRoutes extends RouteBuilder implements RegistryPushListener {

    private static final Logger LOG = LoggerFactory.getLogger(AppRoutes.class);
    static final String POLL_JOB = "app-poll";
    static final String QUEUE = "seda:app-candidates?size=10000";

    private final AppDetection detection;
    private final int pollIntervalSeconds;
    private final BooleanSupplier pollLeader;
    private volatile ProducerTemplate producer;

    @Activate
    public AppRoutes(@Reference AppDetection detection, @Reference LeaderLeases leases, AppsConfig config) {
        this(detection, config.pollIntervalSeconds(), () -> leases.isLeader(POLL_JOB));
    }

    AppRoutes(AppDetection detection, int pollIntervalSeconds, BooleanSupplier pollLeader) {
        if (pollIntervalSeconds < 0) {
            throw new IllegalArgumentException("pollIntervalSeconds must be 0 (off) or more");
        }
        this.detection = detection;
        this.pollIntervalSeconds = pollIntervalSeconds;
        this.pollLeader = pollLeader;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .process(e -> LOG.warn("Application route {} failed: {}", e.getFromRouteId(),
                        e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).toString()));

        from(QUEUE).routeId("app-verify")
                .process(e -> detection.process(e.getIn().getBody(AppCandidate.class)));

        if (pollIntervalSeconds > 0) {
            from("timer:app-poll?delay=2000&period=" + pollIntervalSeconds * 1000L).routeId(POLL_JOB)
                    .filter(e -> pollLeader.getAsBoolean())
                    .process(e -> e.getIn().setBody(detection.pollCandidates()))
                    .split(body())
                    .to(QUEUE);
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        ProducerTemplate p = producer;
        if (p != null) {
            p.stop();
        }
    }

    @Override
    public String repositoryPrefix() {
        return detection.repositoryPrefix();
    }

    @Override
    public int pushed(List<RegistryPush> pushes) {
        ProducerTemplate template = producer();
        for (RegistryPush push : pushes) {
            template.sendBody(QUEUE, new AppCandidate(push.repository(), push.tag(), push.digest(), DetectionSource.WEBHOOK));
        }
        LOG.debug("{} application version candidate(s) queued from a registry notification", pushes.size());
        return pushes.size();
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            CamelContext camel = getCamelContext();
            if (camel == null || !camel.getStatus().isStarted()) {
                throw new IllegalStateException("the application routes are not started yet; the poll finds the version");
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
}
