package org.edgeorch.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator agent", description = "How this node reaches and enrols with its orchestrator")
public @interface AgentConfig {

    String PID = "org.edgeorch.agent";

    @AttributeDefinition(description = "Southbound URL of the orchestrator, e.g. https://orchestrator.example:8443; empty: the agent stays idle")
    String orchestratorUrl() default "";

    @AttributeDefinition(description = "Enrolment token; empty for auto-onboard (the host was pre-registered with auto-onboard)")
    String enrolmentToken() default "";

    @AttributeDefinition(description = "SHA-256 fingerprint of the orchestrator's host authority, pinned at enrolment")
    String caFingerprint() default "";

    @AttributeDefinition(description = "Folder for the key, certificates, state and unsent reports (owner-only); default ${karaf.data}/agent")
    String dataDir() default "";

    @AttributeDefinition(description = "Id of the hardware plugin to report; empty: the highest ranked")
    String hardwarePlugin() default "";

    @AttributeDefinition(description = "Longest wait between failed attempts, in seconds")
    int maxBackoffSeconds() default 300;

    @AttributeDefinition(description = "Longest one exchange with the orchestrator (enrol, renew, sync) may take, answer included,"
            + " before it is abandoned and retried with back-off, in seconds")
    int callDeadlineSeconds() default 60;

    @AttributeDefinition(description = "What carries out OS updates: empty for the A/B update agent when its bundle runs (otherwise none: the agent reports no OS version),"
            + " or 'simulated' (real download and digest check, install only inside windows; slot write, reboot and"
            + " health check simulated) for hosts without an A/B disk, tests and demos")
    String updater() default "";

    @AttributeDefinition(description = "With the simulated updater: the OS version the host runs before its first update")
    String simulatedOsVersion() default "1.0.0";

    @AttributeDefinition(description = "With the simulated updater: versions that fail their health check (comma-separated)")
    String simulatedUnhealthyVersions() default "";
}
