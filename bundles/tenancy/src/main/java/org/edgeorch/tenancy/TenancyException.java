package org.edgeorch.tenancy;

/** A tenancy operation was refused; {@link #reason()} says how adapters should answer. */
public class TenancyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why, mapped by adapters to 401, 403, 404, 409 and 400. */
    public enum Reason { UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, INVALID }

    private final Reason reason;
    private final String field;

    public TenancyException(Reason reason, String message) {
        this(reason, null, message);
    }

    public TenancyException(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The input field at fault, for INVALID; otherwise null. */
    public String field() {
        return field;
    }
}
