package org.edgeorch.store;

/** The database products the orchestrator runs on. */
public enum DatabaseKind {
    /** Embedded Apache Derby in the runtime's data folder: one orchestrator, no setup. */
    DERBY("org.apache.derby.jdbc.EmbeddedDriver"),
    /** PostgreSQL: several orchestrators share one database. */
    POSTGRESQL("org.postgresql.Driver");

    private final String driverClass;

    DatabaseKind(String driverClass) {
        this.driverClass = driverClass;
    }

    /** The {@code osgi.jdbc.driver.class} of the DataSourceFactory service serving this kind. */
    public String driverClass() {
        return driverClass;
    }
}
