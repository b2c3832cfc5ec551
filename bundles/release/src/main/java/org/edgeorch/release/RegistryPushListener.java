package org.edgeorch.release;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Another domain that publishes signed artifacts to the release registry (application versions) and wants the
 * registry's push notifications for its repositories. The release webhook ({@link ReleaseNotifications#accept})
 * authenticates the notification, queues OS release candidates exactly as before, and then hands each listener the
 * push events of tagged manifests under its {@link #repositoryPrefix()}. A listener only queues: it must return at
 * once, and its failures never touch OS release detection.
 */
@ConsumerType
public interface RegistryPushListener {

    /** Repositories under this prefix are this listener's (for example {@code apps/}); never empty. */
    String repositoryPrefix();

    /**
     * Queues the pushes for checking.
     *
     * @return how many were queued
     */
    int pushed(List<RegistryPush> pushes);

    /** A tagged manifest pushed to the registry, as its notification named it. */
    record RegistryPush(String repository, String tag, String digest) {
    }
}
