package org.edgeorch.observability.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.edgeorch.observability.cfg}. */
@ObjectClassDefinition(name = "Edge Orchestrator observability")
public @interface ObservabilityConfig {

    String PID = "org.edgeorch.observability";

    @AttributeDefinition(description = "Days the event journal keeps events (1 to 3650)")
    int eventRetentionDays() default 30;

    @AttributeDefinition(description = "How often live streams look for new events in the journal, in milliseconds"
            + " (50 to 10000); events written by other orchestrators on the same database arrive the same way")
    long eventPollMillis() default 500;

    @AttributeDefinition(description = "Live event streams this orchestrator serves at once (each holds a connection)")
    int maxEventStreams() default 200;

    @AttributeDefinition(description = "SHA-256 (hex) of the token Prometheus sends as a bearer to scrape /metrics;"
            + " empty: /metrics answers 401 to everyone. Make one with: openssl rand -hex 32 | tee token | tr -d '\\n' | sha256sum")
    String scrapeTokenSha256() default "";

    @AttributeDefinition(description = "Seconds the fleet's counts on /metrics are reused between scrapes (0 to 300)")
    int fleetCacheSeconds() default 5;

    @AttributeDefinition(description = "Seconds a rendered /metrics page (and a project's per-host page) is served again to"
            + " the scrapes that follow (0 to 60; 0: rendered for every scrape)")
    int expositionCacheSeconds() default 5;

    @AttributeDefinition(description = "Serve per-host series at /metrics/projects/{project}/hosts to an API token with"
            + " read access to the project (opt-in: a series per host)")
    boolean perHostMetrics() default false;

    @AttributeDefinition(description = "Hours raw telemetry samples are kept before they are compacted into 5-minute"
            + " min/avg/max (1 to 744)")
    int rawRetentionHours() default 24;

    @AttributeDefinition(description = "Days the 5-minute telemetry is kept (1 to 3650)")
    int rollupRetentionDays() default 30;
}
