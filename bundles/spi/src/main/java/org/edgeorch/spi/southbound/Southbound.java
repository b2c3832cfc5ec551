package org.edgeorch.spi.southbound;

/** Paths and headers of the southbound protocol. */
public final class Southbound {

    public static final String BASE = "/southbound/v1";
    public static final String ENROL = BASE + "/enrol";
    public static final String RENEW = BASE + "/renew";
    public static final String SYNC = BASE + "/sync";
    /**
     * {@code GET IMAGES + "sha256:<hex>"}: an OS image offered to the host's project, from the orchestrator's
     * cache; answers HTTP Range requests (206), so an interrupted download resumes.
     */
    public static final String IMAGES = BASE + "/images/";

    /** Highest report sequence number the orchestrator has stored; the agent forgets reports up to it. */
    public static final String ACKED_HEADER = "Edge-Acked-Sequence";

    /** SHA-256 of the inventory the orchestrator holds; the agent sends its inventory when its own differs. */
    public static final String INVENTORY_HEADER = "Edge-Inventory-Sha256";

    /**
     * Seconds until the agent should sync again when sooner than its interval: sent while a rollout wave involving the
     * host runs or is next, so the host learns of its update run (and reports its progress) within seconds. Sent on
     * every such sync (level-triggered): an agent that misses one falls back to its interval and gets it again.
     */
    public static final String NEXT_SYNC_HEADER = "Edge-Next-Sync-Seconds";

    /**
     * On a sync's answer: how many of the request's {@code telemetry} sets the orchestrator took (stored, or dropped as
     * unstorable); the agent may forget them. Absent when the orchestrator keeps no telemetry: the agent keeps them.
     */
    public static final String TELEMETRY_HEADER = "Edge-Telemetry-Taken";

    private Southbound() {
    }
}
