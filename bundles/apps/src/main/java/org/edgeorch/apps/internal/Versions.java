package org.edgeorch.apps.internal;

import org.semver4j.Semver;

/**
 * Auto-upgrade ranges: npm-style semantic-version ranges read by semver4j (the library OS profiles use), for example
 * {@code ^1.0.0}, {@code ~1.4.0}, {@code 1.x}, {@code >=1.2.0 <2.0.0}, {@code *}. Versions that are not semantic
 * versions never match a range.
 */
final class Versions {

    private Versions() {
    }

    /** The range, checked: a blank or unparsable range is refused rather than read as "anything". */
    static String range(String range) {
        return org.edgeorch.release.VersionRanges.checked(range);
    }

    static boolean satisfies(String version, String range) {
        Semver v = Semver.parse(version);
        return v != null && v.satisfies(range);
    }

    /** Positive when {@code a} is newer than {@code b}; both must be semantic versions. */
    static int compare(String a, String b) {
        return Semver.parse(a).compareTo(Semver.parse(b));
    }
}
