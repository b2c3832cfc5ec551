package org.edgeorch.tenancy.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.edgeorch.store.DataAccessException;
import org.edgeorch.store.Database;
import org.edgeorch.store.DatabaseKind;
import org.edgeorch.store.SqlWork;
import org.flywaydb.core.Flyway;

/** A real embedded Derby database with the product's migrations, for tests without a container. */
public final class TestDatabase implements Database {

    private final EmbeddedDataSource ds = new EmbeddedDataSource();

    public TestDatabase(Path dir) {
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.DERBY;
    }

    @Override
    public DataSource dataSource() {
        return ds;
    }

    @Override
    public String schemaVersion() {
        return "test";
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException(e.getMessage(), e);
        }
    }
}
