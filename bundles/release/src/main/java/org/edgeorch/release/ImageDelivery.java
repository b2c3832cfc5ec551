package org.edgeorch.release;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * OS images for nodes. The orchestrator fetches each image from the release service once, checks its
 * digest while it writes it to the cache, and serves it from there (the southbound endpoint answers
 * HTTP Range requests, so interrupted downloads resume).
 */
@ProviderType
public interface ImageDelivery {

    /**
     * The cached image with this digest, fetched first if needed, when the project has an OS resource
     * with it and its release is not withdrawn; empty otherwise (a host may not learn what other
     * projects hold).
     *
     * @throws java.io.UncheckedIOException when the release service cannot be read or served other bytes
     */
    Optional<CachedImage> image(String projectId, String digest);

    /** Where the registry serves the image directly, for nodes configured to download from it. */
    Optional<String> registryUrl(String projectId, String digest);

    /**
     * The registry nodes pull from directly (the release service's public URL, for example {@code http://10.0.0.5:5000}),
     * without a trailing slash; empty when no release service is configured. Application artifacts are pulled from it.
     */
    Optional<String> nodeRegistryUrl();

    /** An image in the cache: a complete file whose SHA-256 was checked when it was written. */
    record CachedImage(String digest, Path file, long size) {
    }
}
