package org.edgeorch.cxf;

import java.util.Hashtable;
import java.util.concurrent.Callable;

import javax.servlet.Servlet;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * A private CXF bus served by its own servlet under one path prefix (for example {@code /api}).
 * Each adapter owns one, so no adapter touches CXF's static default bus or the shared {@code /cxf}
 * servlet, and endpoints disappear with the adapter that published them.
 */
public final class ServletBus implements AutoCloseable {

    private final Bus bus;
    private final ServiceRegistration<Servlet> registration;

    private ServletBus(Bus bus, ServiceRegistration<Servlet> registration) {
        this.bus = bus;
        this.registration = registration;
    }

    /**
     * Creates the bus and registers its servlet at {@code prefix + "/*"}.
     *
     * @param context the adapter's bundle context
     * @param prefix  path prefix such as {@code /api}
     * @param name    servlet name for diagnostics
     */
    public static ServletBus publish(BundleContext context, String prefix, String name) {
        Bus bus = withClassLoader(ServletBus.class.getClassLoader(), () -> BusFactory.newInstance().createBus());
        CXFNonSpringServlet servlet = new CXFNonSpringServlet();
        servlet.setBus(bus);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, prefix + "/*");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, name);
        // CXF's own service list page would otherwise answer requests nobody asked for.
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_INIT_PARAM_PREFIX + "hide-service-list-page", "true");
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
}
