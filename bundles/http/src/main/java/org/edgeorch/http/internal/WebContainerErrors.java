package org.edgeorch.http.internal;

import java.io.IOException;

import javax.servlet.RequestDispatcher;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.edgeorch.http.ClientLimits;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.edgeorch.http.JsonErrorHandler;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The product's error body on the web container's port (REST, SOAP, dashboard), in both places Jetty answers on its
 * own: the server, for requests refused before any context (malformed HTTP, a URI or headers too long), and each
 * whiteboard context, for errors a servlet or the container sends (no servlet at a path, an uncaught failure).
 *
 * <p>Pax Web adds every {@link Handler} service to its Jetty server, which is the one way to reach that server without
 * an external {@code jetty.xml}: the handler answers nothing itself and, once it has the server, installs the
 * {@link JsonErrorHandler} there (and restores Jetty's own when it goes).
 */
@Component(immediate = true, configurationPid = WebConnectorConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WebConnectorConfig.class)
public class WebContainerErrors {

    private final ServiceRegistration<Handler> handler;
    private final ServiceRegistration<Servlet> errorPages;
    private final ServerErrorInstaller installer;

    @Activate
    public WebContainerErrors(BundleContext context, WebConnectorConfig config) {
        installer = new ServerErrorInstaller(limits(config));
        handler = context.registerService(Handler.class, installer, null);
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE, new String[] {"4xx", "5xx"});
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "edgeorch-error-body");
        errorPages = context.registerService(Servlet.class, new ErrorBodyServlet(JsonErrorHandler.northbound()), props);
    }

    static ClientLimits.Settings limits(WebConnectorConfig config) {
        return new ClientLimits.Settings(Duration.ofSeconds(Math.max(1, config.idleTimeoutSeconds())),
                Duration.ofSeconds(Math.max(0, config.headerTimeoutSeconds())), config.minRequestBytesPerSecond(),
                config.maxConnectionsPerAddress(), config.maxRequestsPerAddress());
    }

    @Deactivate
    public void stop() {
        installer.removeLimits();
        for (ServiceRegistration<?> r : new ServiceRegistration<?>[] {errorPages, handler}) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping and took the registration with it
            }
        }
    }

    /**
     * Installs the JSON error handler and the {@link ClientLimits} on the server it is added to, and on each of its
     * connectors (those it has, and those it gets when it starts again); handles no request.
     */
    static final class ServerErrorInstaller extends AbstractHandler {

        private final JsonErrorHandler errors = JsonErrorHandler.northbound();
        private final ClientLimits.Settings settings;
        private final Map<Connector, ClientLimits> limited = new ConcurrentHashMap<>();
        private final LifeCycle.Listener started = new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                limitConnectors();
            }
        };
        private ErrorHandler previous;

        ServerErrorInstaller(ClientLimits.Settings settings) {
            this.settings = settings;
        }

        @Override
        public void setServer(Server server) {
            super.setServer(server);
            if (server != null && server.getErrorHandler() != errors) {
                previous = server.getErrorHandler();
                errors.setServer(server);
                server.setErrorHandler(errors);
            }
            if (server != null) {
                server.addLifeCycleListener(started);
                limitConnectors();
            }
        }

        private synchronized void limitConnectors() {
            Server server = getServer();
            if (server == null) {
                return;
            }
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof ServerConnector network && !limited.containsKey(connector)) {
                    limited.put(connector, ClientLimits.apply("Web container " + network.getName(), network,
                            settings, errors));
                }
            }
        }

        /** The limits installed, by connector. */
        Map<Connector, ClientLimits> limits() {
            return Map.copyOf(limited);
        }

        synchronized void removeLimits() {
            Server server = getServer();
            if (server != null) {
                server.removeLifeCycleListener(started);
            }
            limited.values().forEach(ClientLimits::remove);
            limited.clear();
        }

        @Override
        protected void doStop() throws Exception {
            Server server = getServer();
            if (server != null && server.getErrorHandler() == errors && previous != null && !server.isStopping()) {
                server.setErrorHandler(previous);
            }
            super.doStop();
        }

        @Override
        public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response) {
            // not a request handler: it is here for the server it is added to
        }
    }

    /** The error page of every whiteboard context: the product's body for the status the container sent. */
    static final class ErrorBodyServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        private final transient JsonErrorHandler errors;

        ErrorBodyServlet(JsonErrorHandler errors) {
            this.errors = errors;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int status = code instanceof Integer i ? i : response.getStatus();
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            errors.write(response, status, message == null ? null : message.toString());
        }
    }
}
