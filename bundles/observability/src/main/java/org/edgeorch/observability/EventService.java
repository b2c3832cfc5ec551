package org.edgeorch.observability;

import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A project's event journal (PROJECT_READ): every adapter reads it through this service, so another tenant's project
 * is NOT_FOUND here as everywhere.
 */
@ProviderType
public interface EventService {

    Events.Page events(Caller caller, String project, Events.Query query);

    /**
     * Follows the project's events. With {@code afterId} the journal's events after it are replayed first (as far as
     * retention kept them); without, the stream starts with what happens next.
     *
     * @throws Events.TooManyStreamsException when this orchestrator serves its maximum of streams
     */
    EventStream follow(Caller caller, String project, Events.Filter filter, Long afterId);
}
