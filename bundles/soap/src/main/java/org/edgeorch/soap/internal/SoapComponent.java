package org.edgeorch.soap.internal;

import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.edgeorch.cxf.ServletBus;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.StatusService;
import java.util.List;
import java.util.Map;

import org.apache.cxf.logging.FaultListener;
import org.osgi.service.metatype.annotations.Designate;

import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.OnboardingService;
import org.edgeorch.observability.EventService;
import org.edgeorch.release.ReleaseService;
import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.soap.FleetPort;
import org.edgeorch.soap.OnboardingPort;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.ReleasePort;
import org.edgeorch.soap.EventPort;
import org.edgeorch.soap.RolloutPort;
import org.edgeorch.soap.SchedulePort;
import org.edgeorch.soap.TenancyPort;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.TenancyService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the SOAP endpoints under {@code /soap}: {@code /soap/platform}, {@code /soap/tenancy}, {@code /soap/fleet},
 * {@code /soap/onboarding}, {@code /soap/releases}, {@code /soap/schedules} and {@code /soap/rollouts}, WSDL at
 * {@code ?wsdl}. Every call is authenticated like REST. Onboarding, releases, schedules and rollouts have ports of
 * their own because they are domain services of their own: each port adapts one service. The registry's webhook is
 * REST only.
 *
 * <p>{@code GET /soap/} lists the services with links to their WSDL. Every endpoint refuses envelopes over
 * {@link SoapConfig#maxEnvelopeBytes()}, names a missing required parameter, and answers its callers' mistakes
 * with {@code soap:Client} faults that are logged in one line ({@link SoapFaults}).
 */
@Component(immediate = true, configurationPid = SoapConfig.PID)
@Designate(ocd = SoapConfig.class)
public class SoapComponent {

    static final String PREFIX = "/soap";

    private final long maxEnvelopeBytes;
    private final ServletBus servletBus;
    private final List<Server> servers;

    @Activate
    public SoapComponent(BundleContext context, @Reference StatusService status, @Reference PluginRegistry plugins,
                         @Reference AuthService auth, @Reference TenancyService tenancy, @Reference AuditLog audit,
                         @Reference FleetService fleet, @Reference OnboardingService onboarding,
                         @Reference ReleaseService releases, @Reference ScheduleService schedules,
                         @Reference RolloutService rollouts, @Reference EventService events, SoapConfig config) {
        if (config.maxEnvelopeBytes() < 1024) {
            throw new IllegalArgumentException("maxEnvelopeBytes must be at least 1024, not " + config.maxEnvelopeBytes());
        }
        maxEnvelopeBytes = config.maxEnvelopeBytes();
        servletBus = ServletBus.publish(context, PREFIX, "edgeorch-soap", ServletBus.Index.WSDL_LINKS);
        SoapAuthInterceptor authentication = new SoapAuthInterceptor(auth);
        servers = List.of(
                publish(PlatformService.class, new PlatformServiceImpl(status, plugins), "/platform", authentication),
                publish(TenancyPort.class, new TenancyPortImpl(tenancy, audit), "/tenancy", authentication),
                publish(FleetPort.class, new FleetPortImpl(fleet), "/fleet", authentication),
                publish(OnboardingPort.class, new OnboardingPortImpl(onboarding), "/onboarding", authentication),
                publish(ReleasePort.class, new ReleasePortImpl(releases), "/releases", authentication),
                publish(SchedulePort.class, new SchedulePortImpl(schedules), "/schedules", authentication),
                publish(RolloutPort.class, new RolloutPortImpl(rollouts), "/rollouts", authentication),
                publish(EventPort.class, new EventPortImpl(events), "/events", authentication));
    }

    private Server publish(Class<?> contract, Object implementation, String address, SoapAuthInterceptor authentication) {
        return ServletBus.withClassLoader(getClass().getClassLoader(), () -> {
            JaxWsServerFactoryBean factory = new JaxWsServerFactoryBean();
            factory.setBus(servletBus.bus());
            factory.setServiceClass(contract);
            factory.setServiceBean(implementation);
            factory.setAddress(address);
            factory.getInInterceptors().add(new EnvelopeLimitInterceptor(maxEnvelopeBytes));
            factory.getInInterceptors().add(authentication);
            factory.getInInterceptors().add(new RequiredParameterInterceptor());
            factory.getOutFaultInterceptors().add(new FaultOutInterceptor());
            factory.setProperties(new java.util.HashMap<>(Map.of(FaultListener.class.getName(), new SoapFaults())));
            return factory.create();
        });
    }

    @Deactivate
    void deactivate() {
        servers.forEach(Server::destroy);
        servletBus.close();
    }
}
