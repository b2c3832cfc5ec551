package org.edgeorch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row helpers on a real Derby: a NULL column is an absent value, not a crash. */
class SqlTest {

    @TempDir
    Path dir;

    private EmbeddedDataSource ds;

    @BeforeEach
    void table() throws SQLException {
        ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        try (Connection c = ds.getConnection()) {
            Sql.update(c, "CREATE TABLE t (k VARCHAR(8) PRIMARY KEY, v VARCHAR(8))");
            Sql.update(c, "INSERT INTO t (k, v) VALUES (?, ?)", "a", "one");
            Sql.update(c, "INSERT INTO t (k, v) VALUES (?, ?)", "b", null);
        }
    }

    @Test
    void aNullColumnIsNoValue() throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertEquals("one", Sql.string(c, "SELECT v FROM t WHERE k = ?", "a"));
            assertNull(Sql.string(c, "SELECT v FROM t WHERE k = ?", "b"));
            assertNull(Sql.string(c, "SELECT v FROM t WHERE k = ?", "nobody"));
            assertTrue(Sql.one(c, "SELECT v FROM t WHERE k = ?", rs -> rs.getString(1), "b").isEmpty());
        }
    }
}
