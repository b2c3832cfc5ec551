package org.edgeorch.fleet;

import java.util.List;
import java.util.Map;

import org.edgeorch.fleet.Fleet.HostPage;
import org.edgeorch.fleet.Fleet.HostQuery;
import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.Fleet.ImportResult;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Regions, sites, clusters and hosts of a project. Refusals are {@link org.edgeorch.tenancy.TenancyException}s,
 * like every other domain service: NOT_FOUND, FORBIDDEN, CONFLICT or INVALID with the field.
 */
@ProviderType
public interface FleetService {

    Fleet.Region createRegion(Caller caller, String project, String name, String parent, Map<String, String> metadata);

    List<Fleet.Region> regions(Caller caller, String project);

    /**
     * Changes a region's parent and/or metadata (CONFIG_WRITE). A parent inside the region itself is
     * refused (INVALID, field {@code parent}). Hosts below the region get their effective metadata anew.
     */
    Fleet.Region updateRegion(Caller caller, String project, String name, Fleet.RegionUpdate update);

    /** Deletes a region (CONFIG_WRITE); refused with CONFLICT while it has sub-regions or sites. */
    void deleteRegion(Caller caller, String project, String name);

    Fleet.Site createSite(Caller caller, String project, String name, String region, String address, Double latitude,
                          Double longitude, Map<String, String> metadata);

    List<Fleet.Site> sites(Caller caller, String project);

    /**
     * Changes a site's region, address, coordinates and/or metadata (CONFIG_WRITE). The site's hosts get
     * their effective metadata anew.
     */
    Fleet.Site updateSite(Caller caller, String project, String name, Fleet.SiteUpdate update);

    /** Deletes a site (CONFIG_WRITE); refused with CONFLICT while hosts belong to it. */
    void deleteSite(Caller caller, String project, String name);

    /** Creates a cluster of existing hosts of the project (CONFIG_WRITE). */
    Fleet.Cluster createCluster(Caller caller, String project, String name, String template, List<String> hosts,
                                Map<String, String> metadata);

    List<Fleet.Cluster> clusters(Caller caller, String project);

    /** Adds existing hosts of the project to a cluster (CONFIG_WRITE); hosts already in it are refused. */
    Fleet.Cluster addClusterHosts(Caller caller, String project, String cluster, List<String> hosts);

    /** Changes a cluster's template and/or metadata (CONFIG_WRITE). */
    Fleet.Cluster updateCluster(Caller caller, String project, String name, Fleet.ClusterUpdate update);

    /**
     * Removes hosts from a cluster (CONFIG_WRITE), all or none: a host that is not in it is refused
     * (NOT_FOUND). The hosts themselves stay.
     */
    Fleet.Cluster removeClusterHosts(Caller caller, String project, String cluster, List<String> hosts);

    /** Deletes a cluster (CONFIG_WRITE): its memberships go, its hosts stay. */
    void deleteCluster(Caller caller, String project, String name);

    /** Pre-registers a host by serial number and/or UUID (needs HOST_REGISTER). */
    Fleet.Host registerHost(Caller caller, String project, HostRegistration registration);

    /**
     * Registers the hosts of a CSV document with the header {@code name,serial,uuid,site} and optional
     * further columns {@code meta.<key>}. Every line is checked first; if any is wrong, nothing is
     * registered and each wrong line is reported.
     */
    ImportResult importHosts(Caller caller, String project, String csv);

    HostPage hosts(Caller caller, String project, HostQuery query);

    Fleet.Host host(Caller caller, String project, String name);

    /**
     * Moves a host to another site and/or replaces its own metadata (HOST_WRITE); its effective metadata
     * is computed anew.
     */
    Fleet.Host updateHost(Caller caller, String project, String name, Fleet.HostUpdate update);
}
