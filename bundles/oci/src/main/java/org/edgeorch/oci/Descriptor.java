package org.edgeorch.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.edgeorch.spi.release.ReleaseArtifact;

/**
 * An OCI content descriptor: what a manifest says about a blob it points to.
 *
 * @param mediaType   the blob's media type, for example {@link ReleaseArtifact#IMAGE_MEDIA_TYPE}
 * @param digest      {@code sha256:} and 64 lower-case hex digits
 * @param size        the blob's size in bytes
 * @param annotations free key/value pairs, never null (empty ones are not written)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Descriptor(String mediaType, String digest, long size,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations) {

    /** The empty JSON object {@code {}} that artifacts without a real config point to. */
    public static final Descriptor EMPTY_CONFIG = new Descriptor(ReleaseArtifact.EMPTY_CONFIG_MEDIA_TYPE,
            ReleaseArtifact.EMPTY_CONFIG_DIGEST, 2, Map.of());

    public Descriptor {
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    /** A descriptor without annotations. */
    public Descriptor(String mediaType, String digest, long size) {
        this(mediaType, digest, size, Map.of());
    }

    /** This descriptor with {@code annotations} instead of its own. */
    public Descriptor withAnnotations(Map<String, String> annotations) {
        return new Descriptor(mediaType, digest, size, annotations);
    }

    /** Describes {@code bytes}: their sha256 and length. */
    public static Descriptor of(byte[] bytes, String mediaType) {
        return new Descriptor(mediaType, Digests.sha256(bytes), bytes.length);
    }

    /**
     * Describes a file by reading it once, streamed: its sha256 and size. Images can be gigabytes; nothing
     * is held in memory.
     *
     * @throws IOException when the file cannot be read
     */
    public static Descriptor of(Path file, String mediaType) throws IOException {
        Objects.requireNonNull(mediaType, "mediaType");
        MessageDigest hash = Digests.newDigest("sha256");
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                hash.update(buffer, 0, n);
                size += n;
            }
        }
        return new Descriptor(mediaType, Digests.format("sha256", hash.digest()), size);
    }
}
