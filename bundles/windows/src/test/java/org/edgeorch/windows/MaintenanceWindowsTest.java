package org.edgeorch.windows;

import static org.edgeorch.windows.MaintenanceWindows.currentOrNext;
import static org.edgeorch.windows.MaintenanceWindows.isOpen;
import static org.edgeorch.windows.MaintenanceWindows.nextOpening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MaintenanceWindowsTest {

    private static final String BERLIN = "Europe/Berlin";
    private static final String NEW_YORK = "America/New_York";

    private static Instant utc(String dateTime) {
        return LocalDateTime.parse(dateTime).toInstant(ZoneOffset.UTC);
    }

    /** A local time that exists exactly once in the zone. */
    private static Instant local(String dateTime, String zone) {
        return LocalDateTime.parse(dateTime).atZone(ZoneId.of(zone)).toInstant();
    }

    private static Interval occurrence(String startUtc, String endUtc) {
        return new Interval(utc(startUtc), utc(endUtc));
    }

    private static RepeatedWindow repeated(String cron, String zone, String duration) {
        return MaintenanceWindow.repeated(cron, zone, Duration.parse(duration));
    }

    // --- weekday nightly windows -------------------------------------------------------------

    @Test
    void weekdayNightlyWindowIsOpenDuringTheNightAndClosedAfter() {
        RepeatedWindow nightly = repeated("0 2 * * 1-5", BERLIN, "PT2H"); // Monday 2026-01-12, CET = UTC+1

        assertTrue(isOpen(nightly, local("2026-01-12T02:00", BERLIN)), "opens at its start");
        assertTrue(isOpen(nightly, local("2026-01-12T03:59", BERLIN)));
        assertFalse(isOpen(nightly, local("2026-01-12T04:00", BERLIN)), "closes at start + duration");
        assertEquals(Optional.of(occurrence("2026-01-12T01:00", "2026-01-12T03:00")),
                currentOrNext(nightly, local("2026-01-12T02:30", BERLIN)));
        assertEquals(Optional.of(occurrence("2026-01-13T01:00", "2026-01-13T03:00")),
                currentOrNext(nightly, local("2026-01-12T04:00", BERLIN)), "next night after this one closed");
    }

    @Test
    void weekdayNightlyWindowSkipsTheWeekend() {
        RepeatedWindow nightly = repeated("0 2 * * 1-5", BERLIN, "PT2H");

        assertFalse(isOpen(nightly, local("2026-01-17T02:30", BERLIN)), "Saturday");
        assertEquals(Optional.of(occurrence("2026-01-19T01:00", "2026-01-19T03:00")),
                currentOrNext(nightly, local("2026-01-16T05:00", BERLIN)), "Friday morning: next is Monday");
    }

    // --- single windows ----------------------------------------------------------------------

    @Test
    void openEndedSingleWindowOpensAtItsStartAndNeverCloses() {
        SingleWindow window = MaintenanceWindow.single(utc("2026-05-01T00:00"), null);

        assertFalse(isOpen(window, utc("2026-04-30T23:59")));
        assertEquals(Optional.of(new Interval(utc("2026-05-01T00:00"), null)), currentOrNext(window, utc("2026-04-01T00:00")));
        assertTrue(isOpen(window, utc("2026-05-01T00:00")));
        assertTrue(isOpen(window, utc("2100-01-01T00:00")));
    }

    @Test
    void boundedSingleWindowIsHalfOpenAndGoneOnceEnded() {
        SingleWindow window = MaintenanceWindow.single(utc("2026-05-01T00:00"), utc("2026-05-01T06:00"));

        assertTrue(isOpen(window, utc("2026-05-01T05:59:59")));
        assertFalse(isOpen(window, utc("2026-05-01T06:00")));
        assertEquals(Optional.empty(), currentOrNext(window, utc("2026-05-01T06:00")));
    }

    // --- daylight saving: Europe/Berlin (2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00) ---

    @Test
    void berlinSpringForwardStartInTheGapOpensWhenTheGapEnds() {
        RepeatedWindow window = repeated("30 2 * * *", BERLIN, "PT1H");

        // 02:30 does not exist on 29 March: opens at 03:00 CEST = 01:00Z, one real hour.
        assertEquals(Optional.of(occurrence("2026-03-29T01:00", "2026-03-29T02:00")),
                currentOrNext(window, utc("2026-03-29T00:30")));
        assertTrue(isOpen(window, utc("2026-03-29T01:30")));
        assertFalse(isOpen(window, utc("2026-03-29T02:00")));
        assertEquals(Optional.of(occurrence("2026-03-28T01:30", "2026-03-28T02:30")),
                currentOrNext(window, utc("2026-03-28T00:00")), "the day before, 02:30 CET");
        assertEquals(Optional.of(occurrence("2026-03-30T00:30", "2026-03-30T01:30")),
                currentOrNext(window, utc("2026-03-29T02:00")), "the day after, 02:30 CEST");
    }

    @Test
    void berlinSpringForwardSeveralStartsInTheGapCollapseIntoOne() {
        RepeatedWindow window = repeated("*/20 2 * * *", BERLIN, "PT10M");

        // 02:00, 02:20 and 02:40 do not exist on 29 March: all open at 03:00 CEST = 01:00Z.
        assertEquals(Optional.of(occurrence("2026-03-29T01:00", "2026-03-29T01:10")),
                currentOrNext(window, utc("2026-03-29T00:59")));
        assertEquals(Optional.of(occurrence("2026-03-30T00:00", "2026-03-30T00:10")),
                currentOrNext(window, utc("2026-03-29T01:10")), "next is 02:00 CEST the day after");
    }

    @Test
    void berlinFallBackStartThatOccursTwiceOpensOnceAtTheFirst() {
        RepeatedWindow window = repeated("30 2 * * *", BERLIN, "PT1H");

        // 02:30 CEST = 00:30Z, then again as 02:30 CET = 01:30Z: only the first starts.
        assertEquals(Optional.of(occurrence("2026-10-25T00:30", "2026-10-25T01:30")),
                currentOrNext(window, utc("2026-10-25T00:00")));
        assertFalse(isOpen(window, utc("2026-10-25T01:45")), "no second start at 02:30 CET");
        assertEquals(Optional.of(occurrence("2026-10-26T01:30", "2026-10-26T02:30")),
                currentOrNext(window, utc("2026-10-25T01:30")));
    }

    @Test
    void berlinFallBackHourlyWindowDoesNotRepeatTheDoubledHour() {
        RepeatedWindow hourly = repeated("0 * * * *", BERLIN, "PT30M");

        // 02:00 CEST (00:00Z) starts; 02:00 CET (01:00Z) is the same local time and does not; 03:00 CET (02:00Z) does.
        assertTrue(isOpen(hourly, utc("2026-10-25T00:10")));
        assertFalse(isOpen(hourly, utc("2026-10-25T01:10")));
        assertEquals(Optional.of(occurrence("2026-10-25T02:00", "2026-10-25T02:30")),
                currentOrNext(hourly, utc("2026-10-25T01:10")));
    }

    @Test
    void berlinFallBackOccurrenceStartedLaterInLocalTimeIsStillFoundDuringTheSecondPass() {
        RepeatedWindow window = repeated("45 2 * * *", BERLIN, "PT2H");

        // Opened at 02:45 CEST = 00:45Z; at 01:30Z the wall clock reads 02:30 CET, earlier than 02:45.
        assertTrue(isOpen(window, utc("2026-10-25T01:30")));
        assertEquals(Optional.of(occurrence("2026-10-25T00:45", "2026-10-25T02:45")),
                currentOrNext(window, utc("2026-10-25T01:30")));
    }

    // --- daylight saving: America/New_York (2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00) ---

    @Test
    void newYorkSpringForwardStartInTheGapOpensWhenTheGapEnds() {
        RepeatedWindow window = repeated("30 2 * * *", NEW_YORK, "PT1H");

        // 03:00 EDT = 07:00Z
        assertEquals(Optional.of(occurrence("2026-03-08T07:00", "2026-03-08T08:00")),
                currentOrNext(window, utc("2026-03-08T06:00")));
        assertEquals(Optional.of(occurrence("2026-03-07T07:30", "2026-03-07T08:30")),
                currentOrNext(window, utc("2026-03-07T00:00")), "the day before, 02:30 EST");
    }

    @Test
    void newYorkFallBackDurationIsElapsedTime() {
        RepeatedWindow window = repeated("0 1 * * *", NEW_YORK, "PT2H");

        // 01:00 EDT = 05:00Z; two real hours later is 07:00Z = 02:00 EST, after 01:xx happened twice.
        assertEquals(Optional.of(occurrence("2026-11-01T05:00", "2026-11-01T07:00")),
                currentOrNext(window, utc("2026-11-01T04:00")));
        assertTrue(isOpen(window, utc("2026-11-01T06:30")), "01:30 EST, second pass, still inside");
        assertFalse(isOpen(window, utc("2026-11-01T07:00")));
        assertEquals(Optional.of(occurrence("2026-11-02T06:00", "2026-11-02T08:00")),
                currentOrNext(window, utc("2026-11-01T07:00")), "next day, 01:00 EST");
    }

    // --- occurrences spanning midnight and a DST change ---------------------------------------

    @Test
    void occurrenceSpanningMidnightIsOpenOnTheNextDay() {
        RepeatedWindow window = repeated("0 23 * * *", BERLIN, "PT3H");

        assertTrue(isOpen(window, local("2026-01-13T00:30", BERLIN)));
        assertEquals(Optional.of(occurrence("2026-01-12T22:00", "2026-01-13T01:00")),
                currentOrNext(window, local("2026-01-13T01:59", BERLIN)));
        assertFalse(isOpen(window, local("2026-01-13T02:00", BERLIN)));
    }

    @Test
    void occurrenceSpanningTheSpringForwardLastsItsRealDuration() {
        RepeatedWindow window = repeated("0 1 * * *", BERLIN, "PT3H");

        // 01:00 CET = 00:00Z; three real hours end at 03:00Z, which the wall clock shows as 05:00 CEST.
        assertEquals(Optional.of(occurrence("2026-03-29T00:00", "2026-03-29T03:00")),
                currentOrNext(window, utc("2026-03-29T02:30")));
        assertTrue(isOpen(window, local("2026-03-29T04:59", BERLIN)));
        assertFalse(isOpen(window, local("2026-03-29T05:00", BERLIN)));
    }

    // --- month ends and leap years ------------------------------------------------------------

    @Test
    void dayThirtyOneSkipsMonthsWithoutIt() {
        RepeatedWindow window = repeated("0 0 31 * *", BERLIN, "PT1H");

        assertEquals(Optional.of(occurrence("2026-05-30T22:00", "2026-05-30T23:00")),
                currentOrNext(window, local("2026-04-01T00:00", BERLIN)), "April has 30 days: 31 May, CEST");
        assertEquals(Optional.of(occurrence("2026-03-30T22:00", "2026-03-30T23:00")),
                currentOrNext(window, local("2026-01-31T12:00", BERLIN)), "February skipped: 31 March, already CEST");
    }

    @Test
    void februaryTwentyNinthOnlyInLeapYears() {
        RepeatedWindow window = repeated("0 3 29 2 *", "UTC", "PT1H");

        assertEquals(Optional.of(occurrence("2028-02-29T03:00", "2028-02-29T04:00")),
                currentOrNext(window, utc("2026-03-01T00:00")));
        assertTrue(isOpen(window, utc("2028-02-29T03:59")));
    }

    // --- steps and lists ----------------------------------------------------------------------

    @Test
    void stepsAndRangesEveryQuarterHourLateOnSaturdays() {
        RepeatedWindow window = repeated("*/15 22-23 * * 6", "UTC", "PT10M"); // Saturday 2026-01-17

        assertEquals(Optional.of(occurrence("2026-01-17T22:15", "2026-01-17T22:25")),
                currentOrNext(window, utc("2026-01-17T22:20")));
        assertEquals(Optional.of(occurrence("2026-01-17T22:30", "2026-01-17T22:40")),
                currentOrNext(window, utc("2026-01-17T22:27")));
        assertEquals(Optional.of(occurrence("2026-01-24T22:00", "2026-01-24T22:10")),
                currentOrNext(window, utc("2026-01-17T23:55")), "after the 23:45 occurrence closes, the next is a week later");
    }

    @Test
    void listOfDaysOfMonth() {
        RepeatedWindow window = repeated("30 1 1,15 * *", "UTC", "PT1H");

        assertEquals(utc("2026-01-15T01:30"), currentOrNext(window, utc("2026-01-02T00:00")).orElseThrow().start());
        assertEquals(utc("2026-02-01T01:30"), currentOrNext(window, utc("2026-01-16T00:00")).orElseThrow().start());
    }

    // --- several windows ----------------------------------------------------------------------

    @Test
    void hostWithSeveralWindowsIsOpenWhenAnyIs() {
        List<MaintenanceWindow> windows = List.of(
                repeated("0 2 * * 1-5", BERLIN, "PT2H"),
                repeated("0 10 * * 6", BERLIN, "PT4H"),
                MaintenanceWindow.single(utc("2026-01-14T12:00"), utc("2026-01-14T13:00")));

        assertTrue(isOpen(windows, local("2026-01-12T03:00", BERLIN)), "weekday night");
        assertTrue(isOpen(windows, local("2026-01-17T11:00", BERLIN)), "Saturday morning");
        assertTrue(isOpen(windows, utc("2026-01-14T12:30")), "one-off window");
        assertFalse(isOpen(windows, local("2026-01-14T12:00", BERLIN)));
        assertEquals(Optional.of(utc("2026-01-14T12:00")), nextOpening(windows, utc("2026-01-14T08:00")), "one-off comes first");
        assertEquals(Optional.of(local("2026-01-15T02:00", BERLIN)), nextOpening(windows, utc("2026-01-14T13:00")));
        assertEquals(Optional.of(local("2026-01-17T10:00", BERLIN)), nextOpening(windows, local("2026-01-16T04:00", BERLIN)));
    }

    @Test
    void whileOpenTheNextOpeningIsNowAndTheLongestOccurrenceWins() {
        Instant now = utc("2026-01-12T01:30");
        List<MaintenanceWindow> windows = List.of(
                repeated("0 2 * * 1-5", BERLIN, "PT2H"),
                MaintenanceWindow.single(utc("2026-01-12T00:00"), utc("2026-01-12T05:00")));

        assertEquals(Optional.of(now), nextOpening(windows, now));
        assertEquals(Optional.of(occurrence("2026-01-12T00:00", "2026-01-12T05:00")), currentOrNext(windows, now));
    }

    @Test
    void noWindowsMeansNeverOpen() {
        assertFalse(isOpen(List.of(), utc("2026-01-12T01:30")));
        assertEquals(Optional.empty(), nextOpening(List.of(), utc("2026-01-12T01:30")));
        assertEquals(Optional.empty(), nextOpening(
                List.of(MaintenanceWindow.single(utc("2026-01-01T00:00"), utc("2026-01-02T00:00"))), utc("2026-01-12T01:30")));
    }

    @Test
    void dayOfMonthAndDayOfWeekBothGivenMatchEitherAsInClassicCron() {
        RepeatedWindow firstOrMonday = repeated("0 0 1 * 1", "UTC", "PT1H");

        assertEquals(utc("2026-01-05T00:00"), currentOrNext(firstOrMonday, utc("2026-01-01T12:00")).orElseThrow().start(),
                "Monday 5 January, though not the 1st");
        assertEquals(utc("2026-02-01T00:00"), currentOrNext(firstOrMonday, utc("2026-01-27T12:00")).orElseThrow().start(),
                "Sunday 1 February, though not a Monday");
    }

    @Test
    void sundayIsZeroOrSevenAndNamesAreAccepted() {
        Instant thursday = utc("2026-01-01T12:00");

        assertEquals(utc("2026-01-04T00:00"), currentOrNext(repeated("0 0 * * 0", "UTC", "PT1H"), thursday).orElseThrow().start());
        assertEquals(utc("2026-01-04T00:00"), currentOrNext(repeated("0 0 * * 7", "UTC", "PT1H"), thursday).orElseThrow().start());
        assertEquals(utc("2026-01-05T00:00"), currentOrNext(repeated("0 0 * jan-feb mon", "UTC", "PT1H"), thursday).orElseThrow().start());
    }
}
