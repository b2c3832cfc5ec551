package org.edgeorch.runtime.container.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator container runtime", description = "Applications as Podman containers")
public @interface ContainerRuntimeConfig {

    String PID = "org.edgeorch.runtime.container";

    @AttributeDefinition(description = "The podman executable")
    String podman() default "podman";

    @AttributeDefinition(description = "Global podman options this host needs, separated by spaces (for example"
            + " --runtime runc --cgroup-manager cgroupfs)")
    String globalOptions() default "";

    @AttributeDefinition(description = "A containers.conf for podman (CONTAINERS_CONF); empty: podman's own")
    String containersConf() default "";

    @AttributeDefinition(description = "Seconds a container may take to stop before it is killed")
    int stopTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Seconds one podman call (an image pull included) may take")
    int callTimeoutSeconds() default 600;

    @AttributeDefinition(description = "Seconds a new version's container must keep running (and pass its health check,"
            + " if its image has one) before the old version is dropped; otherwise the old version runs again (ROLLED_BACK)")
    int healthSeconds() default 10;

    @AttributeDefinition(description = "Seconds before a version that was rolled back is tried again")
    int retrySeconds() default 600;

    @AttributeDefinition(description = "Folder for the short-lived env files; default ${karaf.data}/apps/container")
    String workDir() default "";
}
