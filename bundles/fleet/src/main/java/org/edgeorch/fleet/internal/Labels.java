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

import org.edgeorch.store.Sql;

/**
 * Effective host metadata: the host's region chain (outermost first), then its site, then the host
 * itself, each overriding the ones before. Stored in {@code host_label} so filters are index lookups.
 */
final class Labels {

    private Labels() {
    }

    record RegionNode(String id, String parentId) {
    }

    /**
     * A project's regions, sites and their metadata, loaded once so that the effective metadata of many
     * hosts is computed in memory.
     */
    static final class Context {
        private final Map<String, RegionNode> regions;
        private final Map<String, Map<String, String>> regionMeta;
        private final Map<String, Map<String, String>> siteMeta;
        private final Map<String, String> siteIds = new HashMap<>();
        private final Map<String, String> siteRegion = new HashMap<>();

        private Context(Connection c, String projectId) throws SQLException {
            regions = Labels.regions(c, projectId);
            regionMeta = metadataOfType(c, "REGION", "region", projectId);
            siteMeta = metadataOfType(c, "SITE", "site", projectId);
            try (PreparedStatement q = c.prepareStatement("SELECT id, name, region_id FROM site WHERE project_id = ?")) {
                q.setString(1, projectId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        siteIds.put(rs.getString(2), rs.getString(1));
                        siteRegion.put(rs.getString(1), rs.getString(3));
                    }
                }
            }
        }

        /** The id of the project's site with this name, or null. */
        String siteId(String name) {
            return siteIds.get(name);
        }

        /** Region chain (outermost first), then the site, then the host's own metadata. */
        Map<String, String> effective(String siteId, Map<String, String> own) {
            Deque<String> chain = new ArrayDeque<>();
            String r = siteId == null ? null : siteRegion.get(siteId);
            while (r != null && !chain.contains(r)) {
                chain.addFirst(r);
                r = regions.get(r) == null ? null : regions.get(r).parentId();
            }
            Map<String, String> effective = new TreeMap<>();
            chain.forEach(id -> effective.putAll(regionMeta.getOrDefault(id, Map.of())));
            if (siteId != null) {
                effective.putAll(siteMeta.getOrDefault(siteId, Map.of()));
            }
            effective.putAll(own);
            return effective;
        }
    }

    static Context context(Connection c, String projectId) throws SQLException {
        return new Context(c, projectId);
    }

    /**
     * Computes anew the effective metadata of the project's hosts that match {@code hostCondition} (SQL on
     * {@code host h}), from the regions, sites and metadata as this transaction sees them now. Callers
     * pass exactly the hosts a change reaches, so the rest of the fleet is not rewritten.
     *
     * @return how many hosts were relabelled
     */
    static int relabel(Connection c, String projectId, String hostCondition, List<Object> params) throws SQLException {
        String hosts = " FROM host h WHERE h.project_id = ? AND " + hostCondition;
        List<Object> all = new ArrayList<>(List.of(projectId));
        all.addAll(params);
        Map<String, String> siteOfHost = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT h.id, h.site_id" + hosts)) {
            Sql.bind(q, all.toArray());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    siteOfHost.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        if (siteOfHost.isEmpty()) {
            return 0;
        }
        Map<String, Map<String, String>> own = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT m.object_id, m.meta_key, m.meta_value FROM metadata m"
                + " WHERE m.object_type = 'HOST' AND m.object_id IN (SELECT h.id" + hosts + ")")) {
            Sql.bind(q, all.toArray());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    own.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        Sql.update(c, "DELETE FROM host_label WHERE host_id IN (SELECT h.id" + hosts + ")", all.toArray());
        Context context = context(c, projectId);
        try (PreparedStatement label = c.prepareStatement(
                "INSERT INTO host_label (host_id, project_id, meta_key, meta_value) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            for (Map.Entry<String, String> host : siteOfHost.entrySet()) {
                for (Map.Entry<String, String> e : context.effective(host.getValue(), own.getOrDefault(host.getKey(), Map.of())).entrySet()) {
                    Sql.bind(label, host.getKey(), projectId, e.getKey(), e.getValue());
                    label.addBatch();
                    if (++pending == 1000) {
                        label.executeBatch();
                        pending = 0;
                    }
                }
            }
            label.executeBatch();
        }
        return siteOfHost.size();
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

    /** Metadata of a project's regions or sites, by object id. */
    static Map<String, Map<String, String>> metadataOfType(Connection c, String type, String table, String projectId)
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
            Sql.bind(q, ids.toArray());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }
}
