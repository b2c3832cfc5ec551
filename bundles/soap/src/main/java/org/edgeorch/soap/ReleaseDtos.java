package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/** SOAP forms of releases, release events, the trust store, OS profiles and OS resources. Instants are ISO-8601 text. */
public final class ReleaseDtos {

    private ReleaseDtos() {
    }

    /**
     * A verified release. {@code osType}: IMMUTABLE or MUTABLE; {@code source}: WEBHOOK, POLL or MANUAL;
     * {@code status}: VERIFIED, or REVOKED once its signer was revoked (no longer offered or installable).
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Release")
    public static class Release {
        public String profile;
        public String version;
        public String osType;
        public String architecture;
        public String imageDigest;
        public long imageSize;
        public String securityFeature;
        public String description;
        @XmlElement(name = "knownCve")
        public List<String> knownCves = new ArrayList<>();
        @XmlElement(name = "fixedCve")
        public List<String> fixedCves = new ArrayList<>();
        public String repository;
        public String manifestDigest;
        public String signer;
        public String signerFingerprint;
        public String created;
        public String detectedAt;
        public String source;
        public String status;
    }

    /**
     * What became of a candidate release. {@code outcome}: ACCEPTED, REJECTED, FAILED or WITHDRAWN; {@code reason}
     * (for REJECTED, FAILED and WITHDRAWN) names the check that failed, such as UNKNOWN_SIGNER or IMAGE_TAMPERED.
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "ReleaseEvent")
    public static class ReleaseEvent {
        public long id;
        public String occurredAt;
        public String source;
        public String repository;
        public String tag;
        public String manifestDigest;
        public String profile;
        public String version;
        public String outcome;
        public String reason;
        public String detail;
    }

    /** A certificate whose signatures the release service accepts, or accepted until {@code revokedAt}. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "ReleaseSigner")
    public static class Signer {
        public String name;
        public String subject;
        public String fingerprint;
        public String notBefore;
        public String notAfter;
        public String addedBy;
        public String addedAt;
        public String revokedAt;
        public String revocationReason;
        /** PEM. */
        public String certificate;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RevocationList")
    public static class RevocationList {
        public String issuer;
        public String thisUpdate;
        public String nextUpdate;
        public int entries;
        public String addedBy;
        public String addedAt;
    }

    /** {@code mode}: AUTOMATIC or MANUAL; {@code latest}: the newest OS resource's version, absent when it has none. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "OsProfile")
    public static class OsProfile {
        public String name;
        public String releaseProfile;
        public String versionRange;
        public String mode;
        public String architecture;
        public String description;
        public String latest;
        public int resources;
        public String createdAt;
        public String updatedAt;
    }

    /**
     * A new or changed OS profile. {@code versionRange}: an npm-style range such as {@code ~1.4.0}, {@code ^1.4.0},
     * {@code 1.4.x}, {@code >=1.2.0 <2.0.0} or {@code *}; {@code mode}: AUTOMATIC or MANUAL; {@code architecture}
     * absent for any. In a change, absent fields stay as they are.
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "OsProfileSpec")
    public static class OsProfileSpec {
        public String releaseProfile;
        public String versionRange;
        public String mode;
        public String architecture;
        public String description;
    }

    /** A release offered to a project; {@code importedBy} is {@code release-service} for automatic offers. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "OsResource")
    public static class OsResource {
        public String profile;
        public String version;
        public boolean latest;
        public Release release;
        public String importedBy;
        public String createdAt;
    }
}
