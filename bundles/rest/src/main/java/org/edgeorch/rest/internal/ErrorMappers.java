package org.edgeorch.rest.internal;

import java.util.List;
import java.util.Locale;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.edgeorch.platform.Inputs;
import org.edgeorch.tenancy.TenancyException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** Turns every failure into the one JSON error model. */
final class ErrorMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    static List<Object> all() {
        return List.of(new Api(), new Web(), new Json(), new Tenancy(), new Unexpected());
    }

    static Response respond(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }

    static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return respond(e.error());
        }
    }

    /** JAX-RS's own failures: unknown path (404), wrong method (405), unsupported media type (415), ... */
    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            Response.StatusType type = Response.Status.fromStatusCode(status);
            String code = type == null ? "http_" + status : type.toString().toLowerCase(Locale.ROOT).replace(' ', '_');
            String message = switch (status) {
                case 404 -> "no resource at this path; see /api/v1/openapi.json for the API";
                case 405 -> "this method is not allowed here; see /api/v1/openapi.json for the API";
                case 406 -> "this resource answers with application/json only";
                case 415 -> "request bodies must be application/json";
                default -> e.getMessage() == null ? code : e.getMessage();
            };
            Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(status, code, message, List.of()));
            original.getHeaders().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Allow")) {
                    v.forEach(value -> b.header(k, value));
                }
            });
            return b.build();
        }
    }

    /** Malformed JSON, unknown fields and wrongly typed values in request bodies. */
    static final class Json implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof UnrecognizedPropertyException u) {
                return respond(new ApiError(400, "unknown_field", "field '" + u.getPropertyName() + "' is not known",
                        List.of(new ApiError.FieldError(u.getPropertyName(), "not a known field"))));
            }
            if (e instanceof MismatchedInputException m) {
                String field = field(m);
                Class<?> type = m.getTargetType();
                String expected = type == null ? "a value of another type"
                        : type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants())
                        : "a " + jsonType(type);
                String value = e instanceof InvalidFormatException f ? " has value " + Inputs.prefix(f.getValue()) + ";"
                        : m.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p && p.currentToken() != null
                        ? " has " + tokenType(p.currentToken()) + ";" : ";";
                String message = (field.isEmpty() ? "the body" : "field '" + field + "'") + value + " expected " + expected;
                return respond(new ApiError(400, "invalid_field", message,
                        field.isEmpty() ? List.of() : List.of(new ApiError.FieldError(field, message))));
            }
            String detail = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            int lineEnd = detail.indexOf('\n');
            return respond(new ApiError(400, "invalid_json", "the request body is not valid JSON: "
                    + Inputs.prefix(lineEnd < 0 ? detail : detail.substring(0, lineEnd)), List.of()));
        }

        private static String field(MismatchedInputException m) {
            StringBuilder b = new StringBuilder();
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    b.append('[').append(r.getIndex()).append(']');
                }
            }
            return b.toString();
        }

        /** The JSON name of what a Java type is read from, never the class's name. */
        static String jsonType(Class<?> type) {
            if (type == String.class || type == Character.class || type == char.class) {
                return "string";
            }
            if (type == Boolean.class || type == boolean.class) {
                return "boolean";
            }
            if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                    || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
                return "integer";
            }
            if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
                return "number";
            }
            if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
                return "array";
            }
            if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
                return "timestamp string (ISO 8601)";
            }
            if (type == java.time.Duration.class) {
                return "duration string (ISO 8601)";
            }
            return "object";
        }

        private static String tokenType(com.fasterxml.jackson.core.JsonToken token) {
            return switch (token) {
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT -> "an integer";
                case VALUE_NUMBER_FLOAT -> "a fractional number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                case START_ARRAY, END_ARRAY -> "an array";
                default -> "an object";
            };
        }
    }

    /** Refusals from the tenancy services: 401, 403, 404, 409, 429 (with Retry-After) or 400 with the field at fault. */
    static final class Tenancy implements ExceptionMapper<TenancyException> {
        @Override
        public Response toResponse(TenancyException e) {
            ApiError error = switch (e.reason()) {
                case UNAUTHENTICATED -> new ApiError(401, "unauthenticated", e.getMessage(), List.of());
                case FORBIDDEN -> new ApiError(403, "forbidden", e.getMessage(), List.of());
                case NOT_FOUND -> new ApiError(404, "not_found", e.getMessage(), List.of());
                case CONFLICT -> new ApiError(409, "conflict", e.getMessage(), List.of());
                case INVALID -> new ApiError(400, "invalid_field", e.getMessage(),
                        e.field() == null ? List.of() : List.of(new ApiError.FieldError(e.field(), e.getMessage())));
                case THROTTLED -> new ApiError(429, "too_many_requests", e.getMessage(), List.of());
            };
            Response.ResponseBuilder b = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error);
            if (error.status() == 401) {
                b.header("WWW-Authenticate", "Bearer realm=\"edgeorch\"");
            }
            if (e.retryAfter() != null) {
                b.header("Retry-After", TenancyException.seconds(e.retryAfter()));
            }
            return b.build();
        }
    }

    static final class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            if (e instanceof WebApplicationException w) {
                return new Web().toResponse(w);
            }
            if (e instanceof ApiException a) {
                return respond(a.error());
            }
            if (e instanceof TenancyException t) {
                return new Tenancy().toResponse(t);
            }
            LOG.error("Unexpected failure in a REST call", e);
            return respond(new ApiError(500, "internal_error",
                    "the orchestrator failed to answer; the log has the details", List.of()));
        }
    }
}
