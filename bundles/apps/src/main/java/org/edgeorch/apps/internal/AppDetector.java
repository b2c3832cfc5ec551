package org.edgeorch.apps.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.edgeorch.apps.internal.VersionIntake.Intake;
import org.edgeorch.apps.oci.AppArtifact;
import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciException;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.release.ReleaseRegistry;
import org.edgeorch.release.oci.SignedArtifacts;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a tag of {@code <prefix><project>/<application>} in the release service into a version of that application,
 * or into a recorded refusal: the OCI manifest is an {@link AppArtifact}, it has a manifest and a signature layer of at
 * most {@link SignedArtifacts#MAX_SIGNED_BYTES}, and then {@link VersionIntake} checks them as an operator's
 * publication. The outcome is marked seen per manifest digest after the intake's own transaction, so a crash between
 * the two only checks the tag again (and finds the same version already there). A registry that cannot be read marks
 * nothing: the next poll tries again.
 */
@Component(service = AppDetection.class, configurationPid = AppsConfig.PID)
public class AppDetector implements AppDetection {

    private static final Logger LOG = LoggerFactory.getLogger(AppDetector.class);

    private final ReleaseRegistry registry;
    private final Database db;
    private final VersionIntake intake;
    private final String prefix;
    private final int pageSize;

    @Activate
    public AppDetector(@Reference ReleaseRegistry registry, @Reference Database db, @Reference VersionIntake intake,
                       AppsConfig config) {
        this(registry, db, intake, config.repositoryPrefix().strip(), Math.max(1, config.pageSize()));
    }

    AppDetector(ReleaseRegistry registry, Database db, VersionIntake intake, String prefix, int pageSize) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("repositoryPrefix of " + AppsConfig.PID + " must not be empty: OS releases"
                    + " and application versions live in different repositories");
        }
        this.registry = registry;
        this.db = db;
        this.intake = intake;
        this.prefix = prefix;
        this.pageSize = pageSize;
    }

    @Override
    public String repositoryPrefix() {
        return prefix;
    }

    @Override
    public List<AppCandidate> pollCandidates() {
        Optional<OciClient> client = registry.client();
        if (client.isEmpty()) {
            return List.of();
        }
        List<AppCandidate> out = new ArrayList<>();
        for (String repository : client.get().repositories(pageSize)) {
            if (!repository.startsWith(prefix)) {
                continue;
            }
            Set<String> seen = new HashSet<>(db.inTransaction(c -> Sql.strings(c,
                    "SELECT DISTINCT tag FROM app_seen WHERE repository = ?", repository)));
            for (String tag : client.get().tags(repository, pageSize)) {
                if (!seen.contains(tag)) {
                    out.add(new AppCandidate(repository, tag, null,
                            org.edgeorch.release.Releases.DetectionSource.POLL));
                }
            }
        }
        return out;
    }

    @Override
    public Optional<Intake> process(AppCandidate candidate) {
        Optional<OciClient> found = registry.client();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        OciClient client = found.get();
        String repository = candidate.repository();
        String tag = candidate.tag();
        try {
            String digest = candidate.digest();
            if (digest == null) {
                Optional<String> d = client.manifestDigest(repository, tag);
                if (d.isEmpty()) {
                    return Optional.empty();
                }
                digest = d.get();
            }
            String key = digest;
            if (db.inTransaction(c -> Sql.string(c, "SELECT outcome FROM app_seen WHERE repository = ? AND tag = ?"
                    + " AND manifest_digest = ?", repository, tag, key)) != null) {
                return Optional.empty();
            }
            Intake outcome = check(client, repository, tag, digest, candidate.source());
            boolean recorded = db.inTransaction(c -> {
                if (Sql.string(c, "SELECT outcome FROM app_seen WHERE repository = ? AND tag = ? AND manifest_digest = ?",
                        repository, tag, key) != null) {
                    return false;
                }
                Sql.update(c, "INSERT INTO app_seen (repository, tag, manifest_digest, outcome, detail, seen_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)", repository, tag, key, outcome.outcome(),
                        outcome.detail().length() > 1000 ? outcome.detail().substring(0, 1000) : outcome.detail(),
                        java.time.Instant.now());
                return true;
            });
            if (recorded && outcome.outcome() == Intake.Outcome.ACCEPTED) {
                LOG.info("Application version {}:{} accepted from {} ({})", repository, tag, candidate.source(), outcome.detail());
            } else if (recorded && outcome.outcome() == Intake.Outcome.REJECTED) {
                LOG.warn("Application version {}:{} refused: {}", repository, tag, outcome.detail());
            }
            return recorded ? Optional.of(outcome) : Optional.empty();
        } catch (OciException | java.io.UncheckedIOException e) {
            LOG.warn("Checking application version {}:{} failed, the next poll tries again: {}", repository, tag, e.toString());
            return Optional.empty();
        }
    }

    private Intake check(OciClient client, String repository, String tag, String digest,
                         org.edgeorch.release.Releases.DetectionSource source) {
        String[] path = repository.substring(prefix.length()).split("/", -1);
        if (path.length != 2) {
            return new Intake(Intake.Outcome.IGNORED, "not a repository " + prefix + "<project>/<application>");
        }
        OciManifest manifest;
        try {
            manifest = OciManifest.parse(client.manifest(repository, digest).bytes());
        } catch (IllegalArgumentException e) {
            return new Intake(Intake.Outcome.IGNORED, "not an OCI image manifest");
        }
        if (!AppArtifact.ARTIFACT_TYPE.equals(manifest.artifactType())) {
            return new Intake(Intake.Outcome.IGNORED, "artifact type " + manifest.artifactType() + " is not an application version");
        }
        Descriptor manifestLayer = SignedArtifacts.layer(manifest, AppArtifact.MANIFEST_MEDIA_TYPE);
        Descriptor signatureLayer = SignedArtifacts.layer(manifest, AppArtifact.SIGNATURE_MEDIA_TYPE);
        String refused = manifestLayer == null ? "the artifact has no manifest layer"
                : signatureLayer == null ? "the artifact has no signature layer: unsigned versions are never added"
                : manifestLayer.size() > SignedArtifacts.MAX_SIGNED_BYTES || signatureLayer.size() > SignedArtifacts.MAX_SIGNED_BYTES
                ? "the manifest or signature is larger than " + SignedArtifacts.MAX_SIGNED_BYTES + " bytes" : null;
        if (refused != null) {
            return intake.rejected(path[0], path[1], refused);
        }
        byte[] manifestBytes = client.blobBytes(repository, manifestLayer.digest(), SignedArtifacts.MAX_SIGNED_BYTES);
        byte[] signature = client.blobBytes(repository, signatureLayer.digest(), SignedArtifacts.MAX_SIGNED_BYTES);
        return intake.detected(path[0], path[1], tag, new String(manifestBytes, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString(signature), source.name().toLowerCase(java.util.Locale.ROOT));
    }
}
