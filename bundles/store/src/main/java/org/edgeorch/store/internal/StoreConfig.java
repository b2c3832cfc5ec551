package org.edgeorch.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator store", description = "Which database the orchestrator uses")
public @interface StoreConfig {

    @AttributeDefinition(description = "derby (embedded, the default) or postgresql")
    String type() default "derby";

    @AttributeDefinition(description = "Derby: database folder; empty means ${karaf.data}/edgeorch/derby")
    String derbyDirectory() default "";

    @AttributeDefinition(description = "PostgreSQL: JDBC URL, for example jdbc:postgresql://127.0.0.1:5432/edgeorch")
    String url() default "";

    @AttributeDefinition(description = "PostgreSQL: user")
    String user() default "";

    @AttributeDefinition(description = "PostgreSQL: password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(description = "Largest number of pooled connections")
    int maxPoolSize() default 10;

    @AttributeDefinition(description = "Seconds between this orchestrator's heartbeats in the instance table")
    int heartbeatSeconds() default 15;

    @AttributeDefinition(description = "Seconds a singleton job's leader lease lasts without renewal (renewed every"
            + " third of it); a killed leader is replaced within 4/3 of it. Fractions allowed, at least 0.3")
    double leaseSeconds() default 15;
}
