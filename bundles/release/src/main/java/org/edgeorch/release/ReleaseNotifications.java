package org.edgeorch.release;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The webhook the release registry calls on every push ({@code notifications: endpoints:} in the
 * registry's configuration). Push events of tagged manifests under the configured repository prefix are
 * queued for verification; everything else in the envelope is ignored. Returns quickly: verification runs
 * on the release route, and the polling route catches anything a crash lost from the queue.
 */
@ProviderType
public interface ReleaseNotifications {

    /**
     * Accepts one notification envelope ({@code {"events": [...]}}).
     *
     * @param authorization the request's {@code Authorization} header, which must carry the configured
     *                      webhook token as {@code Bearer <token>}
     * @return how many events were queued for verification
     * @throws org.edgeorch.tenancy.TenancyException UNAUTHENTICATED for a missing or wrong token, INVALID
     *                                               for a body that is not a notification envelope
     */
    int accept(String authorization, byte[] body);
}
