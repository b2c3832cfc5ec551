package org.edgeorch.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.edgeorch.platform.Inputs;

/**
 * Jetty's own answers, given before or outside any servlet (a request line or URI that is not well formed HTTP, a
 * URI or header block over the limit, a path no servlet serves, a body sent too slowly), in the product's JSON error
 * body instead of Jetty's HTML page, for every method. The message says what was wrong in the product's words; what
 * Jetty says is quoted only as a short prefix and never when it names a Java class.
 */
public class JsonErrorHandler extends ErrorHandler {

    /** Writes one error body: the REST API's {@code Error} northbound, the agent protocol's error southbound. */
    @FunctionalInterface
    public interface Body {
        String json(int status, String code, String message);
    }

    private final Body body;

    public JsonErrorHandler(Body body) {
        this.body = body;
        setShowStacks(false);
        setShowServlet(false);
    }

    /** The REST API's error body ({@link Inputs#errorBody}), for the web container's port. */
    public static JsonErrorHandler northbound() {
        return new JsonErrorHandler(Inputs::errorBody);
    }

    /** The body for {@code status}, with Jetty's {@code reason} (may be null) as far as it is fit to quote. */
    public String body(int status, String reason) {
        return body.json(status, code(status), message(status, reason));
    }

    /** {@code bad_request}, {@code uri_too_long}, ...: the status's name in the REST API's style (500 is its
     * {@code internal_error}). */
    static String code(int status) {
        if (status == 500) {
            return "internal_error";
        }
        String name = HttpStatus.getMessage(status);
        if (name == null || name.equals(String.valueOf(status))) {
            return "http_" + status;
        }
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    static String message(int status, String reason) {
        String detail = quotable(reason) ? ": " + Inputs.prefix(reason) : "";
        return switch (status) {
            case 400 -> "the request is not well formed HTTP" + detail;
            case 404 -> "no resource at this path; the REST API is under /api/v1 (see /api/v1/openapi.json)";
            case 405 -> "this method is not allowed here";
            case 408 -> "the request was not received in time; send it whole, without pauses";
            case 413 -> "the request body is too large here";
            case 414 -> "the request URI is too long";
            case 429 -> "too many requests or connections from this address at once; retry later";
            case 431 -> "the request's header fields are too large";
            case 500 -> "the server failed to answer; its log has the details";
            case 503 -> "the server is not ready or too busy; retry later";
            case 505 -> "this server speaks HTTP/1.1 and HTTP/1.0 only";
            default -> status >= 500 ? "the server failed to answer; its log has the details"
                    : (HttpStatus.getMessage(status) + detail);
        };
    }

    /** Whether Jetty's reason tells a client more than the status does, without naming the server's internals. */
    private static boolean quotable(String reason) {
        return reason != null && !reason.isBlank() && !reason.contains("Exception") && !reason.contains("java.")
                && !reason.contains("org.") && !reason.equals(HttpStatus.getMessage(400));
    }

    /** Answers {@code status} with the product's body on a response nothing has been committed to yet. */
    public void write(HttpServletResponse response, int status, String reason) throws IOException {
        byte[] bytes = body(status, reason).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IllegalStateException writerTaken) {
            // what failed had taken the writer already; the same JSON goes through it
            response.getWriter().write(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** Refusals by the HTTP parser (bad request line, URI or header too long, bad characters), before any handler. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        if (HttpStatus.hasNoBody(status)) {
            return BufferUtil.EMPTY_BUFFER;
        }
        fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        return BufferUtil.toBuffer(body(status, reason), StandardCharsets.UTF_8);
    }

    /** Jetty answers errors with a page for GET, POST and HEAD only; the product answers every method alike. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        if (HttpStatus.hasNoBody(code)) {
            return;
        }
        write(response, code, message);
    }
}
