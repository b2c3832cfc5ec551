package org.edgeorch.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The fleet records. */
public final class Fleet {

    private Fleet() {
    }

    public record Region(String name, String parent, Map<String, String> metadata, Instant createdAt) {
    }

    /** A named group of hosts, created from a template (for example {@code k8s-edge-3-node}). */
    public record Cluster(String name, String template, List<String> hosts, Map<String, String> metadata, Instant createdAt) {
    }

    public record Site(String name, String region, String address, Double latitude, Double longitude,
                       Map<String, String> metadata, Instant createdAt) {
    }

    /**
     * A host as listed.
     *
     * @param lastSeenAt        its last sync (written in batches, so up to a few seconds behind)
     * @param metadata          its own metadata
     * @param effectiveMetadata inherited from its region(s) and site, overridden by its own
     * @param autoOnboard       it may enrol without a token while REGISTERED
     * @param agentVersion      what its agent reported, null before its first sync
     * @param onboardedAt       when it last enrolled, null before
     */
    public record Host(String name, String serialNumber, String uuid, String site, String region, HostStatus status,
                       String statusReason, Instant statusChangedAt, Instant createdAt, Instant lastSeenAt,
                       Map<String, String> metadata, Map<String, String> effectiveMetadata, boolean autoOnboard,
                       String agentVersion, Instant onboardedAt) {

        public Host withMetadata(Map<String, String> own, Map<String, String> effective) {
            return new Host(name, serialNumber, uuid, site, region, status, statusReason, statusChangedAt, createdAt, lastSeenAt,
                    own, effective, autoOnboard, agentVersion, onboardedAt);
        }
    }

    /**
     * A change to a region; null fields stay as they are.
     *
     * @param parent   the new parent region; blank makes the region top-level
     * @param metadata replaces the region's own metadata; empty removes it
     */
    public record RegionUpdate(String parent, Map<String, String> metadata) {
    }

    /**
     * A change to a site; null fields stay as they are.
     *
     * @param region   the new region; blank takes the site out of any region
     * @param address  the new address; blank removes it
     * @param metadata replaces the site's own metadata; empty removes it
     */
    public record SiteUpdate(String region, String address, Double latitude, Double longitude, Map<String, String> metadata) {
    }

    /**
     * A change to a cluster; null fields stay as they are.
     *
     * @param metadata replaces the cluster's metadata; empty removes it
     */
    public record ClusterUpdate(String template, Map<String, String> metadata) {
    }

    /**
     * A change to a host; null fields stay as they are.
     *
     * @param site         the new site; blank takes the host out of any site
     * @param metadata     replaces the host's own metadata; empty removes it
     * @param serialNumber corrects the serial number; blank removes it from a host that has a UUID
     */
    public record HostUpdate(String site, Map<String, String> metadata, String serialNumber) {

        /** A change of site and/or metadata only. */
        public HostUpdate(String site, Map<String, String> metadata) {
            this(site, metadata, null);
        }
    }

    /**
     * What registering a host needs: a name and a serial number and/or UUID.
     *
     * @param autoOnboard the host may enrol without a token, recognised by its serial number or UUID alone
     */
    public record HostRegistration(String name, String serialNumber, String uuid, String site, Map<String, String> metadata,
                                   boolean autoOnboard) {

        public HostRegistration(String name, String serialNumber, String uuid, String site, Map<String, String> metadata) {
            this(name, serialNumber, uuid, site, metadata, false);
        }
    }

    public enum SortField { NAME, STATUS, CREATED_AT, LAST_SEEN_AT }

    /**
     * Filters for listing hosts; null fields do not filter. {@code region} includes its sub-regions;
     * {@code metadata} matches effective metadata; {@code text} matches name, serial number or UUID.
     */
    public record HostQuery(HostStatus status, String site, String region, Map<String, String> metadata, String text,
                            SortField sort, boolean descending, int offset, int limit) {
    }

    public record HostPage(List<Host> hosts, long total, int offset, int limit) {
    }

    /** A CSV line that was refused. */
    public record LineError(int line, String message) {
    }

    /** The outcome of a CSV import: all lines or none. */
    public record ImportResult(int created, List<LineError> errors) {
    }
}
