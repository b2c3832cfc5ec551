package org.edgeorch.rest.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;

import org.edgeorch.observability.TelemetryService;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A host's telemetry history: one metric over a range with a step, a series per device. */
@Path("/")
@Tag(name = "telemetry", description = "Hosts' CPU, load, memory, file systems, network and temperatures over time")
public class TelemetryResource {

    private static final Pattern STEP = Pattern.compile("(\\d{1,7})([smhd]?)");

    private final TelemetryService telemetry;

    @Context
    HttpServletRequest servletRequest;

    public TelemetryResource(TelemetryService telemetry) {
        this.telemetry = telemetry;
    }

    @GET
    @Path("projects/{project}/hosts/{host}/metrics")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One metric of a host over a range: min, avg and max per step and device (PROJECT_READ)")
    public TelemetryService.Series series(@PathParam("project") String project, @PathParam("host") String host,
                                          @Parameter(description = "cpu.usage.percent, load.1, memory.used.percent, "
                                                  + "fs.used.percent, net.rx.bytes, temperature.celsius, ...")
                                          @QueryParam("name") String name,
                                          @Parameter(description = "ISO-8601 instant; default an hour before to") @QueryParam("from") String from,
                                          @Parameter(description = "ISO-8601 instant; default now") @QueryParam("to") String to,
                                          @Parameter(description = "seconds, or with a unit: 30s, 5m, 1h, 1d") @QueryParam("step") String step) {
        return telemetry.query(Callers.of(servletRequest), project, host, name, EventResource.instant("from", from),
                EventResource.instant("to", to), step(step));
    }

    @Schema(name = "TelemetrySettingsRequest", description = "How often the project's hosts sample their telemetry")
    record SettingsBody(@Schema(description = "seconds between two samples, 10 to 3600") Integer intervalSeconds) {
    }

    @GET
    @Path("projects/{project}/telemetry-settings")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "How often the project's hosts sample their telemetry (PROJECT_READ)")
    public TelemetryService.Settings settings(@PathParam("project") String project) {
        return telemetry.settings(Callers.of(servletRequest), project);
    }

    @PUT
    @Path("projects/{project}/telemetry-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set how often the project's hosts sample their telemetry; each host gets it with its next sync"
            + " (CONFIG_WRITE)")
    public TelemetryService.Settings configure(@PathParam("project") String project, SettingsBody body) {
        Bodies.required(body);
        return telemetry.configure(Callers.of(servletRequest), project, body.intervalSeconds());
    }

    static Duration step(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = STEP.matcher(value.strip());
        if (!m.matches()) {
            throw ApiException.badParameter("step", "a step is seconds or a number with s, m, h or d (such as 5m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
