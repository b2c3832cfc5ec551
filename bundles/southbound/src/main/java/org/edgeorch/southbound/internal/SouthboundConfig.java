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

    @AttributeDefinition(description = "Largest request body in bytes")
    int maxBodyBytes() default 1_048_576;
}
