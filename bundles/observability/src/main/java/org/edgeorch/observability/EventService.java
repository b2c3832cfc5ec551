package org.edgeorch.observability;

import java.util.function.Supplier;

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

    /**
     * As {@link #follow(Caller, String, Events.Filter, Long)}, but the stream's periodic re-check asks {@code current}
     * for the caller as it is now instead of reading the user's stored roles: an adapter passes the credentials that
     * opened the stream (the bearer token checked again), so roles that only the token grants (an OpenID Connect
     * login) keep the stream open, and a revoked or expired token ends it. {@code current} throws
     * {@link org.edgeorch.tenancy.TenancyException} when the credentials are no longer good.
     */
    EventStream follow(Caller caller, Supplier<Caller> current, String project, Events.Filter filter, Long afterId);
}
