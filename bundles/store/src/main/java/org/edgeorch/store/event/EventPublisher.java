package org.edgeorch.store.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Appends events to the journal inside the caller's transaction: they are visible to readers when, and only when,
 * the change they tell of commits. The store registers one as a service beside {@code Database}.
 */
@ProviderType
public interface EventPublisher {

    void publish(Connection transaction, List<Event> events) throws SQLException;

    default void publish(Connection transaction, Event event) throws SQLException {
        publish(transaction, List.of(event));
    }
}
