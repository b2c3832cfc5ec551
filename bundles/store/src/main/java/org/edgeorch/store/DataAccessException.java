package org.edgeorch.store;

/** The database refused or failed a unit of work; the transaction was rolled back. */
public class DataAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
