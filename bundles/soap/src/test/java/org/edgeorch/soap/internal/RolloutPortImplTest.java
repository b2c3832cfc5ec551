package org.edgeorch.soap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.wsdl.factory.WSDLFactory;
import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBElement;
import javax.xml.namespace.QName;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.jaxws.support.JaxWsServiceFactoryBean;
import org.apache.cxf.service.Service;
import org.apache.cxf.wsdl11.ServiceWSDLBuilder;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.scheduling.rollout.Rollouts;
import org.edgeorch.scheduling.rollout.Rollouts.Counts;
import org.edgeorch.scheduling.rollout.Rollouts.FailureAction;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;
import org.edgeorch.soap.FleetDtos;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.RolloutDtos;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

/** What a SOAP client sees of rollouts and update runs. */
class RolloutPortImplTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");

    @Test
    void theWsdlHasEveryOperation() throws Exception {
        Bus bus = BusFactory.newInstance().createBus();
        try {
            JaxWsServiceFactoryBean factory = new JaxWsServiceFactoryBean();
            factory.setBus(bus);
            factory.setServiceClass(RolloutPortImpl.class);
            Service service = factory.create();
            StringWriter wsdl = new StringWriter();
            WSDLFactory.newInstance().newWSDLWriter().writeWSDL(
                    new ServiceWSDLBuilder(bus, service.getServiceInfos()).build(), wsdl);
            for (String operation : List.of("createRollout", "listRollouts", "getRollout", "startRollout", "pauseRollout",
                    "resumeRollout", "abortRollout", "listRolloutRuns", "listHostUpdateRuns")) {
                assertTrue(wsdl.toString().contains("<wsdl:operation name=\"" + operation + "\">"), operation);
            }
            assertTrue(wsdl.toString().contains("name=\"RolloutService\""));
        } finally {
            bus.shutdown(true);
        }
    }

    @Test
    void aSpecBecomesTheServicesSpec() {
        RolloutDtos.Spec s = new RolloutDtos.Spec();
        s.name = "spring";
        s.osProfile = "stable";
        s.version = "2.0.0";
        s.onFailure = "abort";
        s.hosts = new RolloutDtos.Hosts();
        s.hosts.status = "running";
        s.hosts.site = "paris";
        FleetDtos.Entry e = new FleetDtos.Entry();
        e.key = "tier";
        e.value = "gold";
        s.hosts.metadata.add(e);
        RolloutDtos.WaveSpec w = new RolloutDtos.WaveSpec();
        w.percent = 10;
        w.soak = "PT1H";
        s.waves.add(w);
        s.waves.add(new RolloutDtos.WaveSpec());

        Rollouts.RolloutSpec spec = RolloutPortImpl.spec(s);
        assertEquals(FailureAction.ABORT, spec.onFailure());
        assertEquals(Rollouts.HostSelection.filter(HostStatus.RUNNING, "paris", null, Map.of("tier", "gold"), null), spec.hosts());
        assertEquals(new WaveSpec(null, 10, null, null, null, null, Duration.ofHours(1), null), spec.waves().get(0));
        assertNull(RolloutPortImpl.spec(null));
        w.hostTimeout = "two hours";
        assertEquals("waves[1].hostTimeout", assertThrows(TenancyException.class, () -> RolloutPortImpl.spec(s)).field());
    }

    @Test
    void aRolloutAndItsRunsMarshal() throws Exception {
        WaveSpec spec = new WaveSpec(2, null, false, 100, 0, 1, Duration.ZERO, Duration.ofHours(2));
        RolloutDtos.Rollout dto = RolloutPortImpl.rollout(new Rollouts.Rollout("spring", null, "stable", "2.0.0", "2 hosts",
                FailureAction.PAUSE, RolloutState.PAUSED, "paused by alice", 1, new Counts(2, 1, 1, 0),
                List.of(new Rollouts.Wave(1, spec, WaveState.RUNNING, new Counts(2, 1, 1, 0), NOW, null, null)), "alice", NOW,
                NOW, null));
        assertEquals("PAUSED", dto.state);
        assertEquals("PT2H", dto.waves.get(0).spec.hostTimeout);
        assertEquals(1, dto.waves.get(0).counts.failed);

        RolloutDtos.RunPage page = RolloutPortImpl.page(new Rollouts.RunPage(List.of(new Rollouts.UpdateRun("run-1", "h1", null,
                null, "stable", "1.0.0", "2.0.0", UpdateStatus.ROLLED_BACK, UpdateFailure.BOOT_FAILED, "fell back", 0,
                "site paris", NOW, NOW, NOW, NOW, null)), 1, 0, 100));
        assertEquals("BOOT_FAILED", page.runs.get(0).failure);
        assertNull(page.runs.get(0).rollout);

        StringWriter xml = new StringWriter();
        JAXBContext.newInstance(RolloutDtos.Rollout.class, RolloutDtos.RunPage.class).createMarshaller().marshal(
                new JAXBElement<>(new QName(PlatformService.NAMESPACE, "rollout"), RolloutDtos.Rollout.class, dto), xml);
        assertTrue(xml.toString().contains("<wave><number>1</number>"), xml.toString());
    }
}
