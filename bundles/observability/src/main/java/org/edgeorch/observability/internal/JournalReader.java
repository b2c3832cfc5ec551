package org.edgeorch.observability.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import org.edgeorch.observability.Events.Event;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.EventType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Rows of {@code event_log} as {@link Event}s. */
final class JournalReader {

    static final String COLUMNS = "id, project_id, occurred_at, type, subject, status, previous, message, attributes";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    private JournalReader() {
    }

    /** An event and the project it belongs to. */
    record Row(String projectId, Event event) {
    }

    static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(2), event(rs));
    }

    static Event event(ResultSet rs) throws SQLException {
        String stored = rs.getString(4);
        // A type this orchestrator does not know (written by a newer one on the same database) shows as stored.
        String type = EventType.parse(stored).map(EventType::key).orElse(stored);
        return new Event(rs.getLong(1), Sql.instant(rs, 3), type, rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), attributes(rs.getString(9)));
    }

    static Map<String, String> attributes(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return java.util.Collections.unmodifiableMap(JSON.readValue(json, MAP));
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }
}
