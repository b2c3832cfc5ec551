package org.edgeorch.release.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator release service",
        description = "The OCI registry releases are published to, how they are detected, and the image cache")
public @interface ReleaseConfig {

    String PID = "org.edgeorch.release";

    @AttributeDefinition(description = "Base URL of the release service (an OCI distribution registry); empty: none")
    String registryUrl() default "";

    @AttributeDefinition(required = false, description = "User name for the registry, if it needs one")
    String registryUser() default "";

    @AttributeDefinition(required = false, type = AttributeType.PASSWORD, description = "Password for the registry")
    String registryPassword() default "";

    @AttributeDefinition(description = "Only repositories under this prefix hold releases (repository = prefix + profile)")
    String repositoryPrefix() default "os/";

    @AttributeDefinition(description = "Seconds between polls of the registry (the webhook's fallback); 0 turns polling off")
    int pollIntervalSeconds() default 60;

    @AttributeDefinition(description = "Page size for listing the registry's repositories and tags")
    int pageSize() default 100;

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Bearer token the registry's notifications must carry; empty refuses every notification")
    String webhookToken() default "";

    @AttributeDefinition(description = "Image cache folder; empty: release-cache under the Karaf data folder")
    String cacheDir() default "";

    @AttributeDefinition(description = "Image cache size limit in MiB; least recently used images are evicted")
    long cacheMaxMegabytes() default 20480;

    @AttributeDefinition(description = "Fetch every new release's image at detection and check its SHA-256")
    boolean verifyImages() default true;

    @AttributeDefinition(required = false,
            description = "Registry URL nodes use to download images directly; empty: the registryUrl")
    String registryPublicUrl() default "";
}
