package org.edgeorch.store;

/** The database refused or failed a unit of work; the transaction was rolled back. */
public class DataAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the database gave up on this unit of work because of another one it ran against (a deadlock victim, a
     * lock it waited for too long, a serialization failure: SQLState class 40 and Derby's 40XL1/40XL2): the same work
     * may succeed when tried again, unlike a refused statement.
     */
    public boolean concurrencyConflict() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }
}
