package org.edgeorch.fleet;

/**
 * A southbound refusal: the HTTP status to answer with, a stable code for programs and a message for people.
 */
public class SouthboundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public SouthboundException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
