package org.edgeorch.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final TenancyFixture.MutableClock clock = new TenancyFixture.MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(LoginThrottle.DEFAULTS, clock);

    private void fail(String account, String address, int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(throttle.check(account, address).isEmpty(), "attempt " + (i + 1) + " was held back");
            throttle.failed(account, address);
        }
    }

    private Duration waitOf(String account, String address) {
        return throttle.check(account, address).map(LoginThrottle.Refusal::retryAfter).orElse(Duration.ZERO);
    }

    @Test
    void fiveFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes() {
        fail("admin", "10.0.0.9", 5);
        assertEquals(Duration.ofSeconds(1), waitOf("admin", "10.0.0.9"));
        long[] expected = {2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300};
        for (long seconds : expected) {
            clock.advance(waitOf("admin", "10.0.0.9"));
            fail("admin", "10.0.0.9", 1);
            assertEquals(Duration.ofSeconds(seconds), waitOf("admin", "10.0.0.9"));
        }
        assertEquals(Duration.ofMinutes(5), throttle.delay(Integer.MAX_VALUE));
    }

    @Test
    void attemptsWhileWaitingDoNotLengthenTheWait() {
        fail("admin", "10.0.0.9", 5);
        for (int i = 0; i < 100; i++) {
            assertTrue(throttle.check("admin", "10.0.0.9").isPresent());
        }
        clock.advance(Duration.ofMillis(999));
        assertEquals(Duration.ofMillis(1), waitOf("admin", "10.0.0.9"));
        clock.advance(Duration.ofMillis(1));
        assertTrue(throttle.check("admin", "10.0.0.9").isEmpty());
    }

    @Test
    void aSuccessResetsTheAccountAndForgivesTheAddressItsTypos() {
        fail("admin", "10.0.0.9", 5);
        clock.advance(Duration.ofSeconds(1));
        fail("admin", "10.0.0.9", 1);
        clock.advance(Duration.ofSeconds(2));
        assertTrue(throttle.check("admin", "10.0.0.9").isEmpty());
        throttle.succeeded("admin", "10.0.0.9");
        fail("admin", "10.0.0.9", 5);
        assertEquals(Duration.ofSeconds(1), waitOf("admin", "10.0.0.9"));
    }

    @Test
    void anAddressWithNoFailuresIsNeverHeldBackByTheAccountsFailures() {
        for (int i = 1; i <= 40; i++) {
            fail("admin", "198.51.100." + i, 1);
        }
        // Forty attackers' addresses: the account has 40 failures, each of those addresses one.
        assertEquals(Duration.ofMinutes(5), waitOf("admin", "198.51.100.1"));
        assertTrue(throttle.check("admin", "10.0.0.1").isEmpty(), "the administrator's own address was locked out");
        throttle.succeeded("admin", "10.0.0.1");
        assertTrue(throttle.check("admin", "198.51.100.1").isEmpty(), "a success resets the account");
    }

    @Test
    void sprayingFromOneAddressIsHeldBackAndOwnLoginsDoNotClearIt() {
        for (int i = 0; i < 5; i++) {
            fail("victim-" + i, "203.0.113.7", 1);
        }
        assertEquals(Duration.ofSeconds(1), waitOf("attacker", "203.0.113.7"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(throttle.check("attacker", "203.0.113.7").isEmpty());
        throttle.succeeded("attacker", "203.0.113.7");
        assertEquals(Duration.ZERO, waitOf("victim-9", "203.0.113.7"));
        throttle.failed("victim-9", "203.0.113.7");
        assertEquals(Duration.ofSeconds(2), waitOf("victim-10", "203.0.113.7"), "the attacker's own login cleared the address");
        assertTrue(throttle.check("victim-10", "10.0.0.1").isEmpty(), "other addresses are not affected");
    }

    @Test
    void onlyTheFirstRefusalOfABurstIsMarkedForTheAudit() {
        fail("admin", "10.0.0.9", 5);
        assertTrue(throttle.check("admin", "10.0.0.9").orElseThrow().firstOfBurst());
        assertFalse(throttle.check("admin", "10.0.0.9").orElseThrow().firstOfBurst());
        assertFalse(throttle.check("admin", "10.0.0.9").orElseThrow().firstOfBurst());
        clock.advance(Duration.ofSeconds(1));
        fail("admin", "10.0.0.9", 1);
        assertTrue(throttle.check("admin", "10.0.0.9").orElseThrow().firstOfBurst());
    }

    @Test
    void failuresAreForgottenAfterAnHourAndUserNamesCaseDoesNotEscape() {
        fail("Admin", "10.0.0.9", 5);
        assertTrue(throttle.check("admin", "10.0.0.9").isPresent());
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        fail("admin", "10.0.0.9", 4);
        assertTrue(throttle.check("admin", "10.0.0.9").isEmpty());
    }

    @Test
    void tablesStayBounded() {
        LoginThrottle small = new LoginThrottle(new LoginThrottle.Settings(5, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofHours(1), 100), clock);
        for (int i = 0; i < 10_000; i++) {
            small.failed("user-" + i, "10.1." + (i / 256) + "." + (i % 256));
        }
        for (int i = 0; i < 5; i++) {
            small.failed("admin", "10.0.0.9");
        }
        assertTrue(small.check("admin", "10.0.0.9").isPresent());
    }
}
