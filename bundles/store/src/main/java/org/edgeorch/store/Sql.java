package org.edgeorch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers for the domain bundles: parameters bound the same way on Derby and PostgreSQL
 * ({@link Instant} as TIMESTAMP, enums by name, typed NULLs), rows mapped by a function.
 */
public final class Sql {

    private Sql() {
    }

    /** Maps the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A NULL of a given {@link Types} type: Derby refuses an untyped NULL for columns that are not text. */
    public record Null(int sqlType) {
    }

    public static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
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

    /** The first row mapped; empty when there is no row or the mapper answers null for it (a NULL column). */
    public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = list(c, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** The first column of the first row as text, or null when there is no row or that column is NULL. */
    public static String string(Connection c, String sql, Object... params) throws SQLException {
        return one(c, sql, rs -> rs.getString(1), params).orElse(null);
    }

    /** The first column of each row as text. */
    public static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        return list(c, sql, rs -> rs.getString(1), params);
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(sql)) {
            bind(u, params);
            return u.executeUpdate();
        }
    }

    public static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                s.setNull(i + 1, Types.VARCHAR);
            } else if (p instanceof Null n) {
                s.setNull(i + 1, n.sqlType());
            } else if (p instanceof Instant t) {
                s.setTimestamp(i + 1, Timestamp.from(t));
            } else if (p instanceof Enum<?> e) {
                s.setString(i + 1, e.name());
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
