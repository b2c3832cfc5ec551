package org.edgeorch.agent.apps.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator app agent", description = "Applications on this node")
public @interface AppAgentConfig {

    String PID = "org.edgeorch.agent.apps";

    @AttributeDefinition(description = "PEM file of the release signers (or their CAs) this node trusts; default"
            + " ${karaf.etc}/edgeorch-release-trust.pem (the update agent's). Without it no application is installed.")
    String trustFile() default "";

    @AttributeDefinition(description = "Converge this often without news from the orchestrator (restarts a unit that"
            + " stopped, retries one that failed), in seconds")
    int resyncSeconds() default 30;
}
