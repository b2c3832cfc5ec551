package org.edgeorch.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.Role;
import org.junit.jupiter.api.Test;

import static org.edgeorch.tenancy.Permission.AUDIT_READ;
import static org.edgeorch.tenancy.Permission.CONFIG_WRITE;
import static org.edgeorch.tenancy.Permission.HOST_REGISTER;
import static org.edgeorch.tenancy.Permission.HOST_WRITE;
import static org.edgeorch.tenancy.Permission.MEMBERS_MANAGE;
import static org.edgeorch.tenancy.Permission.OPERATE;
import static org.edgeorch.tenancy.Permission.PROJECT_READ;

/** The permission matrix documented in docs/permissions.md, cell by cell. */
class RoleMatrixTest {

    private static final Map<Role, Set<Permission>> DOCUMENTED = Map.of(
            Role.PLATFORM_ADMIN, Set.of(),
            Role.ORG_ADMIN, EnumSet.allOf(Permission.class),
            Role.PROJECT_ADMIN, EnumSet.allOf(Permission.class),
            Role.EDGE_MANAGER, EnumSet.of(PROJECT_READ, AUDIT_READ, HOST_REGISTER, HOST_WRITE, CONFIG_WRITE, OPERATE),
            Role.EDGE_OPERATOR, EnumSet.of(PROJECT_READ, OPERATE),
            Role.HOST_MANAGER, EnumSet.of(PROJECT_READ, HOST_REGISTER, HOST_WRITE),
            Role.ONBOARDING, EnumSet.of(PROJECT_READ, HOST_REGISTER),
            Role.VIEWER, EnumSet.of(PROJECT_READ));

    @Test
    void everyRoleHasExactlyTheDocumentedPermissions() {
        for (Role role : Role.values()) {
            assertEquals(DOCUMENTED.get(role), role.permissions(), role.name());
        }
    }

    @Test
    void onlyAdministratorsManageMembers() {
        for (Role role : Role.values()) {
            boolean admin = role == Role.ORG_ADMIN || role == Role.PROJECT_ADMIN;
            assertEquals(admin, role.permissions().contains(MEMBERS_MANAGE), role.name());
        }
    }
}
