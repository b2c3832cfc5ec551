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
}
