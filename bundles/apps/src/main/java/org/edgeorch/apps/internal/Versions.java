package org.edgeorch.apps.internal;

import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
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
        String r = range == null ? "" : range.strip();
        if (r.length() > 128) {
            throw new TenancyException(Reason.INVALID, "versionRange", "versionRange must be at most 128 characters");
        }
        RangesList parsed;
        try {
            parsed = r.isEmpty() ? null : RangesListFactory.create(r);
        } catch (RuntimeException e) {
            parsed = null;
        }
        if (parsed == null || parsed.get().isEmpty()) {
            throw new TenancyException(Reason.INVALID, "versionRange", "versionRange '" + (r.length() > 40 ? r.substring(0, 40)
                    + "…" : r) + "' is not a version range; write for example ^1.0.0, ~1.4.0, 1.x, >=1.2.0 <2.0.0 or *");
        }
        return r;
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
