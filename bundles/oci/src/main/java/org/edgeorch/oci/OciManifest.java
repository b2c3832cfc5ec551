package org.edgeorch.oci;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

import org.edgeorch.spi.release.ReleaseArtifact;

/**
 * An OCI image manifest (schema version 2) as used for artifacts: an {@code artifactType}, a config
 * descriptor (usually {@link Descriptor#EMPTY_CONFIG}) and the layers. Reading ignores properties this
 * record does not model ({@code subject}, {@code urls}…), so a manifest read and written again may lose them.
 *
 * @param schemaVersion always 2
 * @param mediaType     {@link ReleaseArtifact#OCI_MANIFEST_MEDIA_TYPE}
 * @param artifactType  what the artifact is, for example {@link ReleaseArtifact#ARTIFACT_TYPE}; null for
 *                      container images
 * @param config        the config blob
 * @param layers        the content blobs, never null
 * @param annotations   free key/value pairs, never null (empty ones are not written)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OciManifest(int schemaVersion, String mediaType, String artifactType, Descriptor config,
                          List<Descriptor> layers,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations) {

    public OciManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    /** An artifact manifest: schema 2, the OCI manifest media type, the empty config. */
    public static OciManifest artifact(String artifactType, List<Descriptor> layers, Map<String, String> annotations) {
        return new OciManifest(2, ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE, artifactType, Descriptor.EMPTY_CONFIG,
                layers, annotations);
    }

    /**
     * The layer with {@code mediaType}; empty when there is none.
     *
     * @throws IllegalStateException when several layers have that media type: which one is meant is
     *                               ambiguous, and for signed content ambiguity is not acceptable
     */
    public Optional<Descriptor> layer(String mediaType) {
        List<Descriptor> matching = layers.stream().filter(layer -> mediaType.equals(layer.mediaType())).toList();
        if (matching.size() > 1) {
            throw new IllegalStateException("the manifest has " + matching.size() + " layers of media type " + mediaType + "; expected at most one");
        }
        return matching.stream().findFirst();
    }

    /** The manifest as JSON, keys in alphabetical order, no indentation. */
    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an OCI manifest", e);
        }
    }

    /**
     * Reads an OCI image manifest.
     *
     * @throws IllegalArgumentException when {@code json} is not one (malformed JSON, schemaVersion not 2,
     *                                  no config)
     */
    public static OciManifest parse(byte[] json) {
        OciManifest manifest;
        try {
            manifest = Json.MAPPER.readValue(json, OciManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an OCI image manifest: " + Json.message(e), e);
        }
        if (manifest == null || manifest.schemaVersion() != 2) {
            throw new IllegalArgumentException("not an OCI image manifest: schemaVersion is "
                    + (manifest == null ? "missing" : manifest.schemaVersion()) + ", expected 2");
        }
        if (manifest.config() == null) {
            throw new IllegalArgumentException("not an OCI image manifest: it has no config descriptor");
        }
        return manifest;
    }

}
