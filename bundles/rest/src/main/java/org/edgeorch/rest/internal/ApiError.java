package org.edgeorch.rest.internal;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The one body every failed request gets.
 *
 * @param status  the HTTP status, repeated for clients that only see the body
 * @param code    a stable machine-readable code such as {@code not_found} or {@code invalid_parameter}
 * @param message what was wrong and what to do, for a person
 * @param fields  per-field problems, empty when the request as a whole was wrong
 */
@Schema(name = "Error", description = "Error returned by every failing endpoint")
public record ApiError(int status, String code, String message, List<FieldError> fields) {

    /** No message echoes a long input whole: past this it is cut, whatever built it. */
    static final int MAX_MESSAGE = 1000;

    public ApiError {
        fields = fields == null ? List.of() : List.copyOf(fields);
        message = message != null && message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
    }

    /** A problem with one input (a query parameter, a path segment or a body field). */
    @Schema(name = "FieldError")
    public record FieldError(String field, String message) {
    }
}
