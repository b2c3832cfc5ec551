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
 * @param apps            the state of every deployment the host has (desired or being removed); null when the node
 *                        runs no app agent, so the orchestrator keeps what it knew
 * @param telemetry       the figures sampled since the last answered sync, oldest first; null or empty when none
 */
public record SyncRequest(AgentStatus status, String statusDetail, String agentVersion, String inventorySha256,
                          HardwareInventory inventory, List<Report> reports, String osVersion, UpdateReport update,
                          List<AppReport> apps, List<SampleSet> telemetry) {

    /** A sync without telemetry. */
    public SyncRequest(AgentStatus status, String statusDetail, String agentVersion, String inventorySha256,
                       HardwareInventory inventory, List<Report> reports, String osVersion, UpdateReport update,
                       List<AppReport> apps) {
        this(status, statusDetail, agentVersion, inventorySha256, inventory, reports, osVersion, update, apps, null);
    }

    /** A sync without app states. */
    public SyncRequest(AgentStatus status, String statusDetail, String agentVersion, String inventorySha256,
                       HardwareInventory inventory, List<Report> reports, String osVersion, UpdateReport update) {
        this(status, statusDetail, agentVersion, inventorySha256, inventory, reports, osVersion, update, null, null);
    }

    /** A sync without OS version or update. */
    public SyncRequest(AgentStatus status, String statusDetail, String agentVersion, String inventorySha256,
                       HardwareInventory inventory, List<Report> reports) {
        this(status, statusDetail, agentVersion, inventorySha256, inventory, reports, null, null, null, null);
    }
}
