package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/** SOAP forms of the onboarding records. Instants are ISO-8601 text, like the fleet's. */
public final class OnboardingDtos {

    private OnboardingDtos() {
    }

    /** {@code maxUses} absent: any number of enrolments until it expires. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "EnrolmentToken")
    public static class EnrolmentToken {
        public String name;
        public String site;
        public String expiresAt;
        public Integer maxUses;
        public int uses;
        public String createdBy;
        public String createdAt;
        public String revokedAt;
    }

    /** A new token with its secret, which is shown only in this answer. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "IssuedEnrolmentToken")
    public static class IssuedToken {
        public EnrolmentToken token;
        public String secret;
        /** The SHA-256 fingerprint of the host certificate authority, which nodes pin when they enrol. */
        public String caFingerprint;
    }

    /** {@code revocationReason}: INVALIDATED, DELETED or REENROLLED. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "HostCertificate")
    public static class HostCertificate {
        public String serial;
        public String notBefore;
        public String notAfter;
        public String revokedAt;
        public String revocationReason;
    }

    /** The last inventory of a host, in the same form as a hardware plugin's report. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "HostInventory")
    public static class Inventory {
        public String host;
        public String sha256;
        public String reportedAt;
        public PluginReportDto.HardwareDto hardware;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "InventoryChange")
    public static class InventoryChange {
        public long id;
        public String changedAt;
        @XmlElement(name = "section")
        public List<String> sections = new ArrayList<>();
        public String summary;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "HostReport")
    public static class HostReport {
        public long sequence;
        public String occurredAt;
        public String receivedAt;
        public String kind;
        public String detail;
    }

    /** The authority nodes must trust: its PEM certificate and the SHA-256 fingerprint to pin. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "CertificateAuthority")
    public static class CertificateAuthority {
        public String certificate;
        public String sha256Fingerprint;
        public String notAfter;
    }
}
