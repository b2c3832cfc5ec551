package org.edgeorch.rest.internal;

import java.util.List;
import java.util.Locale;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.edgeorch.platform.PlatformStatus;
import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.PluginReport;
import org.edgeorch.platform.StatusService;
import org.edgeorch.spi.PluginKind;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Status of the runtime and the plugins it has. Thin: parse, call the platform, map. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "platform", description = "Runtime status and plugins")
public class PlatformResource {

    private final StatusService status;
    private final PluginRegistry plugins;

    public PlatformResource(StatusService status, PluginRegistry plugins) {
        this.status = status;
        this.plugins = plugins;
    }

    /** Liveness for load balancers: answers without a token and says nothing else. */
    @GET
    @Path("health")
    @Operation(summary = "Liveness; needs no token")
    public java.util.Map<String, String> health() {
        return java.util.Map.of("status", "UP");
    }

    @GET
    @Path("status")
    @Operation(summary = "Version, uptime, database and plugins of this runtime")
    public PlatformStatus status() {
        return status.status();
    }

    @GET
    @Path("plugins")
    @Operation(summary = "Hardware and OS plugins present now",
            responses = {@ApiResponse(responseCode = "200", description = "The plugins"),
                @ApiResponse(responseCode = "400", description = "Unknown kind",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public List<PluginInfo> plugins(
            @Parameter(description = "Only plugins of this kind: HARDWARE or OS") @QueryParam("kind") String kind) {
        if (kind == null || kind.isBlank()) {
            return plugins.plugins();
        }
        PluginKind wanted = parseKind(kind);
        return plugins.plugins().stream().filter(p -> p.kind() == wanted).toList();
    }

    @GET
    @Path("plugins/{id}")
    @Operation(summary = "One plugin and what it reports now",
            responses = {@ApiResponse(responseCode = "200", description = "The plugin's report"),
                @ApiResponse(responseCode = "404", description = "No plugin with this id",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public PluginReport plugin(@PathParam("id") String id) {
        return plugins.report(id).orElseThrow(() -> ApiException.notFound("plugin", id));
    }

    @GET
    @Path("inventory")
    @Operation(summary = "This host's hardware inventory from the primary hardware plugin",
            responses = {@ApiResponse(responseCode = "200", description = "The inventory"),
                @ApiResponse(responseCode = "404", description = "No hardware plugin is present",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public PluginReport inventory() {
        return plugins.plugins().stream()
                .filter(p -> p.kind() == PluginKind.HARDWARE)
                .findFirst()
                .flatMap(p -> plugins.report(p.id()))
                .orElseThrow(() -> ApiException.notFound("hardware plugin", "any"));
    }

    private static PluginKind parseKind(String kind) {
        try {
            return PluginKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("kind", "'" + kind + "' is not one of HARDWARE, OS");
        }
    }
}
