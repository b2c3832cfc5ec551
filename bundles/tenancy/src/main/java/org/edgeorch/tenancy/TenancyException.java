package org.edgeorch.tenancy;

/** A tenancy operation was refused; {@link #reason()} says how adapters should answer. */
public class TenancyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Why, mapped by adapters to 401, 403, 404, 409, 400 and, for THROTTLED (too many failed logins; see
     * {@link #retryAfter()}), 429.
     */
    public enum Reason { UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, INVALID, THROTTLED }

    private final Reason reason;
    private final String field;
    private final java.time.Duration retryAfter;

    public TenancyException(Reason reason, String message) {
        this(reason, null, message);
    }

    public TenancyException(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
        this.retryAfter = null;
    }

    /** A THROTTLED refusal: the login may be tried again after {@code retryAfter}. */
    public static TenancyException throttled(java.time.Duration retryAfter) {
        return new TenancyException(retryAfter);
    }

    private TenancyException(java.time.Duration retryAfter) {
        super("too many failed logins; try again in " + seconds(retryAfter) + " s");
        this.reason = Reason.THROTTLED;
        this.field = null;
        this.retryAfter = retryAfter;
    }

    /** For THROTTLED, how long until the next login attempt is considered; otherwise null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up (what a Retry-After header says). */
    public static long seconds(java.time.Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    public Reason reason() {
        return reason;
    }

    /** The input field at fault, for INVALID; otherwise null. */
    public String field() {
        return field;
    }
}
