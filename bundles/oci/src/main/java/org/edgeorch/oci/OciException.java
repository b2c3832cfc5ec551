package org.edgeorch.oci;

/**
 * A registry refused a request, answered something this client cannot accept (a digest that does not
 * match, a body over its limit, a redirect loop), or could not be reached. Unchecked: callers such as
 * Camel routes handle it where they handle every other failure of an exchange.
 *
 * <p>{@link #status()} is the HTTP status, or 0 when there was no usable answer (connection refused,
 * timeout, interrupted). {@link #code()} and {@link #registryMessage()} come from the first entry of the
 * registry's error body ({@code {"errors":[{"code":"NAME_UNKNOWN","message":"…"}]}}); they are empty when
 * the registry sent none, as with every answer to a HEAD request.
 */
public class OciException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String registryMessage;

    public OciException(String message, int status, String code, String registryMessage, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code == null ? "" : code;
        this.registryMessage = registryMessage == null ? "" : registryMessage;
    }

    public OciException(String message, int status, String code, String registryMessage) {
        this(message, status, code, registryMessage, null);
    }

    public OciException(String message, Throwable cause) {
        this(message, 0, null, null, cause);
    }

    public OciException(String message) {
        this(message, 0, null, null, null);
    }

    /** The HTTP status, 0 when the registry gave no usable answer. */
    public int status() {
        return status;
    }

    /** The registry's error code, for example {@code MANIFEST_UNKNOWN}; empty when it sent none. */
    public String code() {
        return code;
    }

    /** The registry's error message; empty when it sent none. */
    public String registryMessage() {
        return registryMessage;
    }
}
