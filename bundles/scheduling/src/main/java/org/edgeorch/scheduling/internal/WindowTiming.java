package org.edgeorch.scheduling.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.scheduling.Schedules.Window;
import org.edgeorch.scheduling.Schedules.WindowKind;
import org.edgeorch.scheduling.Schedules.WindowUpdate;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

/**
 * When a window is open, checked field by field: a single window's start and end, or a repeated window's cron, zone
 * and duration, validated with the window engine itself so that what is stored is what the engine runs. Refusals are
 * INVALID with the field at fault and what to give instead.
 */
record WindowTiming(WindowKind kind, Instant start, Instant end, String cron, String zone, Duration duration) {

    private static final String EXAMPLE_INSTANT = "such as 2026-06-01T22:00:00Z or 2026-06-02T00:00:00+02:00";

    /** Checks the text of a new window; blank fields count as absent. */
    static WindowTiming of(String start, String end, String cron, String zone, String duration) {
        String s = blank(start);
        String e = blank(end);
        String c = blank(cron);
        String z = blank(zone);
        String d = blank(duration);
        if (s != null && c != null) {
            throw invalid("cron", "a window is either single (start, optional end) or repeated (cron, zone, duration),"
                    + " not both: give start or cron");
        }
        if (s == null && c == null) {
            throw invalid("start", "a window needs a start (a single window, with an optional end) or a cron expression"
                    + " (a repeated window, with zone and duration)");
        }
        return s != null ? single(s, e, z, d) : repeated(c, e, z, d);
    }

    /** The timing after {@code u}: see {@link WindowUpdate} for how its fields combine with the current ones. */
    static WindowTiming merge(Window current, WindowUpdate u) {
        boolean single = current.kind() == WindowKind.SINGLE;
        String currentEnd = single && current.end() != null ? current.end().toString() : null;
        if (blank(u.start()) != null) {
            return of(u.start(), u.end() != null ? u.end() : currentEnd, u.cron(), u.zone(), u.duration());
        }
        if (blank(u.cron()) != null) {
            return of(null, u.end(), u.cron(), u.zone() != null ? u.zone() : current.zone(),
                    u.duration() != null ? u.duration() : current.duration());
        }
        if (single) {
            return of(current.start().toString(), u.end() != null ? u.end() : currentEnd, null, u.zone(), u.duration());
        }
        return of(null, u.end(), current.cron(), u.zone() != null ? u.zone() : current.zone(),
                u.duration() != null ? u.duration() : current.duration());
    }

    private static WindowTiming single(String start, String end, String zone, String duration) {
        if (zone != null || duration != null) {
            throw invalid(zone != null ? "zone" : "duration", "zone and duration belong to repeated windows; a single"
                    + " window is open from start to end (give cron instead of start for a repeated window)");
        }
        Instant from = instant("start", start);
        Instant to = end == null ? null : instant("end", end);
        try {
            MaintenanceWindow.single(from, to);
        } catch (IllegalArgumentException e) {
            throw invalid("end", e.getMessage());
        }
        return new WindowTiming(WindowKind.SINGLE, from, to, null, null, null);
    }

    private static WindowTiming repeated(String cron, String end, String zone, String duration) {
        if (end != null) {
            throw invalid("end", "end belongs to single windows; each occurrence of a repeated window closes after its"
                    + " duration");
        }
        if (cron.length() > 255) {
            throw invalid("cron", "cron expression must be at most 255 characters");
        }
        if (zone == null) {
            throw invalid("zone", "a repeated window needs a zone, the IANA time zone its cron expression is read in,"
                    + " such as Europe/Berlin");
        }
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            throw invalid("zone", "unknown time zone '" + zone + "': use an IANA id such as Europe/Berlin, America/New_York"
                    + " or UTC");
        }
        if (duration == null) {
            throw invalid("duration", "a repeated window needs a duration, how long each occurrence stays open:"
                    + " ISO-8601 such as PT2H or PT30M");
        }
        Duration length;
        try {
            length = Duration.parse(duration);
        } catch (DateTimeParseException e) {
            throw invalid("duration", "duration '" + duration + "' is not an ISO-8601 duration such as PT2H, PT30M or P1D");
        }
        if (length.isZero() || length.isNegative()) {
            throw invalid("duration", "duration must be positive, was " + duration + ": give how long each occurrence"
                    + " stays open, such as PT2H");
        }
        try {
            MaintenanceWindow.repeated(cron, zone, length);
        } catch (IllegalArgumentException e) {
            throw invalid("cron", e.getMessage());
        }
        return new WindowTiming(WindowKind.REPEATED, null, null, cron, zone, length);
    }

    private static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw invalid(field, field + " '" + text + "' is not an ISO-8601 instant " + EXAMPLE_INSTANT);
        }
    }

    private static TenancyException invalid(String field, String message) {
        return new TenancyException(Reason.INVALID, field, message);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** {@code SINGLE from 2026-06-01T22:00:00Z until 2026-06-02T02:00:00Z}, for the audit log. */
    String describe() {
        return kind == WindowKind.SINGLE ? "single from " + start + (end == null ? ", open-ended" : " until " + end)
                : "repeated '" + cron + "' in " + zone + " for " + duration;
    }
}
