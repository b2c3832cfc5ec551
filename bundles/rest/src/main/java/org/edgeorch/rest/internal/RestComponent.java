package org.edgeorch.rest.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.edgeorch.apps.AppService;
import org.edgeorch.cxf.ServletBus;
import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.OnboardingService;
import org.edgeorch.observability.AlertService;
import org.edgeorch.observability.EventService;
import org.edgeorch.observability.TelemetryService;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.StatusService;
import org.edgeorch.release.ReleaseNotifications;
import org.edgeorch.release.ReleaseService;
import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.TenancyService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

/** Publishes the REST API at {@code /api/v1}. */
@Component(immediate = true)
public class RestComponent {

    static final String PREFIX = "/api";
    static final String VERSION_PATH = "/v1";

    private final ServletBus servletBus;
    private final Server server;

    @Activate
    public RestComponent(BundleContext context, @Reference StatusService status, @Reference PluginRegistry plugins,
                         @Reference AuthService auth, @Reference TenancyService tenancy, @Reference AuditLog audit,
                         @Reference FleetService fleet, @Reference OnboardingService onboarding,
                         @Reference ReleaseService releases, @Reference ReleaseNotifications notifications,
                         @Reference ScheduleService schedules, @Reference RolloutService rollouts,
                         @Reference AppService apps, @Reference LeaderLeases leases, @Reference EventService events,
                         @Reference TelemetryService telemetry, @Reference AlertService alerts) {
        servletBus = ServletBus.publish(context, PREFIX, "edgeorch-rest");
        List<Object> providers = new ArrayList<>();
        providers.add(new JacksonJsonProvider(objectMapper()));
        providers.addAll(ErrorMappers.all());
        providers.add(new BodyLimitFilter());
        providers.add(new AuthFilter(auth));
        providers.add(new LocationFilter());
        server = ServletBus.withClassLoader(getClass().getClassLoader(), () -> {
            JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
            factory.setBus(servletBus.bus());
            factory.setAddress(VERSION_PATH);
            factory.setServiceBeans(List.of(new PlatformResource(status, plugins), new OpenApiResource(),
                    new AuthResource(auth, tenancy), new OrganizationResource(tenancy), new ProjectResource(tenancy, audit),
                    new FleetResource(fleet), new OnboardingResource(onboarding),
                    new ReleaseResource(releases, notifications), new ScheduleResource(schedules),
                    new RolloutResource(rollouts), new LeaderResource(leases),
                    new AppResource(apps), new EventResource(events, auth), new TelemetryResource(telemetry),
                    new AlertResource(alerts)));
            factory.setProviders(providers);
            return factory.create();
        });
    }

    static ObjectMapper objectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // no coercion between JSON's types: {"name": 12345} is not a name, "5" is not a number, 1.5 is not an int
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Enum)) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual || type == LogicalType.Enum
                            ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    @Deactivate
    void deactivate() {
        server.destroy();
        servletBus.close();
    }
}
