package org.edgeorch.southbound.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator southbound", description = "The agent API over HTTPS with mutual TLS")
public @interface SouthboundConfig {

    String PID = "org.edgeorch.southbound";

    @AttributeDefinition(description = "Address to listen on")
    String host() default "0.0.0.0";

    @AttributeDefinition(description = "HTTPS port")
    int port() default 8443;

    @AttributeDefinition(description = "Names and addresses nodes use to reach this orchestrator, comma separated;"
            + " they go into its TLS certificate. Empty: localhost, 127.0.0.1 and this machine's host name")
    String serverNames() default "";

    @AttributeDefinition(description = "Most requests served at once")
    int maxThreads() default 64;

    @AttributeDefinition(description = "Seconds an idle connection is kept open. Above the sync interval every host keeps"
            + " one connection (and one file descriptor) open; below it every sync pays a TLS handshake")
    int idleTimeoutSeconds() default 60;

    @AttributeDefinition(description = "Seconds a request's header block may take from its first byte to its last;"
            + " a connection trickling its headers longer is closed. 0: no limit but the idle timeout")
    int headerTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Slowest a request body may arrive, in bytes per second averaged from its first"
            + " byte; a slower body is refused with 408. 0: no limit but the idle timeout")
    long minRequestBytesPerSecond() default 256;

    @AttributeDefinition(description = "Connections one client address may hold open at once; more are closed as they"
            + " are accepted. Hosts behind one NAT address share it (each keeps one connection). 0: no limit")
    int maxConnectionsPerAddress() default 1024;

    @AttributeDefinition(description = "Requests one client address may have in progress at once; more are answered"
            + " 429. Keep it below maxThreads so that one address cannot take every thread. 0: no limit")
    int maxRequestsPerAddress() default 24;

    @AttributeDefinition(description = "Largest request body in bytes")
    int maxBodyBytes() default 1_048_576;
}
