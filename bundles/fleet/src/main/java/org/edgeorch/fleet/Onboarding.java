package org.edgeorch.fleet;

import java.time.Instant;
import java.util.List;

import org.edgeorch.spi.HardwareInventory;

/** The records of onboarding, certificates and what hosts report. */
public final class Onboarding {

    private Onboarding() {
    }

    /**
     * A token that lets nodes enrol into a project (and, if set, a site). Its secret is shown once, when it is
     * made; only its SHA-256 is kept.
     *
     * @param maxUses null for any number of enrolments until it expires
     */
    public record EnrolmentToken(String name, String site, Instant expiresAt, Integer maxUses, int uses, String createdBy,
                                 Instant createdAt, Instant revokedAt) {
    }

    /** A new token and its secret, which cannot be read again. */
    public record IssuedToken(EnrolmentToken token, String secret) {
    }

    /**
     * A certificate issued to a host.
     *
     * @param revocationReason the host status that revoked it ({@code INVALIDATED}, {@code DELETED}), or
     *                         {@code REENROLLED} when the host enrolled again with a new key
     */
    public record HostCertificate(String serial, Instant notBefore, Instant notAfter, Instant revokedAt,
                                  String revocationReason) {
    }

    /** The last inventory a host reported. */
    public record Inventory(String host, String sha256, Instant reportedAt, HardwareInventory inventory) {
    }

    /** One change of a host's inventory: which sections changed, and how, in words. */
    public record InventoryChange(long id, Instant changedAt, List<String> sections, String summary) {
    }

    /** Something an agent reported (kept in the order the host numbered them). */
    public record HostReport(long sequence, Instant occurredAt, Instant receivedAt, String kind, String detail) {
    }

    /** The authority nodes must trust: its certificate, and the SHA-256 fingerprint to pin at enrolment. */
    public record CertificateAuthorityInfo(String certificate, String sha256Fingerprint, Instant notAfter) {
    }
}
