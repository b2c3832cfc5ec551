package org.edgeorch.soap.internal;

import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.edgeorch.cxf.ServletBus;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.StatusService;
import org.edgeorch.soap.PlatformService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** Publishes the SOAP endpoints under {@code /soap}; WSDL at {@code /soap/platform?wsdl}. */
@Component(immediate = true)
public class SoapComponent {

    static final String PREFIX = "/soap";

    private final ServletBus servletBus;
    private final Server server;

    @Activate
    public SoapComponent(BundleContext context, @Reference StatusService status, @Reference PluginRegistry plugins) {
        servletBus = ServletBus.publish(context, PREFIX, "edgeorch-soap");
        server = ServletBus.withClassLoader(getClass().getClassLoader(), () -> {
            JaxWsServerFactoryBean factory = new JaxWsServerFactoryBean();
            factory.setBus(servletBus.bus());
            factory.setServiceClass(PlatformService.class);
            factory.setServiceBean(new PlatformServiceImpl(status, plugins));
            factory.setAddress("/platform");
            factory.getOutFaultInterceptors().add(new ClientFaultInterceptor());
            return factory.create();
        });
    }

    @Deactivate
    void deactivate() {
        server.destroy();
        servletBus.close();
    }
}
