package org.edgeorch.spi.release;

/**
 * How a release is laid out as an OCI artifact in the release service. One repository per profile
 * ({@code <prefix><profile>}, for example {@code os/edge-microvisor}), one tag per version. The OCI image
 * manifest has {@link #ARTIFACT_TYPE}, the empty config, and three layers in this order: the image
 * ({@link #IMAGE_MEDIA_TYPE}), the release manifest JSON ({@link #MANIFEST_MEDIA_TYPE}) and its detached
 * CMS signature in DER ({@link #SIGNATURE_MEDIA_TYPE}). Layers are found by media type, not position.
 */
public final class ReleaseArtifact {

    public static final String ARTIFACT_TYPE = "application/vnd.edgeorch.os.release.v1";
    public static final String IMAGE_MEDIA_TYPE = "application/vnd.edgeorch.os.image.v1";
    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.edgeorch.os.manifest.v1+json";
    public static final String SIGNATURE_MEDIA_TYPE = "application/vnd.edgeorch.os.manifest.v1.cms";
    public static final String OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String EMPTY_CONFIG_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
    /** The digest of the two bytes {@code {}}, the empty config every artifact points to. */
    public static final String EMPTY_CONFIG_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    /** The repository prefix used when none is configured. */
    public static final String DEFAULT_PREFIX = "os/";

    private ReleaseArtifact() {
    }
}
