package org.edgeorch.rest.internal;

import java.util.List;
import java.util.Locale;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.Schedules;
import org.edgeorch.scheduling.Schedules.PolicySpec;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.scheduling.Schedules.WindowDefinition;
import org.edgeorch.scheduling.Schedules.WindowUpdate;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Maintenance windows and update policies on a project's regions, sites, clusters and hosts, and what one host gets
 * from them. Rooted at "/" (see FleetResource).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "schedules", description = "Maintenance windows, update policies, and each host's schedule")
public class ScheduleResource {

    private final ScheduleService schedules;

    @Context
    HttpServletRequest servletRequest;

    public ScheduleResource(ScheduleService schedules) {
        this.schedules = schedules;
    }

    // ---- windows ------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/windows")
    @Operation(summary = "The project's maintenance windows by name; targetType alone lists those on targets of that type,"
            + " with target those on that one target")
    public List<Schedules.Window> windows(@PathParam("project") String project,
                                          @Parameter(description = "REGION, SITE, CLUSTER or HOST")
                                          @QueryParam("targetType") String targetType,
                                          @Parameter(description = "a target's name; needs targetType")
                                          @QueryParam("target") String target) {
        return schedules.windows(Callers.of(servletRequest), project,
                targetType == null || targetType.isBlank() ? null : FleetResource.parse(TargetType.class, "targetType", targetType),
                target);
    }

    @POST
    @Path("projects/{project}/windows")
    @Operation(summary = "Create a maintenance window on a region, site, cluster or host: single (start, optional end) or"
            + " repeated (cron, zone, duration) (CONFIG_WRITE)")
    public Response createWindow(@PathParam("project") String project, Bodies.Window body) {
        Bodies.required(body);
        Schedules.Window created = schedules.createWindow(Callers.of(servletRequest), project, new WindowDefinition(
                body.name(), body.target(), body.start(), body.end(), body.cron(), body.zone(), body.duration()));
        return Response.created(ReleaseResource.location("projects/{project}/windows/{name}", project, created.name()))
                .entity(created).build();
    }

    @GET
    @Path("projects/{project}/windows/{name}")
    @Operation(summary = "One maintenance window")
    public Schedules.Window window(@PathParam("project") String project, @PathParam("name") String name) {
        return schedules.window(Callers.of(servletRequest), project, name);
    }

    @PATCH
    @Path("projects/{project}/windows/{name}")
    @Operation(summary = "Change a maintenance window: its timing, its kind (start makes it single, cron repeated) or its"
            + " target (CONFIG_WRITE)")
    public Schedules.Window updateWindow(@PathParam("project") String project, @PathParam("name") String name,
                                         Bodies.WindowUpdate body) {
        Bodies.required(body);
        return schedules.updateWindow(Callers.of(servletRequest), project, name, new WindowUpdate(body.target(),
                body.start(), body.end(), body.cron(), body.zone(), body.duration()));
    }

    @DELETE
    @Path("projects/{project}/windows/{name}")
    @Operation(summary = "Delete a maintenance window (CONFIG_WRITE)")
    public Response deleteWindow(@PathParam("project") String project, @PathParam("name") String name) {
        schedules.deleteWindow(Callers.of(servletRequest), project, name);
        return Response.noContent().build();
    }

    // ---- update policies ----------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/policies")
    @Operation(summary = "The project's update policies, by target type (region, site, cluster, host), then target name")
    public List<Schedules.Policy> policies(@PathParam("project") String project) {
        return schedules.policies(Callers.of(servletRequest), project);
    }

    @PUT
    @Path("projects/{project}/policies/{targetType}/{target}")
    @Operation(summary = "Set the update policy of a region, site, cluster or host, replacing the one it had: LATEST"
            + " follows the newest OS resource of an OS profile, TARGET pins one (CONFIG_WRITE)")
    public Schedules.Policy setPolicy(@PathParam("project") String project,
                                      @Parameter(description = "region, site, cluster or host")
                                      @PathParam("targetType") String targetType,
                                      @PathParam("target") String target, Bodies.Policy body) {
        Bodies.required(body);
        return schedules.setPolicy(Callers.of(servletRequest), project, new Target(targetType(targetType), target),
                new PolicySpec(body.kind(), body.profile(), body.version()));
    }

    @DELETE
    @Path("projects/{project}/policies/{targetType}/{target}")
    @Operation(summary = "Remove the update policy of a region, site, cluster or host (CONFIG_WRITE)")
    public Response clearPolicy(@PathParam("project") String project,
                                @Parameter(description = "region, site, cluster or host")
                                @PathParam("targetType") String targetType,
                                @PathParam("target") String target) {
        schedules.clearPolicy(Callers.of(servletRequest), project, new Target(targetType(targetType), target));
        return Response.noContent().build();
    }

    // ---- one host -----------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/hosts/{host}/schedule")
    @Operation(summary = "A host's maintenance windows (its own, its site's, its site's regions', its clusters') with where"
            + " each comes from, whether one is open now and when the next opens; its effective update policy and the OS"
            + " version it asks for, or why none")
    public Schedules.HostSchedule hostSchedule(@PathParam("project") String project, @PathParam("host") String host) {
        return schedules.hostSchedule(Callers.of(servletRequest), project, host);
    }

    /**
     * A path segment naming a kind of target. Anything else names no resource: 404, which is also what a caller
     * without the project would get, so nothing is said about the project before the service has authorised.
     */
    static TargetType targetType(String segment) {
        try {
            return TargetType.valueOf(segment.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(Response.Status.NOT_FOUND, "not_found", "no target type '" + segment
                    + "': policies are at policies/{region|site|cluster|host}/{name}", List.of());
        }
    }
}
