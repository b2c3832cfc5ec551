package org.edgeorch.agent.update.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator update agent", description = "A/B OS updates on this node")
public @interface UpdateAgentConfig {

    String PID = "org.edgeorch.agent.update";

    @AttributeDefinition(description = "Folder for the journal; default ${karaf.data}/update")
    String dataDir() default "";

    @AttributeDefinition(description = "PEM file of the release signers (or their CAs) this node trusts; default"
            + " ${karaf.etc}/edgeorch-release-trust.pem. Without it nothing is installed.")
    String trustFile() default "";

    @AttributeDefinition(description = "The download starts at a random moment in this many minutes before the next window")
    int preDownloadMinutes() default 60;

    @AttributeDefinition(description = "Health checks: folder with required.d and wanted.d executables (greenboot);"
            + " default ${karaf.etc}/health-checks")
    String checksDir() default "";

    @AttributeDefinition(description = "How long the built-in checks wait for the runtime and the orchestrator, and one"
            + " check executable may run, in seconds")
    int checkTimeoutSeconds() default 120;

    @AttributeDefinition(description = "The OS version of the running slot before the first update (empty: unknown)")
    String initialVersion() default "";

    @AttributeDefinition(description = "Sync the slot and journal the position every this many MiB while writing")
    int checkpointMegabytes() default 16;
}
