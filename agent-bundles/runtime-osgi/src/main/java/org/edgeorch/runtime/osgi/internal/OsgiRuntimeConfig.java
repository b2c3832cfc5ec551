package org.edgeorch.runtime.osgi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator OSGi runtime", description = "Applications as bundles in the node's framework")
public @interface OsgiRuntimeConfig {

    String PID = "org.edgeorch.runtime.osgi";

    @AttributeDefinition(description = "Seconds one registry call (a bundle's download included) may take")
    int callTimeoutSeconds() default 600;

    @AttributeDefinition(description = "Seconds before a version that was rolled back (its bundles did not start) is tried again")
    int retrySeconds() default 600;

    @AttributeDefinition(description = "Folder for the fetched bundles, by digest; default ${karaf.data}/apps/osgi")
    String storeDir() default "";
}
