package org.edgeorch.rest.internal;

import java.util.List;
import java.util.Locale;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.edgeorch.tenancy.TenancyException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
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
            if (e instanceof InvalidFormatException f && !f.getPath().isEmpty()) {
                String field = f.getPath().get(f.getPath().size() - 1).getFieldName();
                Class<?> type = f.getTargetType();
                String expected = type != null && type.isEnum()
                        ? "one of " + java.util.Arrays.toString(type.getEnumConstants())
                        : type == null ? "another value" : "a " + type.getSimpleName();
                String message = "field '" + field + "' has value " + f.getValue() + "; expected " + expected;
                return respond(new ApiError(400, "invalid_field", message, List.of(new ApiError.FieldError(field, message))));
            }
            return respond(new ApiError(400, "invalid_json", "the request body is not valid JSON: "
                    + e.getOriginalMessage(), List.of()));
        }
    }

    /** Refusals from the tenancy services: 401, 403, 404, 409 or 400 with the field at fault. */
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
            };
            Response.ResponseBuilder b = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error);
            if (error.status() == 401) {
                b.header("WWW-Authenticate", "Bearer realm=\"edgeorch\"");
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
