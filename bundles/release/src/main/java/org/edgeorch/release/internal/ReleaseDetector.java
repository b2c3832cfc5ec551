package org.edgeorch.release.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.release.Releases.EventOutcome;
import org.edgeorch.release.Releases.EventReason;
import org.edgeorch.release.Releases.ProfileMode;
import org.edgeorch.release.Releases.ReleaseEvent;
import org.edgeorch.release.Releases.ReleaseStatus;
import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciException;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.security.ReleaseTrust;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.edgeorch.spi.release.ReleaseManifest;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.EventPublisher;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a tag in the registry into a release, or into a recorded refusal. The order of checks: the OCI
 * manifest is a release artifact; it has a release manifest and a signature layer; the CMS signature
 * verifies over the release manifest's bytes with a trusted, unrevoked, unexpired certificate; only then
 * is the manifest read, and its profile and version must match the repository and tag; the image layer's
 * digest and size must equal the signed ones, and (with {@code verifyImages}) the bytes the registry
 * serves must hash to that digest. The outcome and the "seen" mark are written in one transaction, so
 * a crash at any point leaves the tag to be checked again and nothing is recorded twice.
 */
final class ReleaseDetector {

    /** The event journal, handed on by the release service (null in tests without one). */
    private volatile EventPublisher events;

    void events(EventPublisher publisher) {
        this.events = publisher;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseDetector.class);
    /** Release manifests and signatures are a few KiB; anything much larger is not one. */
    private static final long MAX_SMALL_BLOB = 64 * 1024;

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final OciClient registry;
    private final ImageCache cache;
    private final String prefix;
    private final int pageSize;
    private final boolean verifyImages;
    private final Supplier<ReleaseTrust> trust;

    ReleaseDetector(Database db, AuditLog audit, Clock clock, OciClient registry, ImageCache cache, String prefix, int pageSize,
                    boolean verifyImages, Supplier<ReleaseTrust> trust) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.registry = registry;
        this.cache = cache;
        this.prefix = prefix;
        this.pageSize = pageSize;
        this.verifyImages = verifyImages;
        this.trust = trust;
    }

    String prefix() {
        return prefix;
    }

    List<Candidate> pollCandidates() {
        if (registry == null) {
            return List.of();
        }
        List<Candidate> out = new ArrayList<>();
        for (String repository : registry.repositories(pageSize)) {
            if (!repository.startsWith(prefix)) {
                continue;
            }
            Set<String> seen = new HashSet<>(db.inTransaction(c -> Sql.strings(c,
                    "SELECT DISTINCT tag FROM release_seen WHERE repository = ?", repository)));
            for (String tag : registry.tags(repository, pageSize)) {
                if (!seen.contains(tag)) {
                    out.add(new Candidate(repository, tag, null, DetectionSource.POLL));
                }
            }
        }
        return out;
    }

    /** The result of checking a candidate, before it is recorded. */
    private record Verdict(EventOutcome outcome, EventReason reason, String detail, String profile, String version,
                           ReleaseManifest manifest, byte[] manifestBytes, byte[] signature, String signer,
                           String signerFingerprint, String imageDigest) {

        static Verdict reject(EventReason reason, String detail) {
            return new Verdict(EventOutcome.REJECTED, reason, detail, null, null, null, null, null, null, null, null);
        }
    }

    Optional<ReleaseEvent> process(Candidate candidate, boolean force) {
        if (registry == null) {
            return Optional.empty();
        }
        String repository = candidate.repository();
        String tag = candidate.tag();
        String digest = candidate.digest();
        try {
            if (digest == null) {
                Optional<String> found = registry.manifestDigest(repository, tag);
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                digest = found.get();
            }
            String key = digest;
            if (!force && db.inTransaction(c -> Sql.string(c, "SELECT outcome FROM release_seen WHERE repository = ? AND tag = ?"
                    + " AND manifest_digest = ?", repository, tag, key)) != null) {
                return Optional.empty();
            }
            Verdict verdict = verify(repository, tag, digest);
            return record(candidate, digest, verdict, force);
        } catch (OciException e) {
            return Optional.of(failed(candidate, digest, "the registry answered " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Checking {}:{} failed: {}", repository, tag, e.toString());
            return Optional.of(failed(candidate, digest, "the registry could not be read: " + e.getMessage()));
        }
    }

    private ReleaseEvent failed(Candidate candidate, String digest, String detail) {
        Instant now = clock.instant();
        long id = db.inTransaction(c -> insertEvent(c, now, candidate.source(), candidate.repository(), candidate.tag(), digest,
                profileOf(candidate.repository()), candidate.tag(), EventOutcome.FAILED, EventReason.REGISTRY_ERROR,
                ReleaseServiceImpl.truncate(detail, 1000)));
        return new ReleaseEvent(id, now, candidate.source(), candidate.repository(), candidate.tag(), digest,
                profileOf(candidate.repository()), candidate.tag(), EventOutcome.FAILED, EventReason.REGISTRY_ERROR, detail);
    }

    private String profileOf(String repository) {
        return ReleaseServiceImpl.truncate(repository.startsWith(prefix) ? repository.substring(prefix.length()) : repository, 63);
    }

    private Verdict verify(String repository, String tag, String digest) throws IOException {
        OciManifest manifest;
        try {
            manifest = OciManifest.parse(registry.manifest(repository, digest).bytes());
        } catch (IllegalArgumentException e) {
            return Verdict.reject(EventReason.NOT_A_RELEASE, "not an OCI image manifest: " + e.getMessage());
        }
        if (!ReleaseArtifact.ARTIFACT_TYPE.equals(manifest.artifactType())) {
            return Verdict.reject(EventReason.NOT_A_RELEASE, "artifact type is " + manifest.artifactType() + ", not "
                    + ReleaseArtifact.ARTIFACT_TYPE);
        }
        Descriptor manifestLayer = layer(manifest, ReleaseArtifact.MANIFEST_MEDIA_TYPE);
        if (manifestLayer == null) {
            return Verdict.reject(EventReason.MANIFEST_INVALID, "the artifact has no release manifest layer");
        }
        if (manifestLayer.size() > MAX_SMALL_BLOB) {
            return Verdict.reject(EventReason.MANIFEST_INVALID, "the release manifest is " + manifestLayer.size() + " bytes; at most "
                    + MAX_SMALL_BLOB + " are read");
        }
        Descriptor signatureLayer = layer(manifest, ReleaseArtifact.SIGNATURE_MEDIA_TYPE);
        if (signatureLayer == null) {
            return Verdict.reject(EventReason.MISSING_SIGNATURE, "the artifact has no signature layer: unsigned releases are never offered");
        }
        if (signatureLayer.size() > MAX_SMALL_BLOB) {
            return Verdict.reject(EventReason.MALFORMED_SIGNATURE, "the signature is " + signatureLayer.size() + " bytes; at most "
                    + MAX_SMALL_BLOB + " are read");
        }
        byte[] manifestBytes = registry.blobBytes(repository, manifestLayer.digest(), MAX_SMALL_BLOB);
        byte[] signature = registry.blobBytes(repository, signatureLayer.digest(), MAX_SMALL_BLOB);
        ReleaseSignatures.SignatureCheck check = ReleaseSignatures.verify(manifestBytes, signature, trust.get(), clock.instant());
        if (!check.valid()) {
            return Verdict.reject(EventReason.valueOf(check.failure().name()), check.detail());
        }
        String signer = check.signer().getSubjectX500Principal().getName();
        ReleaseManifest release;
        try {
            release = ReleasePublisher.parse(manifestBytes);
        } catch (IllegalArgumentException e) {
            return Verdict.reject(EventReason.MANIFEST_INVALID, "the signed release manifest is not valid: " + e.getMessage());
        }
        if (!Versions.valid(release.version())) {
            return Verdict.reject(EventReason.MANIFEST_INVALID, "version '" + release.version() + "' is not a semantic version");
        }
        if (!repository.equals(prefix + release.profile()) || !tag.equals(ReleasePublisher.tag(release.version()))) {
            return Verdict.reject(EventReason.MANIFEST_MISMATCH, "the manifest describes " + release.profile() + " "
                    + release.version() + " but was pushed as " + repository + ":" + tag);
        }
        String imageDigest = "sha256:" + release.imageSha256();
        Descriptor image = layer(manifest, ReleaseArtifact.IMAGE_MEDIA_TYPE);
        if (image == null) {
            return Verdict.reject(EventReason.IMAGE_MISMATCH, "the artifact has no image layer");
        }
        if (!image.digest().equals(imageDigest) || image.size() != release.imageSize()) {
            return Verdict.reject(EventReason.IMAGE_MISMATCH, "the image layer is " + image.digest() + " (" + image.size()
                    + " bytes) but the signed manifest says " + imageDigest + " (" + release.imageSize() + " bytes)");
        }
        if (verifyImages) {
            try {
                cache.fetch(registry, repository, imageDigest, release.imageSize());
            } catch (ImageCache.TamperedImageException e) {
                return Verdict.reject(EventReason.IMAGE_TAMPERED, e.getMessage());
            }
        }
        return new Verdict(EventOutcome.ACCEPTED, null, "signed by " + signer, release.profile(), release.version(), release,
                manifestBytes, signature, signer, check.signerFingerprint(), imageDigest);
    }

    private static Descriptor layer(OciManifest manifest, String mediaType) {
        return manifest.layers() == null ? null
                : manifest.layers().stream().filter(l -> mediaType.equals(l.mediaType())).findFirst().orElse(null);
    }

    /** Records the verdict with the "seen" mark; an accepted release is offered to automatic profiles. */
    private Optional<ReleaseEvent> record(Candidate candidate, String digest, Verdict verdict, boolean force) {
        Instant now = clock.instant();
        String repository = candidate.repository();
        String tag = candidate.tag();
        String profile = verdict.profile() != null ? verdict.profile() : profileOf(repository);
        String version = verdict.version() != null ? verdict.version() : ReleaseServiceImpl.truncate(tag, 128);
        List<String[]> offers = new ArrayList<>();
        Optional<ReleaseEvent> event = db.inTransaction(c -> {
            String seen = Sql.string(c, "SELECT outcome FROM release_seen WHERE repository = ? AND tag = ? AND manifest_digest = ?",
                    repository, tag, digest);
            if (seen != null && !force) {
                return Optional.<ReleaseEvent>empty();
            }
            Verdict v = verdict;
            if (v.outcome() == EventOutcome.ACCEPTED) {
                String[] existing = Sql.one(c, "SELECT manifest_digest, image_digest FROM os_release WHERE profile = ? AND version = ?",
                        rs -> new String[] {rs.getString(1), rs.getString(2)}, profile, version).orElse(null);
                if (existing != null && existing[0].equals(digest)) {
                    // Already a release (a forced re-check): nothing new to record.
                    return Optional.<ReleaseEvent>empty();
                }
                if (existing != null) {
                    v = Verdict.reject(EventReason.VERSION_CONFLICT, profile + " " + version + " was already released as "
                            + existing[0] + " with image " + existing[1] + "; releases are immutable, publish a new version");
                }
            }
            if (seen != null) {
                Sql.update(c, "UPDATE release_seen SET outcome = ?, seen_at = ? WHERE repository = ? AND tag = ? AND manifest_digest = ?",
                        v.outcome(), now, repository, tag, digest);
            } else {
                Sql.update(c, "INSERT INTO release_seen (repository, tag, manifest_digest, outcome, seen_at) VALUES (?, ?, ?, ?, ?)",
                        repository, tag, digest, v.outcome(), now);
            }
            if (v.outcome() == EventOutcome.ACCEPTED) {
                offers.addAll(insertRelease(c, candidate, digest, v, now));
            }
            String detail = v.outcome() == EventOutcome.ACCEPTED
                    ? v.detail() + "; offered to " + offers.size() + " profile(s)" : v.detail();
            long id = insertEvent(c, now, candidate.source(), repository, tag, digest, profile, version, v.outcome(), v.reason(),
                    ReleaseServiceImpl.truncate(detail, 1000));
            return Optional.of(new ReleaseEvent(id, now, candidate.source(), repository, tag, digest, profile, version,
                    v.outcome(), v.reason(), detail));
        });
        event.ifPresent(e -> {
            if (e.outcome() == EventOutcome.ACCEPTED) {
                LOG.info("Release {} {} accepted from {} ({})", profile, version, candidate.source(), e.detail());
            } else {
                LOG.warn("Release candidate {}:{} {}: {} {}", repository, tag, e.outcome(), e.reason(), e.detail());
            }
            for (String[] offer : offers) {
                audit.record(ReleaseServiceImpl.SYSTEM_ACTOR, offer[0], offer[1], "os-resource.offer", "os-resource",
                        offer[2] + "/" + version, Outcome.SUCCESS, null, "release " + profile + " " + version);
            }
        });
        return event;
    }

    /** Inserts the release and offers it to matching AUTOMATIC profiles; returns (org, project, profile) of each offer. */
    private List<String[]> insertRelease(Connection c, Candidate candidate, String digest, Verdict v, Instant now)
            throws SQLException {
        ReleaseManifest m = v.manifest();
        String releaseId = UUID.randomUUID().toString();
        Sql.update(c, "INSERT INTO os_release (id, profile, version, os_type, architecture, image_digest, image_size,"
                        + " security_feature, description, known_cves, fixed_cves, repository, manifest_digest, release_manifest,"
                        + " signature, signer, signer_fingerprint, created, detected_at, source, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                releaseId, m.profile(), m.version(), m.osType(), ReleaseServiceImpl.truncate(m.architecture(), 32), v.imageDigest(),
                m.imageSize(), ReleaseServiceImpl.truncate(m.securityFeature() == null ? "NONE" : m.securityFeature(), 63),
                ReleaseServiceImpl.truncate(m.description() == null ? "" : m.description(), 1000),
                ReleaseServiceImpl.truncate(String.join(",", m.knownCves()), 8000),
                ReleaseServiceImpl.truncate(String.join(",", m.fixedCves()), 8000), candidate.repository(), digest,
                new String(v.manifestBytes(), StandardCharsets.UTF_8), ReleaseServiceImpl.base64(v.signature()),
                ReleaseServiceImpl.truncate(v.signer(), 512), v.signerFingerprint(),
                m.created() == null ? "" : ReleaseServiceImpl.truncate(m.created(), 40), now, candidate.source(), ReleaseStatus.VERIFIED);
        List<String[]> offers = new ArrayList<>();
        List<String[]> profiles = Sql.list(c, "SELECT f.id, f.project_id, p.org_id, f.name, f.version_range, f.architecture"
                        + " FROM os_profile f JOIN project p ON p.id = f.project_id WHERE f.release_profile = ? AND f.mode = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6)}, m.profile(), ProfileMode.AUTOMATIC);
        for (String[] f : profiles) {
            if ((f[5] == null || f[5].equals(m.architecture())) && Versions.satisfies(m.version(), f[4])) {
                ReleaseServiceImpl.insertResource(c, f[1], f[0], releaseId, ReleaseServiceImpl.SYSTEM_ACTOR, now, events);
                offers.add(new String[] {f[2], f[1], f[3]});
            }
        }
        return offers;
    }

    static long insertEvent(Connection c, Instant at, DetectionSource source, String repository, String tag, String digest,
                            String profile, String version, EventOutcome outcome, EventReason reason, String detail)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO release_event (occurred_at, source, repository, tag,"
                + " manifest_digest, profile, version, outcome, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Sql.bind(insert, at, source, ReleaseServiceImpl.truncate(repository, 255), ReleaseServiceImpl.truncate(tag, 128),
                    digest, ReleaseServiceImpl.truncate(profile, 63), ReleaseServiceImpl.truncate(version, 128), outcome, reason,
                    ReleaseServiceImpl.truncate(detail, 1000));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : 0;
            }
        }
    }
}
