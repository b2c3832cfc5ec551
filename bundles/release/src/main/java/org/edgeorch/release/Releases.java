package org.edgeorch.release;

import java.time.Instant;
import java.util.List;

import org.edgeorch.spi.release.ReleaseManifest.OsType;

/** The records of the release service, the trust store and OS resources. */
public final class Releases {

    private Releases() {
    }

    /** Whether a verified release may still be installed. */
    public enum ReleaseStatus {
        /** Its signature verified against the trust store when it was detected. */
        VERIFIED,
        /** Its signer was revoked afterwards: it is no longer offered or installable. */
        REVOKED
    }

    /**
     * An OS image the release service published and the orchestrator verified: platform-wide, the same for
     * every project. Only verified releases become OS resources.
     *
     * @param imageDigest  {@code sha256:<hex>}, checked against the bytes the registry served
     * @param signer       subject of the certificate that signed the release manifest
     * @param detectedAt   when the orchestrator accepted it
     * @param source       how it was found
     */
    public record Release(String profile, String version, OsType osType, String architecture, String imageDigest,
                          long imageSize, String securityFeature, String description, List<String> knownCves,
                          List<String> fixedCves, String repository, String manifestDigest, String signer,
                          String signerFingerprint, String created, Instant detectedAt, DetectionSource source,
                          ReleaseStatus status) {
        public Release {
            knownCves = List.copyOf(knownCves);
            fixedCves = List.copyOf(fixedCves);
        }
    }

    /** How the orchestrator learnt of a release. */
    public enum DetectionSource {
        /** The registry's push notification. */
        WEBHOOK,
        /** The polling route, which lists the registry's repositories and tags. */
        POLL,
        /** An operator asked for it ({@code edge:release-check}, {@code POST /releases/check}). */
        MANUAL
    }

    /** What became of a candidate release. */
    public enum EventOutcome {
        /** Verified; a release now, offered to the projects whose profiles follow it. */
        ACCEPTED,
        /** Refused for good: it will never become installable. The reason says why. */
        REJECTED,
        /** Could not be checked (the registry failed); it will be tried again. */
        FAILED,
        /** A release withdrawn after the fact, because its signer was revoked. */
        WITHDRAWN
    }

    /** Why a candidate was rejected or failed. */
    public enum EventReason {
        /** The artifact has no signature layer. */
        MISSING_SIGNATURE,
        /** The signature is not a detached CMS SignedData. */
        MALFORMED_SIGNATURE,
        /** The signature does not match the manifest: the manifest was changed after signing. */
        BAD_SIGNATURE,
        /** Signed by a certificate the trust store does not hold. */
        UNKNOWN_SIGNER,
        /** Signed by a revoked certificate. */
        REVOKED_SIGNER,
        /** Signed by a certificate that was not valid at the time of checking. */
        EXPIRED_SIGNER,
        /** The artifact is not an OS release (another artifact type). */
        NOT_A_RELEASE,
        /** The release manifest layer is missing, too large, or not valid JSON of the release schema. */
        MANIFEST_INVALID,
        /** The manifest's profile or version does not match the repository or tag it was pushed to. */
        MANIFEST_MISMATCH,
        /** The image layer is missing, or its digest or size differs from the signed manifest. */
        IMAGE_MISMATCH,
        /** The bytes the registry served do not hash to the signed digest. */
        IMAGE_TAMPERED,
        /** The same profile and version was already released with other contents. */
        VERSION_CONFLICT,
        /** The registry could not be read; retried. */
        REGISTRY_ERROR,
        /** The signer was revoked after the release was accepted. */
        SIGNER_REVOKED
    }

    /** One thing that happened to a candidate release, newest first when listed. */
    public record ReleaseEvent(long id, Instant occurredAt, DetectionSource source, String repository, String tag,
                               String manifestDigest, String profile, String version, EventOutcome outcome,
                               EventReason reason, String detail) {
    }

    /** A certificate whose signatures the release service accepts (or accepted, until revoked). */
    public record Signer(String name, String subject, String fingerprint, Instant notBefore, Instant notAfter,
                         String addedBy, Instant addedAt, Instant revokedAt, String revocationReason,
                         String certificate) {
    }

    /** A certificate revocation list in the trust store. */
    public record RevocationList(String issuer, Instant thisUpdate, Instant nextUpdate, int entries, String addedBy,
                                 Instant addedAt) {
    }

    /** How a project's OS profile takes new releases. */
    public enum ProfileMode {
        /** Every verified release in the version range becomes an OS resource, and the newest the latest. */
        AUTOMATIC,
        /** Releases become OS resources only when an operator imports them. */
        MANUAL
    }

    /**
     * A project's OS profile: which releases it follows and how.
     *
     * @param releaseProfile the release service's profile it follows
     * @param versionRange   an npm-style range: {@code ~1.4.0}, {@code ^1.4.0}, {@code 1.4.x}, {@code >=1.2.0 <2.0.0}, {@code *}
     * @param architecture   only releases of this architecture, or null for any
     * @param latest         the newest OS resource's version, or null when it has none
     */
    public record OsProfile(String name, String releaseProfile, String versionRange, ProfileMode mode,
                            String architecture, String description, String latest, int resources, Instant createdAt,
                            Instant updatedAt) {
    }

    /** A new or changed profile, as asked for. Null fields of an update are left unchanged. */
    public record ProfileSpec(String releaseProfile, String versionRange, ProfileMode mode, String architecture,
                              String description) {
    }

    /**
     * A release offered to a project under one of its profiles: what the project's hosts can be updated to.
     *
     * @param release the release it is, with its digest, size and CVE lists
     * @param importedBy {@code release-service} for automatic offers, or the operator who imported it
     */
    public record OsResource(String profile, String version, boolean latest, Release release, String importedBy,
                             Instant createdAt) {
    }
}
