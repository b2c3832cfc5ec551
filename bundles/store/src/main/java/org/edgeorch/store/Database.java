package org.edgeorch.store;

import javax.sql.DataSource;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A migrated, pooled database. Registered as a service only once the schema is current, so a
 * component that references it never sees a half-migrated database.
 */
@ProviderType
public interface Database {

    DatabaseKind kind();

    /** The pooled data source; prefer {@link #inTransaction(SqlWork)}. */
    DataSource dataSource();

    /** The schema version Flyway applied last, for example {@code 1}. */
    String schemaVersion();

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     *
     * @throws DataAccessException wrapping the SQL failure
     */
    <T> T inTransaction(SqlWork<T> work);
}
