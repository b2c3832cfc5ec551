package org.edgeorch.observability.internal;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * Times every request the web container answers (REST, SOAP, dashboard, metrics) for
 * {@code edgeorch_http_request_duration_seconds}, labelled by which of those it was, never by its path.
 */
@Component(service = Filter.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=edgeorch-http-metrics"})
public class HttpMetricsFilter implements Filter {

    private final OrchestratorMetrics metrics;

    @Activate
    public HttpMetricsFilter(@Reference OrchestratorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void destroy() {
        // nothing to release
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer) {
                metrics.httpRequest(api(http.getRequestURI()), method(http.getMethod()), answer.getStatus(),
                        System.nanoTime() - start);
            }
        }
    }

    /** Which API a path belongs to: one of a fixed few. */
    static String api(String uri) {
        if (uri == null) {
            return "other";
        }
        for (String api : new String[] {"api", "soap", "ui", "metrics"}) {
            if (uri.equals("/" + api) || uri.startsWith("/" + api + "/")) {
                return api.equals("ui") ? "dashboard" : api.equals("api") ? "rest" : api;
            }
        }
        return "other";
    }

    /** The method when it is a standard one, else {@code OTHER}: a client cannot grow the label set. */
    static String method(String method) {
        return switch (method == null ? "" : method) {
            case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" -> method;
            default -> "OTHER";
        };
    }
}
