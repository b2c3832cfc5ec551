package org.edgeorch.release;

import java.util.List;

import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.semver4j.Range;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * The one check of an npm-style version range, for OS profiles and app deployments alike: {@code ~1.4.0}, {@code ^1.4.0},
 * {@code 1.4.x}, {@code >=1.2.0 <2.0.0}, {@code 1.2.3 || 2.x}, {@code *}. A blank, unparsable or impossible range
 * ({@code >=2.0.0 <1.0.0}, which no version satisfies) is refused rather than read as "anything" or "nothing".
 */
public final class VersionRanges {

    private VersionRanges() {
    }

    /** The range, stripped, or a {@link TenancyException} INVALID naming {@code versionRange}. */
    public static String checked(String range) {
        String r = range == null ? "" : range.strip();
        if (r.isEmpty()) {
            throw invalid("versionRange is required, for example ~1.4.0 or *");
        }
        if (r.length() > 128) {
            throw invalid("versionRange must be at most 128 characters");
        }
        RangesList parsed;
        try {
            parsed = RangesListFactory.create(r);
        } catch (RuntimeException e) {
            parsed = null;
        }
        String quoted = r.length() > 40 ? r.substring(0, 40) + "…" : r;
        if (parsed == null || parsed.get().isEmpty()) {
            throw invalid("versionRange '" + quoted
                    + "' is not a version range; write for example ~1.4.0, ^1.4.0, 1.4.x, >=1.2.0 <2.0.0 or *");
        }
        if (parsed.get().stream().noneMatch(VersionRanges::satisfiable)) {
            throw invalid("versionRange '" + quoted + "' can be satisfied by no version (its lower bound is above its upper)");
        }
        return r;
    }

    /** Whether some version satisfies every comparator of one conjunction. */
    static boolean satisfiable(List<Range> all) {
        Semver lower = null;
        boolean lowerStrict = false;
        Semver upper = null;
        boolean upperStrict = false;
        for (Range range : all) {
            String s = range.toString();
            Semver v = range.getRangeVersion();
            boolean isLower = s.startsWith(">") || s.startsWith("=") || Character.isDigit(s.charAt(0));
            boolean isUpper = s.startsWith("<") || s.startsWith("=") || Character.isDigit(s.charAt(0));
            boolean strict = (s.startsWith(">") || s.startsWith("<")) && !s.startsWith(">=") && !s.startsWith("<=");
            if (isLower && (lower == null || v.isGreaterThan(lower) || v.isEqualTo(lower) && strict)) {
                lower = v;
                lowerStrict = strict;
            }
            if (isUpper && (upper == null || v.isLowerThan(upper) || v.isEqualTo(upper) && strict)) {
                upper = v;
                upperStrict = strict;
            }
        }
        if (lower == null || upper == null) {
            return true;
        }
        return lower.isLowerThan(upper) || lower.isEqualTo(upper) && !lowerStrict && !upperStrict;
    }

    private static TenancyException invalid(String message) {
        return new TenancyException(Reason.INVALID, "versionRange", message);
    }
}
