package org.edgeorch.release;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * OS resources as the scheduling side needs them to tell a node what to install: no caller (the southbound
 * and the rollout reconciler act for the system), always scoped to one project, withdrawn releases never
 * returned.
 */
@ProviderType
public interface OsCatalog {

    /** The project's OS resource of this version under its OS profile {@code profile} (the project's profile name). */
    Optional<OsImage> resource(String projectId, String profile, String version);

    /** The project's newest OS resource of this profile. */
    Optional<OsImage> latest(String projectId, String profile);

    /**
     * What a node needs to install a release.
     *
     * @param releaseManifest the release manifest JSON exactly as signed
     * @param signature       its detached CMS signature, DER in base64
     * @param registryUrl     the image's blob URL on the registry, for nodes that download from it; may be null
     */
    record OsImage(String profile, String version, String imageDigest, long imageSize, String releaseManifest,
                   String signature, String registryUrl) {
    }
}
