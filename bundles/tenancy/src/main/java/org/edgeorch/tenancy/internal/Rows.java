package org.edgeorch.tenancy.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.Model.Organization;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.User;

/** Row mapping of the tenancy tables; queries go through the store's {@link Sql}. */
final class Rows {

    private Rows() {
    }

    static Organization organization(ResultSet rs) throws SQLException {
        return new Organization(rs.getString("id"), rs.getString("name"), rs.getString("display_name"),
                Sql.instant(rs, "created_at"));
    }

    static Project project(ResultSet rs) throws SQLException {
        return new Project(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
                rs.getString("display_name"), Sql.instant(rs, "created_at"));
    }

    static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("org_id"), rs.getString("username"),
                rs.getString("display_name"), rs.getBoolean("enabled"), Sql.instant(rs, "created_at"));
    }

    static final String ORG = "SELECT id, name, display_name, created_at FROM organization";
    static final String PROJECT = "SELECT id, org_id, name, display_name, created_at FROM project";
    static final String USER = "SELECT id, org_id, username, display_name, enabled, created_at FROM app_user";
}
