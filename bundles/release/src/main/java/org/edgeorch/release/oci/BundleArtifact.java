package org.edgeorch.release.oci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgeorch.spi.release.ReleaseArtifact;

/**
 * An OSGI application's artifact: its bundles pushed as the layers of one OCI artifact (artifact type
 * {@value #ARTIFACT_TYPE}, each layer {@value #BUNDLE_MEDIA_TYPE}), which a version's manifest then pins by the
 * artifact's digest; the node's OSGI runtime fetches it by that digest and checks every layer's.
 */
public final class BundleArtifact {

    public static final String ARTIFACT_TYPE = "application/vnd.edgeorch.app.osgi.v1";
    public static final String BUNDLE_MEDIA_TYPE = "application/vnd.osgi.bundle";

    private BundleArtifact() {
    }

    /**
     * Pushes the bundles (in their order of installation) and the artifact under {@code tag}.
     *
     * @return the artifact's digest, to pin in the version's manifest
     * @throws IOException when a bundle cannot be read
     */
    public static String push(OciClient client, String repository, String tag, List<Path> bundles) throws IOException {
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("an OSGI artifact has at least one bundle");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (Path bundle : bundles) {
            Descriptor d = client.pushBlob(repository, bundle, BUNDLE_MEDIA_TYPE, null);
            layers.add(d.withAnnotations(Map.of("org.opencontainers.image.title", bundle.getFileName().toString())));
        }
        client.pushBlob(repository, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Descriptor.EMPTY_CONFIG.mediaType());
        OciManifest manifest = OciManifest.artifact(ARTIFACT_TYPE, layers, Map.of());
        return client.putManifest(repository, tag, manifest.toJson(), ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);
    }
}
