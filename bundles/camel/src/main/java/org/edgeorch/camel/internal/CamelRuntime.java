package org.edgeorch.camel.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.edgeorch.platform.ComponentHealth;
import org.edgeorch.platform.HealthContributor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the orchestrator's one CamelContext. It starts off the activation thread, is then published as
 * a {@link CamelContext} service, and takes routes from {@link RoutesBuilder} services by whiteboard,
 * removing a builder's routes again when its bundle goes away.
 */
@Component(service = HealthContributor.class, immediate = true)
public class CamelRuntime implements HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntime.class);

    private final CamelContext camel;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "edgeorch-camel"));
    private final Map<RoutesBuilder, List<String>> routesByBuilder = new ConcurrentHashMap<>();
    private volatile String problem;
    private ServiceRegistration<CamelContext> registration;

    @Activate
    public CamelRuntime(BundleContext context) {
        camel = create();
        executor.execute(() -> {
            try {
                camel.start();
                registration = context.registerService(CamelContext.class, camel, null);
                LOG.info("Camel {} context '{}' started", camel.getVersion(), camel.getName());
            } catch (RuntimeException e) {
                problem = "Camel failed to start: " + e.getMessage();
                LOG.error("Camel failed to start", e);
            }
        });
    }

    /** A context whose class resolution stays inside this bundle, where all of Camel is embedded. */
    static CamelContext create() {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("edgeorch");
        camel.setApplicationContextClassLoader(CamelRuntime.class.getClassLoader());
        return camel;
    }

    CamelContext camel() {
        return camel;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRoutes(RoutesBuilder builder) {
        executor.execute(() -> {
            try {
                List<String> before = camel.getRoutes().stream().map(r -> r.getRouteId()).toList();
                camel.addRoutes(builder);
                List<String> added = camel.getRoutes().stream().map(r -> r.getRouteId())
                        .filter(id -> !before.contains(id)).toList();
                routesByBuilder.put(builder, added);
                LOG.info("Routes {} added", added);
            } catch (Exception e) {
                LOG.error("Routes of {} could not be added", builder, e);
            }
        });
    }

    void removeRoutes(RoutesBuilder builder) {
        executor.execute(() -> {
            List<String> ids = routesByBuilder.remove(builder);
            if (ids == null && builder instanceof RouteBuilder rb) {
                ids = rb.getRouteCollection().getRoutes().stream().map(RouteDefinition::getRouteId).toList();
            }
            for (String id : ids == null ? List.<String>of() : ids) {
                try {
                    camel.getRouteController().stopRoute(id, 10, TimeUnit.SECONDS);
                    camel.removeRoute(id);
                } catch (Exception e) {
                    LOG.warn("Route {} could not be removed: {}", id, e.getMessage());
                }
            }
        });
    }

    @Deactivate
    void deactivate() {
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (registration != null) {
            registration.unregister();
        }
        camel.stop();
    }

    @Override
    public ComponentHealth health() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("version", camel.getVersion());
        details.put("status", camel.getStatus().name());
        details.put("routes", String.valueOf(camel.getRoutes().size()));
        if (problem != null) {
            details.put("problem", problem);
        }
        boolean up = problem == null && camel.getStatus().isStarted();
        return new ComponentHealth("camel", up ? ComponentHealth.State.UP : ComponentHealth.State.DOWN, details);
    }
}
