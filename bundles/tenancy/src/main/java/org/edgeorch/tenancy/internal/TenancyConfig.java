package org.edgeorch.tenancy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator tenancy", description = "Accounts, tokens and the audit log")
public @interface TenancyConfig {

    @AttributeDefinition(description = "Organisation created on first start")
    String initialOrganization() default "default";

    @AttributeDefinition(description = "Administrator created on first start")
    String initialAdmin() default "admin";

    @AttributeDefinition(description = "Its password; empty means generate one and show it once", type = AttributeType.PASSWORD)
    String initialAdminPassword() default "";

    @AttributeDefinition(description = "Lifetime of tokens issued by login, in minutes")
    int loginTokenMinutes() default 720;

    @AttributeDefinition(description = "Days audit events are kept")
    int auditRetentionDays() default 365;
}
