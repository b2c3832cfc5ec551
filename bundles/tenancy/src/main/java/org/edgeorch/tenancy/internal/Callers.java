package org.edgeorch.tenancy.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;

/** Builds a {@link Caller} from the user's role bindings, direct and through groups. */
final class Callers {

    private Callers() {
    }

    static Caller load(Connection c, String userId, String username, String orgId, String tokenId, String source)
            throws SQLException {
        Map<String, Set<Role>> projectRoles = new HashMap<>();
        Set<String> orgAdminOf = new HashSet<>();
        boolean platformAdmin = false;
        try (PreparedStatement q = c.prepareStatement("SELECT scope_type, scope_id, role FROM role_binding"
                + " WHERE (subject_type = 'USER' AND subject_id = ?)"
                + " OR (subject_type = 'GROUP' AND subject_id IN (SELECT group_id FROM group_member WHERE user_id = ?))")) {
            q.setString(1, userId);
            q.setString(2, userId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Role role = Role.valueOf(rs.getString(3));
                    switch (Role.Scope.valueOf(rs.getString(1))) {
                        case PLATFORM -> platformAdmin |= role == Role.PLATFORM_ADMIN;
                        case ORGANIZATION -> {
                            if (role == Role.ORG_ADMIN) {
                                orgAdminOf.add(rs.getString(2));
                            }
                        }
                        case PROJECT -> projectRoles.computeIfAbsent(rs.getString(2), k -> EnumSet.noneOf(Role.class)).add(role);
                    }
                }
            }
        }
        for (String org : orgAdminOf) {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM project WHERE org_id = ?")) {
                q.setString(1, org);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        projectRoles.computeIfAbsent(rs.getString(1), k -> EnumSet.noneOf(Role.class)).add(Role.ORG_ADMIN);
                    }
                }
            }
        }
        return new Caller(userId, username, orgId, tokenId, projectRoles, orgAdminOf, platformAdmin, source);
    }
}
