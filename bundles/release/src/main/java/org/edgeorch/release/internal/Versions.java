package org.edgeorch.release.internal;

import java.util.Comparator;

import org.semver4j.Semver;

/**
 * Semantic versions and npm-style ranges, through semver4j: {@code ~1.4.0} (same major.minor, patch at
 * least 0), {@code ^1.4.0}, {@code 1.4.x}, {@code >=1.2.0 <2.0.0}, {@code 1.2.3 || 2.x}, {@code *}.
 * Pre-releases match only ranges that name a pre-release of the same version, as in npm.
 */
final class Versions {

    /** Newest first by semantic-version precedence. */
    static final Comparator<String> NEWEST_FIRST = Comparator.comparing(Versions::parse).reversed();

    private Versions() {
    }

    static Semver parse(String version) {
        Semver v = Semver.parse(version);
        if (v == null) {
            throw new IllegalArgumentException("'" + version + "' is not a semantic version");
        }
        return v;
    }

    static boolean valid(String version) {
        return version != null && Semver.isValid(version);
    }

    /** The range, checked: a blank or unparsable range is refused rather than read as "anything". */
    static String range(String range) {
        return org.edgeorch.release.VersionRanges.checked(range);
    }

    static boolean satisfies(String version, String range) {
        Semver v = Semver.parse(version);
        return v != null && v.satisfies(range);
    }
}
