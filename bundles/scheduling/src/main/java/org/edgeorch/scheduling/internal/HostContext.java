package org.edgeorch.scheduling.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.store.Sql;

/**
 * Where a host sits: its site, its site's regions from the nearest up, and its clusters by name. Read by primary key
 * and by index (one row per region up the chain), so asking for every sync of every host stays cheap.
 */
record HostContext(String hostId, String projectId, String hostName, Place site, List<Place> regions, List<Place> clusters) {

    /** Far more than any real region tree; stops a corrupted chain from looping. */
    private static final int MAX_DEPTH = 64;

    record Place(String id, String name) {
    }

    static Optional<HostContext> load(Connection c, String hostId) throws SQLException {
        record HostRow(String projectId, String name, String siteId, String siteName, String regionId) {
        }
        Optional<HostRow> row = Sql.one(c, "SELECT h.project_id, h.name, s.id, s.name, s.region_id FROM host h"
                + " LEFT JOIN site s ON s.id = h.site_id WHERE h.id = ?", rs -> new HostRow(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5)), hostId);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        HostRow h = row.get();
        List<Place> regions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = h.regionId();
        while (next != null && seen.add(next) && regions.size() < MAX_DEPTH) {
            String id = next;
            String[] region = Sql.one(c, "SELECT name, parent_id FROM region WHERE id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, id).orElse(null);
            if (region == null) {
                break;
            }
            regions.add(new Place(id, region[0]));
            next = region[1];
        }
        List<Place> clusters = Sql.list(c, "SELECT cl.id, cl.name FROM cluster_host ch JOIN cluster cl ON cl.id = ch.cluster_id"
                + " WHERE ch.host_id = ? ORDER BY cl.name", rs -> new Place(rs.getString(1), rs.getString(2)), hostId);
        return Optional.of(new HostContext(hostId, h.projectId(), h.name(),
                h.siteId() == null ? null : new Place(h.siteId(), h.siteName()), List.copyOf(regions), clusters));
    }

    /**
     * Precedence of a target among the host's: the host, its site, its regions nearest first, its clusters by name.
     * For windows this is only the order they are listed in; policies rank clusters above the site instead.
     */
    int rank(TargetType type, String targetId) {
        return switch (type) {
            case HOST -> 0;
            case SITE -> 1;
            case REGION -> 2 + indexOf(regions, targetId);
            case CLUSTER -> 2 + MAX_DEPTH + indexOf(clusters, targetId);
        };
    }

    /** How the host gets what is attached to {@code target}, for example {@code region eu (site paris > region fr > region eu)}. */
    String source(Target target, String targetId) {
        return switch (target.type()) {
            case HOST -> target.toString();
            case SITE -> target + " (the host's site)";
            case CLUSTER -> target + " (the host is a member)";
            case REGION -> {
                StringBuilder path = new StringBuilder("site ").append(site == null ? "?" : site.name());
                for (Place region : regions) {
                    path.append(" > region ").append(region.name());
                    if (region.id().equals(targetId)) {
                        break;
                    }
                }
                yield target + " (" + path + ")";
            }
        };
    }

    private static int indexOf(List<Place> places, String id) {
        for (int i = 0; i < places.size(); i++) {
            if (places.get(i).id().equals(id)) {
                return i;
            }
        }
        return places.size();
    }
}
