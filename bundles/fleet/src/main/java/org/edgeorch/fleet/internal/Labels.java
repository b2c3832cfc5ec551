package org.edgeorch.fleet.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Effective host metadata: the host's region chain (outermost first), then its site, then the host
 * itself, each overriding the ones before. Stored in {@code host_label} so filters are index lookups.
 */
final class Labels {

    private Labels() {
    }

    record RegionNode(String id, String parentId) {
    }

    /** Recomputes the effective metadata of these hosts of one project. */
    static void recompute(Connection c, String projectId, List<String> hostIds) throws SQLException {
        Map<String, RegionNode> regions = regions(c, projectId);
        Map<String, Map<String, String>> regionMeta = metadataOfType(c, "REGION", "region", projectId);
        Map<String, Map<String, String>> siteMeta = metadataOfType(c, "SITE", "site", projectId);
        for (String hostId : hostIds) {
            String siteId = FleetServiceImpl.one(c, "SELECT site_id FROM host WHERE id = ?", hostId);
            String regionId = siteId == null ? null : FleetServiceImpl.one(c, "SELECT region_id FROM site WHERE id = ?", siteId);
            Deque<String> chain = new ArrayDeque<>();
            for (String r = regionId; r != null && !chain.contains(r); r = regions.get(r) == null ? null : regions.get(r).parentId()) {
                chain.addFirst(r);
            }
            Map<String, String> effective = new TreeMap<>();
            chain.forEach(r -> effective.putAll(regionMeta.getOrDefault(r, Map.of())));
            if (siteId != null) {
                effective.putAll(siteMeta.getOrDefault(siteId, Map.of()));
            }
            effective.putAll(metadataOfObjects(c, "metadata", "object_id", List.of(hostId), " AND object_type = 'HOST'")
                    .getOrDefault(hostId, Map.of()));
            FleetServiceImpl.update(c, "DELETE FROM host_label WHERE host_id = ?", hostId);
            for (Map.Entry<String, String> e : effective.entrySet()) {
                FleetServiceImpl.update(c, "INSERT INTO host_label (host_id, project_id, meta_key, meta_value) VALUES (?, ?, ?, ?)",
                        hostId, projectId, e.getKey(), e.getValue());
            }
        }
    }

    /** The region and all regions below it. */
    static List<String> regionSubtree(Connection c, String projectId, String rootId) throws SQLException {
        Map<String, List<String>> children = new HashMap<>();
        regions(c, projectId).values().forEach(n -> {
            if (n.parentId() != null) {
                children.computeIfAbsent(n.parentId(), k -> new ArrayList<>()).add(n.id());
            }
        });
        List<String> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(rootId));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (!out.contains(id)) {
                out.add(id);
                todo.addAll(children.getOrDefault(id, List.of()));
            }
        }
        return out;
    }

    private static Map<String, RegionNode> regions(Connection c, String projectId) throws SQLException {
        Map<String, RegionNode> out = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, parent_id FROM region WHERE project_id = ?")) {
            q.setString(1, projectId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new RegionNode(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    private static Map<String, Map<String, String>> metadataOfType(Connection c, String type, String table, String projectId)
            throws SQLException {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT m.object_id, m.meta_key, m.meta_value FROM metadata m JOIN "
                + table + " o ON o.id = m.object_id WHERE m.object_type = ? AND o.project_id = ?")) {
            q.setString(1, type);
            q.setString(2, projectId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    /** key/value rows of {@code table} for these ids, grouped by id. */
    static Map<String, Map<String, String>> metadataOfObjects(Connection c, String table, String idColumn, List<String> ids,
                                                             String extraWhere) throws SQLException {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String sql = "SELECT " + idColumn + ", meta_key, meta_value FROM " + table + " WHERE " + idColumn + " IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")" + extraWhere;
        try (PreparedStatement q = c.prepareStatement(sql)) {
            FleetServiceImpl.bind(q, ids.toArray());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }
}
