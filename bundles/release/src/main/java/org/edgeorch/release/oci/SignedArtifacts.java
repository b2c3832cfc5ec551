package org.edgeorch.release.oci;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.spi.release.ReleaseArtifact;

/**
 * A signed document (a release manifest, an application version's manifest) pushed to the registry as one OCI
 * artifact: the empty config, the content layers already pushed (an OS image; none for an application), the document
 * and its detached CMS signature, tagged in one repository. What OS releases and application versions share, so that
 * both are laid out, refused and found the same way.
 */
public final class SignedArtifacts {

    /** Signed documents and their signatures are a few KiB; anything larger is not one and is not read. */
    public static final long MAX_SIGNED_BYTES = 64 * 1024;

    private SignedArtifacts() {
    }

    /**
     * Refuses a tag that is already published: what is signed is immutable.
     *
     * @param what  for the message, for example {@code release} or {@code application version}
     * @param whats its plural
     * @throws IllegalStateException when {@code repository:tag} exists
     */
    public static void requireAbsent(OciClient client, String repository, String tag, String what, String whats) {
        Optional<String> existing = client.manifestDigest(repository, tag);
        if (existing.isPresent()) {
            throw new IllegalStateException(what + " " + repository + ":" + tag + " already exists (" + existing.get()
                    + "); " + whats + " are immutable: publish a new version");
        }
    }

    /**
     * One layer of signed material.
     *
     * @param bytes     what is pushed
     * @param mediaType the layer's media type, by which readers find it
     * @param title     the file name generic tools (oras pull) give it
     */
    public record Part(byte[] bytes, String mediaType, String title) {
    }

    /**
     * Pushes the empty config, {@code document} and {@code signature} after the {@code content} layers (already pushed
     * to {@code repository}), then the artifact's manifest under {@code tag}.
     *
     * @return the artifact manifest's digest: the publication's immutable address
     * @throws org.edgeorch.oci.OciException when the registry fails
     */
    public static String push(OciClient client, String repository, String tag, String artifactType, List<Descriptor> content,
                              Part document, Part signature, Map<String, String> annotations) {
        Descriptor config = client.pushBlob(repository, "{}".getBytes(StandardCharsets.UTF_8),
                ReleaseArtifact.EMPTY_CONFIG_MEDIA_TYPE);
        if (!config.equals(Descriptor.EMPTY_CONFIG)) {
            throw new IllegalStateException("the empty config hashed to " + config.digest());
        }
        List<Descriptor> layers = new ArrayList<>(content);
        for (Part part : List.of(document, signature)) {
            layers.add(client.pushBlob(repository, part.bytes(), part.mediaType())
                    .withAnnotations(Map.of(ReleasePublisher.ANNOTATION_TITLE, part.title())));
        }
        OciManifest artifact = OciManifest.artifact(artifactType, layers, annotations);
        return client.putManifest(repository, tag, artifact.toJson(), ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);
    }

    /** The first layer of {@code mediaType}, or null: layers are found by media type, not position. */
    public static Descriptor layer(OciManifest manifest, String mediaType) {
        return manifest.layers() == null ? null
                : manifest.layers().stream().filter(l -> mediaType.equals(l.mediaType())).findFirst().orElse(null);
    }
}
