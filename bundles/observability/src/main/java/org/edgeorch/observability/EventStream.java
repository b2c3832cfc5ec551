package org.edgeorch.observability;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A project's events as they happen, for one reader: first those after the id it was opened with (replayed from the
 * journal), then each new one once. Not thread-safe; close it when done.
 */
@ProviderType
public interface EventStream extends AutoCloseable {

    /**
     * The next events, waiting up to {@code wait} for one; empty when none came. Throws the tenancy refusal when the
     * reader has lost access to the project meanwhile (roles are checked again every half minute).
     */
    List<Events.Event> next(Duration wait) throws InterruptedException;

    @Override
    void close();
}
