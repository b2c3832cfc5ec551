package org.edgeorch.store.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The {@link EventPublisher} on the {@code event_log} table (migration {@code V30__event_log.sql}): one batched
 * INSERT per call. Texts longer than their columns are cut, never refused: an event must not fail the change it
 * tells of.
 */
public final class EventJournal implements EventPublisher {

    static final int SUBJECT = 255;
    static final int STATE = 32;
    static final int MESSAGE = 1000;
    static final int ATTRIBUTES = 4000;

    private final Clock clock;

    public EventJournal() {
        this(Clock.systemUTC());
    }

    public EventJournal(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void publish(Connection c, List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO event_log (project_id, occurred_at, type, subject, status,"
                + " previous, message, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Event e : events) {
                s.setString(1, e.projectId());
                s.setTimestamp(2, now);
                s.setString(3, e.type().name());
                s.setString(4, cut(e.subject(), SUBJECT));
                text(s, 5, cut(e.status(), STATE));
                text(s, 6, cut(e.previous(), STATE));
                text(s, 7, cut(e.message(), MESSAGE));
                text(s, 8, e.attributes().isEmpty() ? null : json(e.attributes()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void text(PreparedStatement s, int i, String v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.VARCHAR);
        } else {
            s.setString(i, v);
        }
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A flat JSON object of strings; values are cut so that the whole fits its column. */
    static String json(Map<String, String> attributes) {
        int each = Math.max(16, ATTRIBUTES / Math.max(1, attributes.size()) - 64);
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            quote(b, cut(a.getKey(), 48));
            b.append(':');
            quote(b, cut(a.getValue(), each));
        }
        return cut(b.append('}').toString(), ATTRIBUTES);
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        b.append('"');
    }
}
