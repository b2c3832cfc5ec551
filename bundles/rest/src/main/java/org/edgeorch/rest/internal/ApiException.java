package org.edgeorch.rest.internal;

import java.util.List;

import javax.ws.rs.core.Response;

/** Thrown by resources to answer with an {@link ApiError}. */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    public ApiException(Response.Status status, String code, String message, List<ApiError.FieldError> fields) {
        super(message);
        this.error = new ApiError(status.getStatusCode(), code, message, fields);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(Response.Status.NOT_FOUND, "not_found", what + " '" + id + "' does not exist", List.of());
    }

    public static ApiException badParameter(String field, String message) {
        return new ApiException(Response.Status.BAD_REQUEST, "invalid_parameter",
                "parameter '" + field + "' is invalid: " + message,
                List.of(new ApiError.FieldError(field, message)));
    }

    public ApiError error() {
        return error;
    }
}
