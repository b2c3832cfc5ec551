package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;
import javax.xml.bind.annotation.XmlElement;

/** Status and plugins of the orchestrator, for SOAP integrations. */
@WebService(name = "PlatformService", targetNamespace = PlatformService.NAMESPACE)
public interface PlatformService {

    String NAMESPACE = "urn:edgeorch:platform:v1";

    @WebMethod
    @WebResult(name = "status")
    StatusDto getStatus();

    @WebMethod
    @WebResult(name = "plugin")
    List<PluginDto> listPlugins();

    /** What one plugin reports now; a {@link NotFoundFault} when no plugin has that id. */
    @WebMethod
    @WebResult(name = "report")
    PluginReportDto getPluginReport(@XmlElement(required = true) @WebParam(name = "pluginId") String pluginId) throws NotFoundFault;
}
