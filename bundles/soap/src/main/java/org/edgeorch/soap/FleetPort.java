package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;
import javax.xml.bind.annotation.XmlElement;

/** Regions, sites, clusters and hosts over SOAP, with the same authorisation as REST and the shell. */
@WebService(name = "FleetService", targetNamespace = PlatformService.NAMESPACE)
public interface FleetPort {

    @WebMethod
    @WebResult(name = "region")
    List<FleetDtos.Region> listRegions(@XmlElement(required = true) @WebParam(name = "project") String project) throws TenancyFault;

    @WebMethod
    @WebResult(name = "region")
    FleetDtos.Region createRegion(@XmlElement(required = true) @WebParam(name = "project") String project, @WebParam(name = "region") FleetDtos.Region region)
            throws TenancyFault;

    /** Moves a region and/or replaces its metadata; a parent inside the region is refused (INVALID). */
    @WebMethod
    @WebResult(name = "region")
    FleetDtos.Region updateRegion(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name,
                                  @WebParam(name = "update") FleetDtos.RegionUpdate update) throws TenancyFault;

    /** Deletes a region; CONFLICT while it has sub-regions or sites. */
    @WebMethod
    void deleteRegion(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "site")
    List<FleetDtos.Site> listSites(@XmlElement(required = true) @WebParam(name = "project") String project) throws TenancyFault;

    @WebMethod
    @WebResult(name = "site")
    FleetDtos.Site createSite(@XmlElement(required = true) @WebParam(name = "project") String project, @WebParam(name = "site") FleetDtos.Site site)
            throws TenancyFault;

    @WebMethod
    @WebResult(name = "site")
    FleetDtos.Site updateSite(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name,
                              @WebParam(name = "update") FleetDtos.SiteUpdate update) throws TenancyFault;

    /** Deletes a site; CONFLICT while hosts belong to it. */
    @WebMethod
    void deleteSite(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "cluster")
    FleetDtos.Cluster updateCluster(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name,
                                    @WebParam(name = "update") FleetDtos.ClusterUpdate update) throws TenancyFault;

    /** Removes hosts from a cluster, all or none; the hosts stay in the project. */
    @WebMethod
    @WebResult(name = "cluster")
    FleetDtos.Cluster removeClusterHosts(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "cluster") String cluster,
                                         @WebParam(name = "host") List<String> hosts) throws TenancyFault;

    /** Deletes a cluster; its hosts stay. */
    @WebMethod
    void deleteCluster(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    /** Pre-registers a host (name, serialNumber and/or uuid, site, metadata). */
    @WebMethod
    @WebResult(name = "host")
    FleetDtos.Host registerHost(@XmlElement(required = true) @WebParam(name = "project") String project, @WebParam(name = "host") FleetDtos.Host host)
            throws TenancyFault;

    @WebMethod
    @WebResult(name = "page")
    FleetDtos.HostPage listHosts(@XmlElement(required = true) @WebParam(name = "project") String project, @WebParam(name = "status") String status,
                                 @WebParam(name = "site") String site, @WebParam(name = "region") String region,
                                 @WebParam(name = "text") String text, @WebParam(name = "offset") int offset,
                                 @WebParam(name = "limit") int limit) throws TenancyFault;

    /** Moves a host to another site and/or replaces its own metadata. */
    @WebMethod
    @WebResult(name = "host")
    FleetDtos.Host updateHost(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name,
                              @WebParam(name = "update") FleetDtos.HostUpdate update) throws TenancyFault;

    @WebMethod
    @WebResult(name = "host")
    FleetDtos.Host getHost(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;
}
