package org.edgeorch.observability.internal.alert;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.edgeorch.alerts.cfg}. */
@ObjectClassDefinition(name = "Edge Orchestrator alerts")
public @interface AlertConfig {

    String PID = "org.edgeorch.alerts";

    @AttributeDefinition(description = "Seconds between evaluations of the event rules (host status, update runs,"
            + " rollouts, applications, certificates, releases), 1 to 300; one orchestrator evaluates (lease alert-evaluate)")
    int evaluationSeconds() default 2;

    @AttributeDefinition(description = "Seconds between evaluations of the metric rules over the telemetry history"
            + " (1 to 600)")
    int metricEvaluationSeconds() default 15;

    @AttributeDefinition(description = "Days resolved alerts are kept (1 to 3650)")
    int resolvedRetentionDays() default 30;

    @AttributeDefinition(description = "The key that seals receivers' secrets (HMAC keys, SMTP passwords), made on first"
            + " use when missing; empty: edgeorch/alerts-secret.key under the Karaf data folder. Several orchestrators on"
            + " one database must share the same key file. Never in the database.")
    String secretKeyFile() default "";
}
