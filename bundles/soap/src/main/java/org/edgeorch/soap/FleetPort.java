package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;

/** Regions, sites and hosts over SOAP, with the same authorisation as REST and the shell. */
@WebService(name = "FleetService", targetNamespace = PlatformService.NAMESPACE)
public interface FleetPort {

    @WebMethod
    @WebResult(name = "region")
    List<FleetDtos.Region> listRegions(@WebParam(name = "project") String project) throws TenancyFault;

    @WebMethod
    @WebResult(name = "region")
    FleetDtos.Region createRegion(@WebParam(name = "project") String project, @WebParam(name = "region") FleetDtos.Region region)
            throws TenancyFault;

    @WebMethod
    @WebResult(name = "site")
    List<FleetDtos.Site> listSites(@WebParam(name = "project") String project) throws TenancyFault;

    @WebMethod
    @WebResult(name = "site")
    FleetDtos.Site createSite(@WebParam(name = "project") String project, @WebParam(name = "site") FleetDtos.Site site)
            throws TenancyFault;

    /** Pre-registers a host (name, serialNumber and/or uuid, site, metadata). */
    @WebMethod
    @WebResult(name = "host")
    FleetDtos.Host registerHost(@WebParam(name = "project") String project, @WebParam(name = "host") FleetDtos.Host host)
            throws TenancyFault;

    @WebMethod
    @WebResult(name = "page")
    FleetDtos.HostPage listHosts(@WebParam(name = "project") String project, @WebParam(name = "status") String status,
                                 @WebParam(name = "site") String site, @WebParam(name = "region") String region,
                                 @WebParam(name = "text") String text, @WebParam(name = "offset") int offset,
                                 @WebParam(name = "limit") int limit) throws TenancyFault;

    @WebMethod
    @WebResult(name = "host")
    FleetDtos.Host getHost(@WebParam(name = "project") String project, @WebParam(name = "name") String name) throws TenancyFault;
}
