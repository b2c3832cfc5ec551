package org.edgeorch.soap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;

import javax.wsdl.factory.WSDLFactory;
import javax.xml.stream.XMLStreamException;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.jaxws.support.JaxWsServiceFactoryBean;
import org.apache.cxf.service.Service;
import org.apache.cxf.wsdl11.ServiceWSDLBuilder;
import org.edgeorch.soap.NotFoundFault;
import org.edgeorch.soap.TenancyFault;
import org.junit.jupiter.api.Test;

/** Which faults are the caller's, and what their text may show. */
class SoapFaultsTest {

    @Test
    void theCallersMistakesAreClientFaults() {
        assertTrue(SoapFaults.isClient(new Fault(new TenancyFault("project 'x' does not exist", new TenancyFault.Info()))));
        assertTrue(SoapFaults.isClient(new Fault(new NotFoundFault("plugin 'x' does not exist"))));
        assertTrue(SoapFaults.isClient(new Fault(new XMLStreamException("unexpected end of input"))));
        assertTrue(SoapFaults.isClient(new Fault(new RequiredParameterInterceptor.MissingParameter("project"), Fault.FAULT_CODE_CLIENT)));
        assertTrue(SoapFaults.isClient(new Fault(new EnvelopeLimitInterceptor.TooLarge(1024))));
        assertTrue(SoapFaults.isClient(new SoapFault("must understand", new javax.xml.namespace.QName(
                "http://schemas.xmlsoap.org/soap/envelope/", "Client"))));
        assertFalse(SoapFaults.isClient(new Fault(new NullPointerException("Cannot invoke \"String.trim()\""))));
        assertFalse(SoapFaults.isClient(new Fault(new IllegalStateException("database down"))));
    }

    @Test
    void aLongInputIsNeverEchoedWhole() {
        String message = SoapFaults.safe("project '" + "x".repeat(10_000) + "' does not exist");
        assertEquals("project '" + "x".repeat(40) + "…' does not exist", message);
        assertTrue(SoapFaults.safe("Unmarshalling Error: Not a number: " + "9".repeat(5_000)).length() <= 301);
        assertEquals("name 'a?b' is invalid", SoapFaults.safe("name 'a\u0000b' is invalid"));
        assertEquals("plugin 'nope' does not exist", SoapFaults.safe("plugin 'nope' does not exist"));
        assertEquals("release " + "q".repeat(40) + "… 1.0 does not exist", SoapFaults.safe("release " + "q".repeat(5_000) + " 1.0 does not exist"));
        String digest = "sha256:" + "a".repeat(64);
        assertEquals("image " + digest + " differs", SoapFaults.safe("image " + digest + " differs"));
        assertEquals("the request was refused", SoapFaults.safe(null));
    }

    @Test
    void requiredParametersAreRequiredInTheWsdl() throws Exception {
        Bus bus = BusFactory.newInstance().createBus();
        try {
            JaxWsServiceFactoryBean factory = new JaxWsServiceFactoryBean();
            factory.setBus(bus);
            factory.setServiceClass(FleetPortImpl.class);
            Service service = factory.create();
            StringWriter wsdl = new StringWriter();
            WSDLFactory.newInstance().newWSDLWriter().writeWSDL(new ServiceWSDLBuilder(bus, service.getServiceInfos()).build(), wsdl);
            String text = wsdl.toString();
            String listHosts = text.substring(text.indexOf("<xs:complexType name=\"listHosts\">"));
            listHosts = listHosts.substring(0, listHosts.indexOf("</xs:complexType>"));
            assertTrue(listHosts.contains("<xs:element name=\"project\" type=\"xs:string\"/>"), listHosts);
            assertTrue(listHosts.contains("<xs:element minOccurs=\"0\" name=\"site\" type=\"xs:string\"/>"), listHosts);
        } finally {
            bus.shutdown(true);
        }
    }
}
