package org.edgeorch.tenancy;

import java.util.EnumSet;
import java.util.Set;

/**
 * Roles and the permissions they carry inside a project. {@link #ORG_ADMIN} is granted on an
 * organisation and applies to each of its projects; {@link #PLATFORM_ADMIN} manages organisations only
 * and sees no project content unless also granted a project role.
 */
public enum Role {
    PLATFORM_ADMIN(Scope.PLATFORM),
    ORG_ADMIN(Scope.ORGANIZATION, Permission.values()),
    PROJECT_ADMIN(Scope.PROJECT, Permission.values()),
    EDGE_MANAGER(Scope.PROJECT, Permission.PROJECT_READ, Permission.AUDIT_READ, Permission.HOST_REGISTER,
            Permission.HOST_WRITE, Permission.CONFIG_WRITE, Permission.OPERATE),
    EDGE_OPERATOR(Scope.PROJECT, Permission.PROJECT_READ, Permission.OPERATE),
    HOST_MANAGER(Scope.PROJECT, Permission.PROJECT_READ, Permission.HOST_REGISTER, Permission.HOST_WRITE),
    ONBOARDING(Scope.PROJECT, Permission.PROJECT_READ, Permission.HOST_REGISTER),
    VIEWER(Scope.PROJECT, Permission.PROJECT_READ);

    /** Where a role is granted. */
    public enum Scope { PLATFORM, ORGANIZATION, PROJECT }

    private final Scope scope;
    private final Set<Permission> permissions;

    Role(Scope scope, Permission... permissions) {
        this.scope = scope;
        this.permissions = permissions.length == 0 ? Set.of() : Set.copyOf(EnumSet.of(permissions[0], permissions));
    }

    public Scope scope() {
        return scope;
    }

    public Set<Permission> permissions() {
        return permissions;
    }
}
