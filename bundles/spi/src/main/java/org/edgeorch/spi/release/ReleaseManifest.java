package org.edgeorch.spi.release;

import java.util.List;

/**
 * What a release says about itself: the JSON document that is pushed beside the image in the release
 * service and signed with a detached CMS signature. The orchestrator and the node both verify the
 * signature over the exact bytes of this document before they trust any field of it.
 *
 * @param schema          always {@value #SCHEMA}
 * @param profile         the OS profile the image belongs to, for example {@code edge-microvisor}
 * @param version         a semantic version, for example {@code 1.4.2}
 * @param osType          {@link OsType#IMMUTABLE} (A/B image) or {@link OsType#MUTABLE} (package based)
 * @param architecture    for example {@code x86_64} or {@code aarch64}
 * @param imageSha256     the image's SHA-256, 64 lower-case hex digits
 * @param imageSize       the image's size in bytes
 * @param securityFeature for example {@code SECURE_BOOT_AND_FDE}, or {@code NONE}
 * @param description     free text, may be empty
 * @param knownCves       CVE identifiers known to affect this version
 * @param fixedCves       CVE identifiers this version fixes
 * @param created         when the release was built, ISO-8601 UTC (text, so that nodes need no time module)
 */
public record ReleaseManifest(String schema, String profile, String version, OsType osType, String architecture,
                              String imageSha256, long imageSize, String securityFeature, String description,
                              List<String> knownCves, List<String> fixedCves, String created) {

    public static final String SCHEMA = "edgeorch.release/v1";

    public ReleaseManifest {
        knownCves = knownCves == null ? List.of() : List.copyOf(knownCves);
        fixedCves = fixedCves == null ? List.of() : List.copyOf(fixedCves);
    }

    /** How the OS on a host is updated. */
    public enum OsType {
        /** An image written whole into the inactive A/B slot. */
        IMMUTABLE,
        /** Updated in place by its package manager. */
        MUTABLE
    }
}
