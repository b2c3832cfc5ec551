package org.edgeorch.fleet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator fleet", description = "Onboarding, host certificates and liveness")
public @interface FleetConfig {

    String PID = "org.edgeorch.fleet";

    @AttributeDefinition(description = "How often agents sync, in seconds; a host that misses three goes NO_CONNECTION")
    int syncIntervalSeconds() default 30;

    @AttributeDefinition(description = "Validity of host certificates (ISO-8601 duration); agents renew after two thirds")
    String hostCertificateValidity() default "P30D";

    @AttributeDefinition(description = "Validity of the host certificate authority created at first start (ISO-8601)")
    String authorityValidity() default "P3650D";
}
