package org.edgeorch.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MaintenanceWindowValidationTest {

    private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

    private static String failure(Runnable construction) {
        return assertThrows(IllegalArgumentException.class, construction::run).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 2 * *", "0 2 * * * *", "61 2 * * *", "0 25 * * *", "0 2 * * 1-9", "every night", "*/0 2 * * *"})
    void badCronIsRejectedWithTheExpressionAndTheExpectedForm(String cron) {
        String message = failure(() -> MaintenanceWindow.repeated(cron, "Europe/Berlin", Duration.ofHours(1)));

        assertTrue(message.contains("'" + cron + "'"), message);
        assertTrue(message.contains("minute hour day-of-month month day-of-week"), message);
    }

    @Test
    void cronThatNeverMatchesIsRejected() {
        String message = failure(() -> MaintenanceWindow.repeated("0 0 30 2 *", "UTC", Duration.ofHours(1)));

        assertTrue(message.contains("never matches"), message);
    }

    @Test
    void unknownZoneIsRejected() {
        String message = failure(() -> MaintenanceWindow.repeated("0 2 * * *", "Europe/Atlantis", Duration.ofHours(1)));

        assertEquals("unknown time zone 'Europe/Atlantis': use an IANA id such as Europe/Berlin or America/New_York", message);
    }

    @Test
    void nonPositiveDurationIsRejected() {
        assertTrue(failure(() -> MaintenanceWindow.repeated("0 2 * * *", "UTC", Duration.ZERO)).contains("must be positive, was PT0S"));
        assertTrue(failure(() -> MaintenanceWindow.repeated("0 2 * * *", "UTC", Duration.ofMinutes(-5))).contains("must be positive"));
        assertTrue(failure(() -> MaintenanceWindow.repeated("0 2 * * *", "UTC", null)).contains("must be positive"));
    }

    @Test
    void singleWindowEndingBeforeOrAtItsStartIsRejected() {
        String message = failure(() -> MaintenanceWindow.single(START, START.minusSeconds(60)));

        assertTrue(message.contains("not after its start 2026-05-01T00:00:00Z"), message);
        assertTrue(failure(() -> MaintenanceWindow.single(START, START)).contains("not after its start"));
        assertTrue(failure(() -> MaintenanceWindow.single(null, START)).contains("needs a start"));
    }

    @Test
    void equalWindowsAreEqual() {
        assertEquals(MaintenanceWindow.repeated(" 0 2 * * 1-5", "Europe/Berlin", Duration.ofHours(2)),
                MaintenanceWindow.repeated("0 2 * * 1-5 ", "Europe/Berlin", Duration.ofMinutes(120)));
    }
}
