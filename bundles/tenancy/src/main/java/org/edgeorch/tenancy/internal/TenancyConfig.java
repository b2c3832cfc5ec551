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

    @AttributeDefinition(description = "Failed password logins per account, or per client address, before logins wait")
    int loginFreeFailures() default 5;

    @AttributeDefinition(description = "First wait after those failures, in milliseconds; doubles with each further failure")
    int loginBackoffFirstMillis() default 1000;

    @AttributeDefinition(description = "Longest wait, in seconds")
    int loginBackoffMaxSeconds() default 300;

    @AttributeDefinition(description = "Days audit events are kept")
    int auditRetentionDays() default 365;

    @AttributeDefinition(description = "OpenID Connect: issuer (iss) whose tokens are accepted; empty disables OIDC")
    String oidcIssuer() default "";

    @AttributeDefinition(description = "OpenID Connect: the issuer's JWKS URL")
    String oidcJwksUri() default "";

    @AttributeDefinition(description = "OpenID Connect: required audience (aud); empty accepts any")
    String oidcAudience() default "";

    @AttributeDefinition(description = "OpenID Connect: claim holding the user name")
    String oidcUsernameClaim() default "preferred_username";

    @AttributeDefinition(description = "OpenID Connect: organisation external users belong to (created on first use)")
    String oidcOrganization() default "";

    @AttributeDefinition(description = "OpenID Connect: claim listing project roles as \"<project>:<ROLE>\" strings")
    String oidcRolesClaim() default "edgeorch_roles";

    @AttributeDefinition(description = "OpenID Connect: the dashboard's public client (authorization code with PKCE); "
            + "empty offers no provider login on the dashboard")
    String oidcClientId() default "";

    @AttributeDefinition(description = "OpenID Connect: the scopes the dashboard asks for")
    String oidcScope() default "openid";
}
