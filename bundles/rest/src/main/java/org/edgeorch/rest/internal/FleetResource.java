package org.edgeorch.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.HostStatus;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Regions, sites, clusters and hosts of a project. Rooted at "/" like the other resources: JAX-RS chooses one
 * root resource class per request, and a more specific root path would hide the others' methods.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "fleet", description = "Regions, sites, clusters and hosts")
public class FleetResource {

    static final String CSV = "text/csv";

    private final FleetService fleet;

    @Context
    HttpServletRequest servletRequest;

    public FleetResource(FleetService fleet) {
        this.fleet = fleet;
    }

    @GET
    @Path("projects/{project}/regions")
    @Operation(summary = "Regions of the project")
    public List<Fleet.Region> regions(@PathParam("project") String project) {
        return fleet.regions(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/regions")
    @Operation(summary = "Create a region, optionally inside a parent region (CONFIG_WRITE)")
    public Response createRegion(@PathParam("project") String project, Bodies.Region body) {
        Bodies.required(body);
        Fleet.Region created = fleet.createRegion(Callers.of(servletRequest), project, body.name(), body.parent(), body.metadata());
        return Response.created(ReleaseResource.location("projects/{project}/regions/{name}", project, created.name()))
                .entity(created).build();
    }

    @PATCH
    @Path("projects/{project}/regions/{region}")
    @Operation(summary = "Move a region to another parent and/or replace its metadata; its hosts are relabelled (CONFIG_WRITE)")
    public Fleet.Region updateRegion(@PathParam("project") String project, @PathParam("region") String region,
                                     Bodies.RegionUpdate body) {
        Bodies.required(body);
        return fleet.updateRegion(Callers.of(servletRequest), project, region, new Fleet.RegionUpdate(body.parent(), body.metadata()));
    }

    @DELETE
    @Path("projects/{project}/regions/{region}")
    @Operation(summary = "Delete a region without sub-regions or sites; 409 otherwise (CONFIG_WRITE)")
    public Response deleteRegion(@PathParam("project") String project, @PathParam("region") String region) {
        fleet.deleteRegion(Callers.of(servletRequest), project, region);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/clusters")
    @Operation(summary = "Clusters of the project with their hosts")
    public List<Fleet.Cluster> clusters(@PathParam("project") String project) {
        return fleet.clusters(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/clusters")
    @Operation(summary = "Create a cluster of existing hosts from a template (CONFIG_WRITE)")
    public Response createCluster(@PathParam("project") String project, Bodies.Cluster body) {
        Bodies.required(body);
        Fleet.Cluster created = fleet.createCluster(Callers.of(servletRequest), project, body.name(), body.template(),
                body.hosts(), body.metadata());
        return Response.created(ReleaseResource.location("projects/{project}/clusters/{name}", project, created.name()))
                .entity(created).build();
    }

    @POST
    @Path("projects/{project}/clusters/{cluster}/hosts")
    @Operation(summary = "Add existing hosts to a cluster (CONFIG_WRITE)")
    public Fleet.Cluster addClusterHosts(@PathParam("project") String project, @PathParam("cluster") String cluster,
                                         Bodies.ClusterHosts body) {
        Bodies.required(body);
        return fleet.addClusterHosts(Callers.of(servletRequest), project, cluster, body.hosts());
    }

    @PATCH
    @Path("projects/{project}/clusters/{cluster}")
    @Operation(summary = "Change a cluster's template and/or replace its metadata (CONFIG_WRITE)")
    public Fleet.Cluster updateCluster(@PathParam("project") String project, @PathParam("cluster") String cluster,
                                       Bodies.ClusterUpdate body) {
        Bodies.required(body);
        return fleet.updateCluster(Callers.of(servletRequest), project, cluster,
                new Fleet.ClusterUpdate(body.template(), body.metadata()));
    }

    @DELETE
    @Path("projects/{project}/clusters/{cluster}")
    @Operation(summary = "Delete a cluster; its hosts stay (CONFIG_WRITE)")
    public Response deleteCluster(@PathParam("project") String project, @PathParam("cluster") String cluster) {
        fleet.deleteCluster(Callers.of(servletRequest), project, cluster);
        return Response.noContent().build();
    }

    @DELETE
    @Path("projects/{project}/clusters/{cluster}/hosts/{host}")
    @Operation(summary = "Remove a host from a cluster; the host stays (CONFIG_WRITE)")
    public Fleet.Cluster removeClusterHost(@PathParam("project") String project, @PathParam("cluster") String cluster,
                                           @PathParam("host") String host) {
        return fleet.removeClusterHosts(Callers.of(servletRequest), project, cluster, List.of(host));
    }

    @GET
    @Path("projects/{project}/sites")
    @Operation(summary = "Sites of the project")
    public List<Fleet.Site> sites(@PathParam("project") String project) {
        return fleet.sites(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/sites")
    @Operation(summary = "Create a site (CONFIG_WRITE)")
    public Response createSite(@PathParam("project") String project, Bodies.Site body) {
        Bodies.required(body);
        Fleet.Site created = fleet.createSite(Callers.of(servletRequest), project, body.name(), body.region(), body.address(),
                body.latitude(), body.longitude(), body.metadata());
        return Response.created(ReleaseResource.location("projects/{project}/sites/{name}", project, created.name()))
                .entity(created).build();
    }

    @PATCH
    @Path("projects/{project}/sites/{site}")
    @Operation(summary = "Change a site's region, address, coordinates and/or metadata; its hosts are relabelled (CONFIG_WRITE)")
    public Fleet.Site updateSite(@PathParam("project") String project, @PathParam("site") String site, Bodies.SiteUpdate body) {
        Bodies.required(body);
        return fleet.updateSite(Callers.of(servletRequest), project, site, new Fleet.SiteUpdate(body.region(), body.address(),
                body.latitude(), body.longitude(), body.metadata()));
    }

    @DELETE
    @Path("projects/{project}/sites/{site}")
    @Operation(summary = "Delete a site without hosts; 409 otherwise (CONFIG_WRITE)")
    public Response deleteSite(@PathParam("project") String project, @PathParam("site") String site) {
        fleet.deleteSite(Callers.of(servletRequest), project, site);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/hosts")
    @Operation(summary = "Hosts of the project, filtered, sorted and paged")
    public Fleet.HostPage hosts(@PathParam("project") String project,
                                @QueryParam("status") String status, @QueryParam("site") String site,
                                @Parameter(description = "Includes sub-regions") @QueryParam("region") String region,
                                @Parameter(description = "key=value on effective metadata; repeatable") @QueryParam("meta") List<String> meta,
                                @Parameter(description = "Part of name, serial number or UUID") @QueryParam("text") String text,
                                @Parameter(description = "NAME, STATUS, CREATED_AT or LAST_SEEN_AT") @QueryParam("sort") String sort,
                                @Parameter(description = "asc or desc") @QueryParam("order") @DefaultValue("asc") String order,
                                @QueryParam("offset") @DefaultValue("0") String offset,
                                @QueryParam("limit") @DefaultValue("50") String limit) {
        Fleet.HostQuery query = new Fleet.HostQuery(
                status == null ? null : parse(HostStatus.class, "status", status), site, region, metadata(meta), text,
                sort == null ? null : parse(Fleet.SortField.class, "sort", sort), descending(order),
                ProjectResource.integer("offset", offset), ProjectResource.integer("limit", limit));
        return fleet.hosts(Callers.of(servletRequest), project, query);
    }

    @POST
    @Path("projects/{project}/hosts")
    @Operation(summary = "Pre-register a host by serial number and/or UUID (HOST_REGISTER)")
    public Response register(@PathParam("project") String project, Bodies.Host body) {
        Bodies.required(body);
        Fleet.Host created = fleet.registerHost(Callers.of(servletRequest), project,
                new Fleet.HostRegistration(body.name(), body.serialNumber(), body.uuid(), body.site(), body.metadata(),
                        Boolean.TRUE.equals(body.autoOnboard())));
        return Response.created(ReleaseResource.location("projects/{project}/hosts/{name}", project, created.name()))
                .entity(created).build();
    }

    @POST
    @Path("projects/{project}/hosts/import")
    @Consumes(CSV)
    @Operation(summary = "Register the hosts of a CSV document (name,serial,uuid,site,meta.<key>): all or none; "
            + "400 lists each wrong line")
    public Response importHosts(@PathParam("project") String project, String csv) {
        Fleet.ImportResult result = fleet.importHosts(Callers.of(servletRequest), project, csv);
        if (!result.errors().isEmpty()) {
            List<ApiError.FieldError> fields = result.errors().stream()
                    .map(e -> new ApiError.FieldError("line " + e.line(), e.message())).toList();
            throw new ApiException(Response.Status.BAD_REQUEST, "invalid_csv",
                    "nothing was registered: " + fields.size() + " line(s) are wrong", fields);
        }
        return Response.status(Response.Status.CREATED).entity(Map.of("created", result.created())).build();
    }

    @GET
    @Path("projects/{project}/hosts/{host}")
    @Operation(summary = "One host with its own and effective metadata")
    public Fleet.Host host(@PathParam("project") String project, @PathParam("host") String host) {
        return fleet.host(Callers.of(servletRequest), project, host);
    }

    @PATCH
    @Path("projects/{project}/hosts/{host}")
    @Operation(summary = "Move a host to another site and/or replace its own metadata (HOST_WRITE)")
    public Fleet.Host updateHost(@PathParam("project") String project, @PathParam("host") String host, Bodies.HostUpdate body) {
        Bodies.required(body);
        return fleet.updateHost(Callers.of(servletRequest), project, host, new Fleet.HostUpdate(body.site(), body.metadata(),
                body.serialNumber()));
    }

    private static Map<String, String> metadata(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs == null ? new ArrayList<String>() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw ApiException.badParameter("meta", "'" + pair + "' must be key=value");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    private static boolean descending(String order) {
        return switch (order.toLowerCase(Locale.ROOT)) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw ApiException.badParameter("order", "'" + order + "' is not asc or desc");
        };
    }

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(field, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
