package org.edgeorch.windows;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

import org.edgeorch.windows.internal.CronSchedule;

/**
 * A window that opens at each match of a five-field UNIX cron expression, read in the local time of
 * an IANA time zone, and stays open for a fixed {@link Duration} of elapsed time.
 *
 * <p>The cron dialect is classic UNIX (parsed by cron-utils): minute hour day-of-month month
 * day-of-week, each a value, list ({@code 1,15}), range ({@code 1-5}), step ({@code *}{@code /15},
 * {@code 22-23/1}) or {@code *}; month and day names ({@code jan}, {@code mon}); Sunday is 0 or 7.
 * When both day-of-month and day-of-week are restricted, a day matching either counts, as in Vixie
 * cron. Days that a month lacks are skipped: {@code 0 0 31 * *} opens in seven months a year, and
 * {@code 0 0 29 2 *} only in leap years.
 *
 * <p>Daylight-saving rules: a start whose local time falls into a spring-forward gap opens at the
 * end of the gap (02:30 on the day Berlin jumps from 02:00 to 03:00 opens at 03:00; several starts
 * in one gap open together, once); a start whose local time occurs twice on a fall-back day opens
 * once, at the first occurrence. The duration is real time, so a 2 h window opening at 01:00 on a
 * fall-back day closes at 02:00 local, after 01:xx has passed twice.
 *
 * <p>Not a record only because it keeps the parsed cron expression, so queries do not re-parse it;
 * equality is on the cron text, zone and duration.
 */
public final class RepeatedWindow implements MaintenanceWindow {

    private final String cron;
    private final ZoneId zone;
    private final Duration duration;
    private final CronSchedule schedule;

    public RepeatedWindow(String cron, String zoneId, Duration duration) {
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("a repeated maintenance window needs a cron expression, "
                    + "five fields: minute hour day-of-month month day-of-week, e.g. '0 2 * * 1-5'");
        }
        this.cron = cron.trim();
        this.zone = zoneOf(zoneId);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("maintenance window duration must be positive, was " + duration
                    + ": give how long each occurrence stays open, e.g. PT2H");
        }
        this.duration = duration;
        this.schedule = CronSchedule.parse(this.cron, zone);
    }

    private static ZoneId zoneOf(String zoneId) {
        if (zoneId == null || zoneId.isBlank()) {
            throw new IllegalArgumentException("a repeated maintenance window needs a time zone, an IANA id such as Europe/Berlin");
        }
        try {
            return ZoneId.of(zoneId.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zoneId + "': use an IANA id such as Europe/Berlin or America/New_York", e);
        }
    }

    public String cron() {
        return cron;
    }

    public ZoneId zone() {
        return zone;
    }

    public Duration duration() {
        return duration;
    }

    /** The parsed schedule; internal, for {@link MaintenanceWindows}. */
    CronSchedule schedule() {
        return schedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepeatedWindow other && cron.equals(other.cron) && zone.equals(other.zone)
                && duration.equals(other.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cron, zone, duration);
    }

    @Override
    public String toString() {
        return "RepeatedWindow[cron=" + cron + ", zone=" + zone + ", duration=" + duration + "]";
    }
}
