package org.edgeorch.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.edgeorch.store.DataAccessException;
import org.edgeorch.store.Database;
import org.edgeorch.store.DatabaseKind;
import org.edgeorch.store.SqlWork;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** A HikariCP pool over a driver's data source, migrated by Flyway when opened. */
final class PooledDatabase implements Database, AutoCloseable {

    private final DatabaseKind kind;
    private final HikariDataSource pool;
    private final String schemaVersion;

    private PooledDatabase(DatabaseKind kind, HikariDataSource pool, String schemaVersion) {
        this.kind = kind;
        this.pool = pool;
        this.schemaVersion = schemaVersion;
    }

    /** Opens the pool and brings the schema up to date; closes the pool again if migration fails. */
    static PooledDatabase open(DatabaseKind kind, DataSource driverDataSource, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(driverDataSource);
        config.setPoolName("edgeorch-" + kind.name().toLowerCase());
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setAutoCommit(false);
        config.setInitializationFailTimeout(-1); // a database still starting is not fatal; migrate() retries below
        HikariDataSource pool = new HikariDataSource(config);
        try {
            MigrateResult result = Flyway.configure(PooledDatabase.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .connectRetries(10)
                    .load()
                    .migrate();
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                    : result.initialSchemaVersion;
            return new PooledDatabase(kind, pool, version);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public DatabaseKind kind() {
        return kind;
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public String schemaVersion() {
        return schemaVersion;
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException("database work failed: " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Product name and version as the driver reports them. */
    String product() {
        return inTransaction(c -> c.getMetaData().getDatabaseProductName() + " "
                + c.getMetaData().getDatabaseProductVersion());
    }

    @Override
    public void close() {
        pool.close();
    }
}
