package org.edgeorch.soap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBElement;
import javax.wsdl.factory.WSDLFactory;
import javax.xml.namespace.QName;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.jaxws.support.JaxWsServiceFactoryBean;
import org.apache.cxf.service.Service;
import org.apache.cxf.wsdl11.ServiceWSDLBuilder;

import org.edgeorch.release.Releases;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.ReleaseDtos;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

/** What a SOAP client sees of releases and OS resources, and how it names modes and outcomes. */
class ReleasePortImplTest {

    private static final Instant DETECTED = Instant.parse("2026-11-20T10:15:30Z");

    private static Releases.Release release() {
        return new Releases.Release("edge-os", "1.4.2", OsType.IMMUTABLE, "x86_64", "sha256:ab12", 734_003_200L,
                "secure-boot", "Edge OS 1.4.2", List.of("CVE-2026-0001"), List.of("CVE-2025-1111", "CVE-2025-2222"),
                "releases/edge-os", "sha256:cd34", "CN=Edge Release Signing", "AB:CD", "2026-11-19T08:00:00Z", DETECTED,
                Releases.DetectionSource.WEBHOOK, Releases.ReleaseStatus.VERIFIED);
    }

    /** The WSDL CXF serves at /soap/releases?wsdl, built from the port as SoapComponent publishes it. */
    @Test
    void theWsdlHasEveryOperationAndTheFault() throws Exception {
        Bus bus = BusFactory.newInstance().createBus();
        try {
            JaxWsServiceFactoryBean factory = new JaxWsServiceFactoryBean();
            factory.setBus(bus);
            factory.setServiceClass(ReleasePortImpl.class);
            Service service = factory.create();
            StringWriter wsdl = new StringWriter();
            WSDLFactory.newInstance().newWSDLWriter().writeWSDL(
                    new ServiceWSDLBuilder(bus, service.getServiceInfos()).build(), wsdl);
            for (String operation : List.of("listReleases", "getRelease", "listReleaseEvents", "checkReleases",
                    "listSigners", "addSigner", "revokeSigner", "addRevocationList", "listRevocationLists",
                    "listOsProfiles", "getOsProfile", "createOsProfile", "updateOsProfile", "deleteOsProfile",
                    "listOsResources", "getOsResource", "importRelease", "removeOsResource")) {
                assertTrue(wsdl.toString().contains("<wsdl:operation name=\"" + operation + "\">"), operation);
            }
            assertTrue(wsdl.toString().contains("name=\"TenancyFault\""));
            assertTrue(wsdl.toString().contains("name=\"ReleaseService\""));
        } finally {
            bus.shutdown(true);
        }
    }

    @Test
    void anOsResourceCarriesItsReleaseAndMarshals() throws Exception {
        ReleaseDtos.OsResource dto = ReleasePortImpl.resource(
                new Releases.OsResource("stable", "1.4.2", true, release(), "release-service", DETECTED));

        assertTrue(dto.latest);
        assertEquals("release-service", dto.importedBy);
        assertEquals("IMMUTABLE", dto.release.osType);
        assertEquals("WEBHOOK", dto.release.source);
        assertEquals("VERIFIED", dto.release.status);
        assertEquals("2026-11-20T10:15:30Z", dto.release.detectedAt);
        assertEquals(List.of("CVE-2025-1111", "CVE-2025-2222"), dto.release.fixedCves);

        StringWriter xml = new StringWriter();
        JAXBContext.newInstance(ReleaseDtos.OsResource.class).createMarshaller().marshal(
                new JAXBElement<>(new QName(PlatformService.NAMESPACE, "resource"), ReleaseDtos.OsResource.class, dto), xml);
        assertTrue(xml.toString().contains("<knownCve>CVE-2026-0001</knownCve>"), xml.toString());
        assertTrue(xml.toString().contains("<fixedCve>CVE-2025-1111</fixedCve><fixedCve>CVE-2025-2222</fixedCve>"),
                xml.toString());
    }

    @Test
    void aRejectionNamesItsOutcomeAndReason() {
        ReleaseDtos.ReleaseEvent dto = ReleasePortImpl.event(new Releases.ReleaseEvent(7, DETECTED,
                Releases.DetectionSource.POLL, "releases/edge-os", "1.4.3", "sha256:ef", null, null,
                Releases.EventOutcome.REJECTED, Releases.EventReason.UNKNOWN_SIGNER, "signed by CN=someone else"));

        assertEquals("REJECTED", dto.outcome);
        assertEquals("UNKNOWN_SIGNER", dto.reason);
        assertEquals("POLL", dto.source);
        assertNull(dto.version);
    }

    @Test
    void aSpecTakesModesInAnyCaseAndAbsentFieldsStayAbsent() {
        ReleaseDtos.OsProfileSpec in = new ReleaseDtos.OsProfileSpec();
        in.versionRange = "^1.4.0";
        in.mode = "manual";
        assertEquals(new Releases.ProfileSpec(null, "^1.4.0", Releases.ProfileMode.MANUAL, null, null),
                ReleasePortImpl.spec(in));
        assertEquals(new Releases.ProfileSpec(null, null, null, null, null), ReleasePortImpl.spec(null));

        in.mode = "sometimes";
        TenancyException e = assertThrows(TenancyException.class, () -> ReleasePortImpl.spec(in));
        assertEquals(TenancyException.Reason.INVALID, e.reason());
        assertEquals("mode", e.field());
        assertTrue(e.getMessage().contains("[AUTOMATIC, MANUAL]"), e.getMessage());
    }
}
