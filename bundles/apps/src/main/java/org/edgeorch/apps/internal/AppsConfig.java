package org.edgeorch.apps.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator applications",
        description = "Where the key that encrypts applications' secret parameter values is kept, and how versions"
                + " published to the release service are found")
public @interface AppsConfig {

    String PID = "org.edgeorch.apps";

    @AttributeDefinition(description = "File holding the 256-bit AES key for secret values (made, owner-only, when"
            + " missing); empty: edgeorch/apps-secret.key under the Karaf data folder. Several orchestrators on one"
            + " database must share the same key file. Never in the database.")
    String secretKeyFile() default "";

    @AttributeDefinition(description = "Repositories of the release service under this prefix hold application versions,"
            + " as <prefix><project>/<application>")
    String repositoryPrefix() default "apps/";

    @AttributeDefinition(description = "Seconds between polls of the release service for new application versions (the"
            + " webhook's fallback); 0 turns polling off")
    int pollIntervalSeconds() default 60;

    @AttributeDefinition(description = "Page size for listing the registry's repositories and tags")
    int pageSize() default 100;
}
