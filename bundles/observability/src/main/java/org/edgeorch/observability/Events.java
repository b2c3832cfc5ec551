package org.edgeorch.observability;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.edgeorch.store.event.EventType;

/** The values of the {@link EventService}. */
public final class Events {

    private Events() {
    }

    /**
     * One event as read back. {@code id} orders a project's stream and is what a client resumes after
     * ({@code Last-Event-ID}); {@code type} is the {@link EventType#key()}, such as {@code host.status-changed}.
     */
    public record Event(long id, Instant time, String type, String subject, String status, String previous,
                        String message, Map<String, String> attributes) {
    }

    /** Which events: by type (any of, empty for all) and subject (exact, null for all). */
    public record Filter(Set<EventType> types, String subject) {

        public static final Filter ALL = new Filter(Set.of(), null);

        public Filter {
            types = types == null ? Set.of() : Set.copyOf(types);
        }

        public boolean matches(Event e) {
            return (types.isEmpty() || types.stream().anyMatch(t -> t.key().equals(e.type())))
                    && (subject == null || subject.equals(e.subject()));
        }
    }

    /**
     * A page of the journal, newest first: the filter, a time range ({@code from} inclusive, {@code to} exclusive),
     * only events after an id, and offset/limit (limit 1 to 1,000).
     */
    public record Query(Filter filter, Instant from, Instant to, Long afterId, int offset, int limit) {
    }

    public record Page(java.util.List<Event> events, long total, int offset, int limit) {
    }

    /** Refused because this orchestrator already serves as many live streams as it is configured for. */
    public static final class TooManyStreamsException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public TooManyStreamsException(String message) {
            super(message);
        }
    }
}
