package org.edgeorch.tenancy.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.edgeorch.tenancy.Model.Organization;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.User;

/** Row mapping and small queries shared by the tenancy services. */
final class Rows {

    private Rows() {
    }

    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> list(Connection c, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, params);
            try (ResultSet rs = q.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = list(c, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(sql)) {
            bind(u, params);
            return u.executeUpdate();
        }
    }

    static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                s.setTimestamp(i + 1, Timestamp.from(t));
            } else if (p instanceof Enum<?> e) {
                s.setString(i + 1, e.name());
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Organization organization(ResultSet rs) throws SQLException {
        return new Organization(rs.getString("id"), rs.getString("name"), rs.getString("display_name"),
                instant(rs, "created_at"));
    }

    static Project project(ResultSet rs) throws SQLException {
        return new Project(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
                rs.getString("display_name"), instant(rs, "created_at"));
    }

    static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("org_id"), rs.getString("username"),
                rs.getString("display_name"), rs.getBoolean("enabled"), instant(rs, "created_at"));
    }

    static final String ORG = "SELECT id, name, display_name, created_at FROM organization";
    static final String PROJECT = "SELECT id, org_id, name, display_name, created_at FROM project";
    static final String USER = "SELECT id, org_id, username, display_name, enabled, created_at FROM app_user";
}
