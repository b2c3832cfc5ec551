package org.edgeorch.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.edgeorch.store.DataAccessException;
import org.edgeorch.store.DatabaseKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Migrations and transactions against real databases: embedded Derby always, PostgreSQL when the
 * test command started one (it exports EDGE_TEST_PG_UNIT_URL).
 */
class PooledDatabaseTest {

    /** The newest migration in src/main/resources/db/migration. */
    private static final String LATEST = latestMigration();

    private static String latestMigration() {
        try (var files = java.nio.file.Files.list(Path.of("src/main/resources/db/migration"))) {
            return String.valueOf(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max().orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TempDir
    Path dir;

    @Test
    void derbyMigratesAndKeepsDataAcrossReopen() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        exercise(DatabaseKind.DERBY, ds);
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "EDGE_TEST_PG_UNIT_URL", matches = "jdbc:postgresql:.*")
    void postgresqlMigratesAndKeepsDataAcrossReopen() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(System.getenv("EDGE_TEST_PG_UNIT_URL"));
        ds.setUser(System.getenv().getOrDefault("EDGE_TEST_PG_USER", "postgres"));
        ds.setPassword(System.getenv().getOrDefault("EDGE_TEST_PG_PASSWORD", ""));
        // Start from an empty schema so every migration really runs.
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        exercise(DatabaseKind.POSTGRESQL, ds);
    }

    private static void exercise(DatabaseKind kind, DataSource ds) {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        try (PooledDatabase db = PooledDatabase.open(kind, ds, 2)) {
            assertEquals(LATEST, db.schemaVersion());
            InstanceRegistry a = new InstanceRegistry(db, "a", "h1", "0.1.0", Clock.fixed(t0, ZoneOffset.UTC));
            InstanceRegistry old = new InstanceRegistry(db, "old", "h2", "0.1.0",
                    Clock.fixed(t0.minus(Duration.ofMinutes(5)), ZoneOffset.UTC));
            old.heartbeat();
            a.heartbeat();
            a.heartbeat();
            assertEquals(1, a.liveInstances(Duration.ofMinutes(1)));
            assertEquals(2, a.liveInstances(Duration.ofMinutes(10)));

            // A failing unit of work is rolled back as a whole and reported with its SQLState.
            DataAccessException e = assertThrows(DataAccessException.class, () -> db.inTransaction(c -> {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM orchestrator_instance")) {
                    del.executeUpdate();
                }
                try (PreparedStatement bad = c.prepareStatement("SELECT nope FROM orchestrator_instance")) {
                    return bad.executeQuery();
                }
            }));
            assertEquals(true, e.getMessage().contains("SQLState"));
            assertEquals(2, count(db));
        }
        try (PooledDatabase again = PooledDatabase.open(kind, ds, 2)) {
            assertEquals(LATEST, again.schemaVersion());
            assertEquals(2, count(again));
        }
    }

    private static int count(PooledDatabase db) {
        return db.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM orchestrator_instance");
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
