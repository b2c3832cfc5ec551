package org.edgeorch.spi.southbound;

import java.util.List;

import org.edgeorch.spi.HardwareInventory;

/**
 * The one call an agent makes on its interval: heartbeat, status, inventory (only when it differs
 * from what the orchestrator holds) and the reports not yet acknowledged.
 *
 * @param inventorySha256 the agent's digest of {@code inventory}; the orchestrator keeps it and answers with it
 *                        in {@value Southbound#INVENTORY_HEADER}, so the agent knows when to send again
 * @param inventory       null when unchanged since the orchestrator last stored it
 * @param osVersion       the OS release version the host runs now, or null when unknown
 * @param update          the latest state of the update run in progress (or just finished), or null
 */
public record SyncRequest(AgentStatus status, String statusDetail, String agentVersion, String inventorySha256,
                          HardwareInventory inventory, List<Report> reports, String osVersion, UpdateReport update) {

    /** A sync without OS version or update. */
    public SyncRequest(AgentStatus status, String statusDetail, String agentVersion, String inventorySha256,
                       HardwareInventory inventory, List<Report> reports) {
        this(status, statusDetail, agentVersion, inventorySha256, inventory, reports, null, null);
    }
}
