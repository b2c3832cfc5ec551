package org.edgeorch.rest.internal;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.edgeorch.store.LeaderLeases;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Which orchestrator leads each singleton job (the leases in the shared database). Any signed-in user. */
@Path("/leaders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "platform", description = "Runtime status and plugins")
public class LeaderResource {

    private final LeaderLeases leases;

    public LeaderResource(LeaderLeases leases) {
        this.leases = leases;
    }

    /** This instance and every job's lease. */
    public record Leaders(String instanceId, List<LeaderLeases.Lease> leases) {
    }

    @GET
    @Operation(summary = "The leader of each singleton job (release polling, liveness sweep, audit purge, rollout"
            + " reconciling), its fencing token and lease expiry, and this instance's id")
    public Leaders leaders() {
        return new Leaders(leases.instanceId(), leases.leases());
    }
}
