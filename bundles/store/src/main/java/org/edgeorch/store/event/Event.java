package org.edgeorch.store.event;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One thing that happened in a project.
 *
 * @param projectId  the project's id (the {@code project.id} column)
 * @param type       what happened
 * @param subject    the object it happened to: a host, rollout or deployment name, an OS profile
 * @param status     the state it is in now, for example {@code NO_CONNECTION}, or null
 * @param previous   the state it was in, when known
 * @param message    why, for people (at most 1,000 characters are kept)
 * @param attributes further facts, small: a run id, a wave number, a version (kept as a JSON object)
 */
public record Event(String projectId, EventType type, String subject, String status, String previous, String message,
                    Map<String, String> attributes) {

    public Event {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    public static Event of(String projectId, EventType type, String subject, Object status, Object previous, String message) {
        return new Event(projectId, type, subject, status == null ? null : status.toString(),
                previous == null ? null : previous.toString(), message, Map.of());
    }

    /** This event with one more attribute (a null value is left out). */
    public Event with(String key, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, String> a = new TreeMap<>(attributes);
        a.put(key, value.toString());
        return new Event(projectId, type, subject, status, previous, message, a);
    }
}
