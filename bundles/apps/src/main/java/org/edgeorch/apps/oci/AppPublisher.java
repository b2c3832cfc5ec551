package org.edgeorch.apps.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.edgeorch.apps.Apps.AppManifest;
import org.edgeorch.apps.internal.Manifests;
import org.edgeorch.oci.OciClient;
import org.edgeorch.platform.Inputs;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.release.oci.SignedArtifacts;

/**
 * Publishes an application version to the release service as {@link AppArtifact} describes: checks its manifest as
 * the orchestrator will, signs the manifest's exact bytes with the release key and pushes manifest and signature as
 * one artifact. Versions are immutable: a tag already in the registry is refused. The orchestrator finds the version
 * through the registry's notification or by polling, checks the signature against its release trust store, and only
 * then adds it to the project's application.
 */
public final class AppPublisher {

    /**
     * What was published.
     *
     * @param manifestDigest the OCI manifest's digest: the version's immutable address
     */
    public record Published(String repository, String tag, String manifestDigest, String application, String version) {
    }

    /**
     * Publishes a version of one of {@code project}'s applications.
     *
     * @param manifest the version's manifest ({@link AppManifest} as JSON); these bytes are what is signed
     * @throws IllegalArgumentException when the project name or the manifest is invalid (the message says which field)
     * @throws IllegalStateException    when the version is already published
     * @throws GeneralSecurityException when signing fails
     * @throws org.edgeorch.oci.OciException when the registry fails
     */
    public Published publish(OciClient client, String prefix, String project, byte[] manifest, ReleasePublisher.Signer signer)
            throws IOException, GeneralSecurityException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(signer, "signer");
        String problem = Inputs.nameRuleProblem("project", project);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String text = new String(Objects.requireNonNull(manifest, "manifest"), StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(manifest, text.getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException("manifest: the manifest is not UTF-8");
        }
        AppManifest m = Manifests.require(text);
        String repository = repository(prefix, project, m.application());
        String tag = AppArtifact.tag(m.version());
        OciClient.requireReference(tag);
        SignedArtifacts.requireAbsent(client, repository, tag, "application version",
                "application versions");
        byte[] signature = signer.sign(manifest);
        if (signature == null || signature.length == 0) {
            throw new GeneralSecurityException("the signer returned no signature");
        }
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(ReleasePublisher.ANNOTATION_VERSION, m.version());
        annotations.put(ReleasePublisher.ANNOTATION_TITLE, m.application());
        if (m.description() != null && !m.description().isEmpty()) {
            annotations.put(ReleasePublisher.ANNOTATION_DESCRIPTION, m.description());
        }
        String digest = SignedArtifacts.push(client, repository, tag, AppArtifact.ARTIFACT_TYPE, List.of(),
                new SignedArtifacts.Part(manifest, AppArtifact.MANIFEST_MEDIA_TYPE, AppArtifact.MANIFEST_FILE_NAME),
                new SignedArtifacts.Part(signature, AppArtifact.SIGNATURE_MEDIA_TYPE, AppArtifact.SIGNATURE_FILE_NAME),
                annotations);
        return new Published(repository, tag, digest, m.application(), m.version());
    }

    /**
     * The repository of a project's application, checked as a registry repository name.
     *
     * @throws IllegalArgumentException when the prefix makes it invalid
     */
    public static String repository(String prefix, String project, String application) {
        String repository = AppArtifact.repository(prefix, project, application);
        try {
            OciClient.requireRepository(repository);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prefix '" + Inputs.prefix(prefix) + "' makes an invalid repository name: "
                    + e.getMessage(), e);
        }
        return repository;
    }
}
