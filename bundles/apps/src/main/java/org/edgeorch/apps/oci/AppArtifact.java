package org.edgeorch.apps.oci;

/**
 * How an application version is published to the release service: the OCI artifact {@link #ARTIFACT_TYPE} in the
 * repository {@code <prefix><project>/<application>} ({@link #DEFAULT_PREFIX} {@code apps/}), tagged with the version
 * ({@code +} written {@code _}), whose layers are the version's manifest exactly as signed
 * ({@link #MANIFEST_MEDIA_TYPE}) and its detached CMS signature in DER ({@link #SIGNATURE_MEDIA_TYPE}). The images and
 * bundles the manifest names are pushed on their own and pinned by digest in it.
 */
public final class AppArtifact {

    public static final String DEFAULT_PREFIX = "apps/";
    public static final String ARTIFACT_TYPE = "application/vnd.edgeorch.app.version.v1";
    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.edgeorch.app.manifest.v1+json";
    public static final String SIGNATURE_MEDIA_TYPE = "application/vnd.edgeorch.app.manifest.v1.cms";
    public static final String MANIFEST_FILE_NAME = "app-manifest.json";
    public static final String SIGNATURE_FILE_NAME = "app-manifest.json.cms";

    private AppArtifact() {
    }

    /** The repository of a project's application: {@code prefix + project + "/" + application}. */
    public static String repository(String prefix, String project, String application) {
        return (prefix == null ? "" : prefix) + project + "/" + application;
    }

    /** The tag of a version: build metadata's {@code +}, not allowed in tags, is written {@code _}. */
    public static String tag(String version) {
        return version.replace('+', '_');
    }
}
