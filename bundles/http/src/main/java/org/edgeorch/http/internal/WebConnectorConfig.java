package org.edgeorch.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator web connector", description = "Limits on slow and greedy clients of"
        + " the web container's port (REST, SOAP, dashboard)")
public @interface WebConnectorConfig {

    String PID = "org.edgeorch.http";

    @AttributeDefinition(description = "Seconds a connection may send nothing, between requests and within a body")
    int idleTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Seconds a request's header block may take from its first byte to its last;"
            + " a connection trickling its headers longer is closed. 0: no limit but the idle timeout")
    int headerTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Slowest a request body may arrive, in bytes per second averaged from its first"
            + " byte; a slower body is refused with 408. 0: no limit but the idle timeout")
    long minRequestBytesPerSecond() default 256;

    @AttributeDefinition(description = "Connections one client address may hold open at once; more are closed as they"
            + " are accepted. Behind a reverse proxy every client has the proxy's address: raise it or use 0 (no limit)")
    int maxConnectionsPerAddress() default 128;

    @AttributeDefinition(description = "Requests one client address may have in progress at once (an event stream"
            + " counts while it is open); more are answered 429. Keep it well below the web container's threads"
            + " (org.ops4j.pax.web.server.maxThreads). 0: no limit")
    int maxRequestsPerAddress() default 32;
}
