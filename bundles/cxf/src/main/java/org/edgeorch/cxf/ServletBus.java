package org.edgeorch.cxf;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.transport.DestinationFactoryManager;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.edgeorch.platform.Inputs;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * A private CXF bus served by its own servlet under one path prefix (for example {@code /api}).
 * Each adapter owns one, so no adapter touches CXF's static default bus or the shared {@code /cxf}
 * servlet, and endpoints disappear with the adapter that published them.
 *
 * <p>The bus also gets an HTTP transport of its own: in OSGi every bus otherwise finds the one HTTP
 * transport that {@code cxf-http} registers as a service, whose destination registry Karaf's default
 * {@code /cxf} servlet serves too, so each endpoint would answer a second time under {@code /cxf}.
 */
public final class ServletBus implements AutoCloseable {

    /** What {@code GET prefix/} answers. */
    public enum Index {
        /** 404, like any other path without an endpoint. */
        NONE,
        /** An HTML page naming each endpoint with a link to its WSDL (for SOAP). */
        WSDL_LINKS
    }

    /**
     * Framework property ({@code etc/custom.properties}): {@code true} when the orchestrator is reached through a
     * reverse proxy that sets the {@code X-Forwarded-*} headers; {@code false} (the default) ignores them.
     */
    public static final String TRUST_FORWARDED_HEADERS = "edgeorch.http.trustForwardedHeaders";

    private final Bus bus;
    private final ServiceRegistration<Servlet> registration;

    private ServletBus(Bus bus, ServiceRegistration<Servlet> registration) {
        this.bus = bus;
        this.registration = registration;
    }

    /** Creates the bus and registers its servlet at {@code prefix + "/*"}, with no index page. */
    public static ServletBus publish(BundleContext context, String prefix, String name) {
        return publish(context, prefix, name, Index.NONE);
    }

    /**
     * Creates the bus and registers its servlet at {@code prefix + "/*"}.
     *
     * @param context the adapter's bundle context
     * @param prefix  path prefix such as {@code /api}
     * @param name    servlet name for diagnostics
     * @param index   what the bare prefix answers
     */
    public static ServletBus publish(BundleContext context, String prefix, String name, Index index) {
        Bus bus = withClassLoader(ServletBus.class.getClassLoader(), () -> BusFactory.newInstance().createBus());
        DestinationRegistry registry = new DestinationRegistryImpl();
        HTTPTransportFactory transport = new HTTPTransportFactory(registry);
        DestinationFactoryManager destinations = bus.getExtension(DestinationFactoryManager.class);
        for (String id : HTTPTransportFactory.DEFAULT_NAMESPACES) {
            destinations.registerDestinationFactory(id, transport);
        }
        CXFNonSpringServlet servlet = new IndexedServlet(registry, bus, index);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, prefix + "/*");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, name);
        // CXF's own service list page enumerates every operation; the index above says only what a client needs.
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_INIT_PARAM_PREFIX + "hide-service-list-page", "true");
        // Behind a reverse proxy, the URLs the adapters build (Location headers, WSDL addresses) and the caller's
        // address (audit, limits) come from X-Forwarded-Proto/-Host/-Port/-Prefix/-For; only then, since any client
        // can send those headers.
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_INIT_PARAM_PREFIX + "use-x-forwarded-headers",
                String.valueOf(Boolean.parseBoolean(context.getProperty(TRUST_FORWARDED_HEADERS))));
        ServiceRegistration<Servlet> reg = context.registerService(Servlet.class, servlet, props);
        return new ServletBus(bus, reg);
    }

    public Bus bus() {
        return bus;
    }

    /** Runs CXF setup with the adapter's class loader as context class loader, as JAXB and JAX-RS expect. */
    public static <T> T withClassLoader(ClassLoader loader, Callable<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping and took the registration with it
        }
        bus.shutdown(true);
    }

    /** CXF's servlet over the bus's own registry, answering {@code GET prefix/} with the index. */
    private static final class IndexedServlet extends CXFNonSpringServlet {

        private static final long serialVersionUID = 1L;

        private final transient DestinationRegistry registry;
        private final Index index;

        IndexedServlet(DestinationRegistry registry, Bus bus, Index index) {
            super(registry, bus);
            this.registry = registry;
            this.index = index;
        }

        @Override
        protected void invoke(HttpServletRequest request, HttpServletResponse response) throws ServletException {
            if (refused(request, response)) {
                return;
            }
            String path = request.getPathInfo();
            if (index == Index.WSDL_LINKS && "GET".equals(request.getMethod()) && (path == null || "/".equals(path))
                    && request.getQueryString() == null) {
                try {
                    if (path == null) {
                        response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
                    } else {
                        writeIndex(request, response);
                    }
                } catch (IOException e) {
                    throw new ServletException(e);
                }
                return;
            }
            super.invoke(request, response);
        }

        /**
         * Answers what CXF would fail on with a 500 or an HTML page, in the product's JSON error body: a request URI
         * that is not well formed percent-encoding (400) and a body in a charset other than UTF-8 (415).
         */
        private static boolean refused(HttpServletRequest request, HttpServletResponse response) throws ServletException {
            String problem = Inputs.percentEncodingProblem(request.getRequestURI());
            if (problem == null) {
                problem = Inputs.percentEncodingProblem(request.getQueryString());
            }
            int status = HttpServletResponse.SC_BAD_REQUEST;
            String code = "bad_encoding";
            String message = "the request URI is not well formed: " + problem;
            if (problem == null) {
                problem = Inputs.charsetProblem(request.getContentType());
                status = HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE;
                code = "unsupported_media_type";
                message = problem;
            }
            if (problem == null) {
                return false;
            }
            try {
                response.setStatus(status);
                response.setContentType("application/json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getWriter().write(Inputs.errorBody(status, code, message));
            } catch (IOException e) {
                throw new ServletException(e);
            }
            return true;
        }

        private void writeIndex(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String base = request.getContextPath() + request.getServletPath();
            TreeMap<String, String> services = new TreeMap<>();
            for (String p : registry.getDestinationsPaths()) {
                AbstractHTTPDestination d = registry.getDestinationForPath(p);
                if (d != null && d.getEndpointInfo().getService() != null) {
                    services.put(p, d.getEndpointInfo().getService().getName().getLocalPart());
                }
            }
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/html");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Cache-Control", "no-store");
            PrintWriter out = response.getWriter();
            out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SOAP services</title></head><body>");
            out.println("<h1>SOAP services</h1><ul>");
            services.forEach((p, service) -> out.println("<li>" + escape(service) + " at <code>" + escape(base + p)
                    + "</code>: <a href=\"" + escape(base + p) + "?wsdl\">WSDL</a></li>"));
            out.println("</ul></body></html>");
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
