package org.edgeorch.rest.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.fleet.HostStatus;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.scheduling.rollout.Rollouts;
import org.edgeorch.scheduling.rollout.Rollouts.FailureAction;
import org.edgeorch.scheduling.rollout.Rollouts.HostSelection;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutSpec;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.RunQuery;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Rollouts of a project and the update runs they and update policies make. Rooted at "/" (see FleetResource). The
 * request bodies are here rather than in {@link Bodies}, as the rollout's own.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "rollouts", description = "Rollouts in waves and update runs")
public class RolloutResource {

    private final RolloutService rollouts;

    @Context
    HttpServletRequest servletRequest;

    public RolloutResource(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    /**
     * A rollout to create. {@code hosts} is either {@code names} or a filter.
     */
    @Schema(name = "RolloutRequest")
    record RolloutRequest(String name, String description, String osProfile, String version, Hosts hosts, List<Wave> waves,
                          @Schema(description = "PAUSE (default) or ABORT") FailureAction onFailure) {
    }

    @Schema(name = "RolloutHosts", description = "Host names, or a filter over the project's hosts (an empty filter: all)")
    record Hosts(List<String> names, HostStatus status, String site, String region, Map<String, String> metadata,
                 String text) {
    }

    @Schema(name = "RolloutWave", description = "count or percent (the last wave may omit both: the rest); durations are"
            + " ISO-8601, such as PT30M")
    record Wave(Integer count, Integer percent, Boolean spreadAcrossSites, Integer successPercent, Integer failurePercent,
                Integer failureMinFinished, String soak, String hostTimeout) {
    }

    @POST
    @Path("projects/{project}/rollouts")
    @Operation(summary = "Create a rollout: its hosts are resolved now and assigned to waves; it starts READY (CONFIG_WRITE)")
    public Response create(@PathParam("project") String project, RolloutRequest body) {
        Rollouts.Rollout created = rollouts.create(Callers.of(servletRequest), project, spec(body));
        return Response.created(ReleaseResource.location("projects/{project}/rollouts/{name}", project, created.name()))
                .entity(created).build();
    }

    @GET
    @Path("projects/{project}/rollouts")
    @Operation(summary = "Rollouts of the project, newest first, with their waves and counts")
    public List<Rollouts.Rollout> list(@PathParam("project") String project,
                                       @Parameter(description = "CREATING, READY, RUNNING, PAUSED, FINISHED or ABORTED")
                                       @QueryParam("state") String state,
                                       @QueryParam("offset") @DefaultValue("0") String offset,
                                       @QueryParam("limit") @DefaultValue("50") String limit) {
        return rollouts.rollouts(Callers.of(servletRequest), project,
                state == null ? null : FleetResource.parse(RolloutState.class, "state", state),
                ProjectResource.integer("offset", offset), ProjectResource.integer("limit", limit));
    }

    @GET
    @Path("projects/{project}/rollouts/{name}")
    @Operation(summary = "One rollout with its waves: state, thresholds, and succeeded, failed and pending hosts")
    public Rollouts.Rollout get(@PathParam("project") String project, @PathParam("name") String name) {
        return rollouts.rollout(Callers.of(servletRequest), project, name);
    }

    @POST
    @Path("projects/{project}/rollouts/{name}/start")
    @Operation(summary = "Start a READY rollout: its first wave's hosts are told to update (OPERATE)")
    public Rollouts.Rollout start(@PathParam("project") String project, @PathParam("name") String name) {
        return rollouts.start(Callers.of(servletRequest), project, name);
    }

    @POST
    @Path("projects/{project}/rollouts/{name}/pause")
    @Operation(summary = "Pause a RUNNING rollout: no further wave starts; hosts under way carry on (OPERATE)")
    public Rollouts.Rollout pause(@PathParam("project") String project, @PathParam("name") String name) {
        return rollouts.pause(Callers.of(servletRequest), project, name);
    }

    @POST
    @Path("projects/{project}/rollouts/{name}/resume")
    @Operation(summary = "Resume a PAUSED rollout, accepting the failures that paused it (OPERATE)")
    public Rollouts.Rollout resume(@PathParam("project") String project, @PathParam("name") String name) {
        return rollouts.resume(Callers.of(servletRequest), project, name);
    }

    @POST
    @Path("projects/{project}/rollouts/{name}/abort")
    @Operation(summary = "Abort a rollout for good: unfinished update runs fail and their hosts are no longer told to"
            + " update (OPERATE)")
    public Rollouts.Rollout abort(@PathParam("project") String project, @PathParam("name") String name) {
        return rollouts.abort(Callers.of(servletRequest), project, name);
    }

    @GET
    @Path("projects/{project}/rollouts/{name}/runs")
    @Operation(summary = "The rollout's update runs by wave and host")
    public Rollouts.RunPage runs(@PathParam("project") String project, @PathParam("name") String name,
                                 @Parameter(description = "QUEUED, DOWNLOADING, DOWNLOADED, INSTALLING, REBOOTING, VERIFYING,"
                                         + " SUCCEEDED, ROLLED_BACK, FAILED or TIMED_OUT") @QueryParam("status") String status,
                                 @QueryParam("wave") String wave,
                                 @QueryParam("offset") @DefaultValue("0") String offset,
                                 @QueryParam("limit") @DefaultValue("100") String limit) {
        return rollouts.runs(Callers.of(servletRequest), project, name, new RunQuery(
                status == null ? null : FleetResource.parse(UpdateStatus.class, "status", status),
                wave == null ? null : ProjectResource.integer("wave", wave), ProjectResource.integer("offset", offset),
                ProjectResource.integer("limit", limit)));
    }

    @GET
    @Path("projects/{project}/hosts/{host}/update-runs")
    @Operation(summary = "A host's update runs, newest first, from rollouts and from its update policy")
    public Rollouts.RunPage hostRuns(@PathParam("project") String project, @PathParam("host") String host,
                                     @QueryParam("status") String status,
                                     @QueryParam("offset") @DefaultValue("0") String offset,
                                     @QueryParam("limit") @DefaultValue("100") String limit) {
        return rollouts.hostRuns(Callers.of(servletRequest), project, host, new RunQuery(
                status == null ? null : FleetResource.parse(UpdateStatus.class, "status", status), null,
                ProjectResource.integer("offset", offset), ProjectResource.integer("limit", limit)));
    }

    /**
     * The request as the service takes it. A missing body or part is passed on as missing: the service authorises
     * before it says what is wrong with the request, so another tenant's project is a 404 whatever is sent.
     */
    static RolloutSpec spec(RolloutRequest body) {
        if (body == null) {
            return null;
        }
        HostSelection hosts = body.hosts() == null ? null : new HostSelection(body.hosts().names(), body.hosts().status(),
                body.hosts().site(), body.hosts().region(), body.hosts().metadata(), body.hosts().text());
        List<WaveSpec> waves = new ArrayList<>();
        if (body.waves() != null) {
            for (int i = 0; i < body.waves().size(); i++) {
                Wave w = body.waves().get(i);
                waves.add(w == null ? null : new WaveSpec(w.count(), w.percent(), w.spreadAcrossSites(), w.successPercent(),
                        w.failurePercent(), w.failureMinFinished(), duration("waves[" + (i + 1) + "].soak", w.soak()),
                        duration("waves[" + (i + 1) + "].hostTimeout", w.hostTimeout())));
            }
        }
        return new RolloutSpec(body.name(), body.description(), body.osProfile(), body.version(), hosts, waves,
                body.onFailure());
    }

    private static Duration duration(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new TenancyException(Reason.INVALID, field, field + " '" + value + "' is not an ISO-8601 duration such as"
                    + " PT30M or PT2H");
        }
    }
}
