package org.edgeorch.apps.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator applications",
        description = "Where the key that encrypts applications' secret parameter values is kept")
public @interface AppsConfig {

    String PID = "org.edgeorch.apps";

    @AttributeDefinition(description = "File holding the 256-bit AES key for secret values (made, owner-only, when"
            + " missing); empty: edgeorch/apps-secret.key under the Karaf data folder. Several orchestrators on one"
            + " database must share the same key file. Never in the database.")
    String secretKeyFile() default "";
}
