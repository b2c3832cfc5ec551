package org.edgeorch.tenancy;

import java.util.Map;
import java.util.Set;

/**
 * An authenticated user as seen by one request: the roles are read fresh from the database for each
 * request, so a revoked role or token takes effect at once.
 *
 * @param projectRoles   roles per project id, org-admin rights already folded in
 * @param orgAdminOf     organisation ids this user administers
 * @param platformAdmin  whether the user manages organisations
 * @param sourceAddress  where the request came from, for the audit log
 */
public record Caller(String userId, String username, String orgId, String tokenId,
                     Map<String, Set<Role>> projectRoles, Set<String> orgAdminOf, boolean platformAdmin,
                     String sourceAddress) {

    public Caller {
        projectRoles = Map.copyOf(projectRoles);
        orgAdminOf = Set.copyOf(orgAdminOf);
    }

    /** Whether this caller holds {@code permission} in the project with id {@code projectId}. */
    public boolean can(String projectId, Permission permission) {
        return projectRoles.getOrDefault(projectId, Set.of()).stream()
                .anyMatch(r -> r.permissions().contains(permission));
    }

    /** Whether the caller has any role at all in the project: without one, the project does not exist for it. */
    public boolean sees(String projectId) {
        return !projectRoles.getOrDefault(projectId, Set.of()).isEmpty();
    }
}
