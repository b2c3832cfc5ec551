package org.edgeorch.soap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import javax.wsdl.factory.WSDLFactory;
import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBElement;
import javax.xml.namespace.QName;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.jaxws.support.JaxWsServiceFactoryBean;
import org.apache.cxf.service.Service;
import org.apache.cxf.wsdl11.ServiceWSDLBuilder;
import org.edgeorch.scheduling.DesiredVersion;
import org.edgeorch.windows.Interval;
import org.edgeorch.scheduling.Schedules;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.scheduling.Schedules.WindowKind;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.ScheduleDtos;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

/** What a SOAP client sees of windows, policies and a host's schedule, and how it names targets. */
class SchedulePortImplTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");

    @Test
    void theWsdlHasEveryOperationAndTheFault() throws Exception {
        Bus bus = BusFactory.newInstance().createBus();
        try {
            JaxWsServiceFactoryBean factory = new JaxWsServiceFactoryBean();
            factory.setBus(bus);
            factory.setServiceClass(SchedulePortImpl.class);
            Service service = factory.create();
            StringWriter wsdl = new StringWriter();
            WSDLFactory.newInstance().newWSDLWriter().writeWSDL(
                    new ServiceWSDLBuilder(bus, service.getServiceInfos()).build(), wsdl);
            for (String operation : List.of("listWindows", "getWindow", "createWindow", "updateWindow", "deleteWindow",
                    "listPolicies", "setPolicy", "clearPolicy", "getHostSchedule")) {
                assertTrue(wsdl.toString().contains("<wsdl:operation name=\"" + operation + "\">"), operation);
            }
            assertTrue(wsdl.toString().contains("name=\"TenancyFault\""));
            assertTrue(wsdl.toString().contains("name=\"ScheduleService\""));
        } finally {
            bus.shutdown(true);
        }
    }

    @Test
    void aHostScheduleCarriesItsWindowsPolicyAndDesiredVersionAndMarshals() throws Exception {
        Schedules.Window window = new Schedules.Window("once", Target.host("h1"), WindowKind.SINGLE,
                Instant.parse("2026-11-21T00:00:00Z"), null, null, null, null, NOW, NOW);
        Interval occurrence = new Interval(window.start(), null);
        Schedules.HostSchedule schedule = new Schedules.HostSchedule("h1", NOW,
                List.of(new Schedules.EffectiveWindow(window, "host h1", false, occurrence)), false, List.of(), occurrence,
                "once", occurrence.start(), new Schedules.EffectivePolicy(new Schedules.Policy(Target.cluster("db"),
                        PolicyKind.TARGET, "stable", "1.4.2", "alice", NOW), "cluster db (the host is a member)"),
                new DesiredVersion("stable", "1.4.2", "cluster db (the host is a member)"), null);

        ScheduleDtos.HostSchedule dto = SchedulePortImpl.schedule(schedule);

        assertEquals("2026-11-21T00:00:00Z", dto.nextOpening);
        assertEquals("once", dto.occurrenceWindow);
        assertNull(dto.occurrenceEnd);
        assertEquals("HOST", dto.windows.get(0).window.targetType);
        assertEquals("SINGLE", dto.windows.get(0).window.kind);
        assertEquals("CLUSTER", dto.policy.targetType);
        assertEquals("cluster db (the host is a member)", dto.policySource);
        assertEquals("1.4.2", dto.desiredVersion);

        StringWriter xml = new StringWriter();
        JAXBContext.newInstance(ScheduleDtos.HostSchedule.class).createMarshaller().marshal(
                new JAXBElement<>(new QName(PlatformService.NAMESPACE, "schedule"), ScheduleDtos.HostSchedule.class, dto), xml);
        assertTrue(xml.toString().contains("<source>host h1</source>"), xml.toString());
        assertTrue(xml.toString().contains("<desiredVersion>1.4.2</desiredVersion>"), xml.toString());
    }

    @Test
    void aTargetIsItsTypeInAnyCaseAndNameOrNothing() {
        assertEquals(Target.site("paris"), SchedulePortImpl.target("site", "paris"));
        assertNull(SchedulePortImpl.target(null, " "));
        assertEquals(new Target(null, "paris"), SchedulePortImpl.target(null, "paris"));
        TenancyException e = assertThrows(TenancyException.class, () -> SchedulePortImpl.target("planet", "mars"));
        assertEquals("targetType", e.field());
        assertTrue(e.getMessage().contains(java.util.Arrays.toString(TargetType.values())), e.getMessage());
    }
}
