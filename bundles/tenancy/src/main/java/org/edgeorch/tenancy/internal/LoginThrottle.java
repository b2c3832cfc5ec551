package org.edgeorch.tenancy.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Back-off for password logins, shared by every entry point that checks a password (REST login, SOAP
 * UsernameToken, SSH through the Karaf JAAS realm), kept in memory per orchestrator.
 *
 * <p>Failures are counted per account, per client address and per (account, address) pair. After
 * {@code freeFailures} failures of a key, the next attempt must wait {@code firstDelay}, doubling with each
 * further failure up to {@code maxDelay}. An attempt made while it must wait is refused without checking the
 * password and counts nothing, so hammering does not lengthen the wait.
 *
 * <ul>
 *   <li>The address's own back-off applies to every login from it (password spraying across accounts).</li>
 *   <li>The account's back-off applies only to addresses that have themselves failed on that account: a login
 *       from an address with no failure on the account is never held back by failures elsewhere, so an attacker
 *       cannot lock the administrator out, whatever they do; an attacker with many addresses gets one guess per
 *       address before the account's back-off holds each of them too.</li>
 *   <li>A success resets the account and its pair with that address, and forgives the address the failures it
 *       made on that account (a mistyped password), not those on other accounts, so logging in to one's own
 *       account does not clear a spraying address.</li>
 * </ul>
 *
 * A key is forgotten {@code forgetAfter} after its last failure, and each table holds at most
 * {@code maxEntries} keys (least recently used go first), so memory stays bounded under any load.
 */
final class LoginThrottle {

    /** The rule's numbers; {@link #DEFAULTS}: 5 free failures, then 1 s doubling to 5 min, forgotten after 1 h. */
    record Settings(int freeFailures, Duration firstDelay, Duration maxDelay, Duration forgetAfter, int maxEntries) {
        Settings {
            if (freeFailures < 1 || firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("login back-off: freeFailures >= 1 and 0 < firstDelay <= maxDelay");
            }
        }
    }

    static final Settings DEFAULTS = new Settings(5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1), 100_000);

    /** Why an attempt waits: which key holds it back, how long, and whether this is the first refusal of the burst. */
    record Refusal(Duration retryAfter, boolean byAccount, int failures, boolean firstOfBurst) {
    }

    private static final class State {
        int failures;
        Instant lastFailure;
        boolean refusalAudited;
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, State> accounts;
    private final Map<String, State> addresses;
    private final Map<String, State> pairs;

    LoginThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.accounts = lru(settings.maxEntries());
        this.addresses = lru(settings.maxEntries());
        this.pairs = lru(settings.maxEntries());
    }

    /** Empty when the attempt may go on to the password check; otherwise how long it must wait. */
    synchronized Optional<Refusal> check(String account, String address) {
        Instant now = clock.instant();
        String acct = account(account);
        String addr = address(address);
        State byAddress = live(addresses, addr, now);
        State pair = live(pairs, acct + "\n" + addr, now);
        State byAccount = pair == null ? null : live(accounts, acct, now);
        Duration addressWait = wait(byAddress, now);
        Duration accountWait = wait(byAccount, now);
        if (addressWait.isZero() && accountWait.isZero()) {
            return Optional.empty();
        }
        boolean heldByAccount = accountWait.compareTo(addressWait) > 0;
        State holding = heldByAccount ? byAccount : byAddress;
        boolean first = !holding.refusalAudited;
        holding.refusalAudited = true;
        return Optional.of(new Refusal(heldByAccount ? accountWait : addressWait, heldByAccount, holding.failures, first));
    }

    synchronized void failed(String account, String address) {
        Instant now = clock.instant();
        String acct = account(account);
        String addr = address(address);
        for (State s : new State[] {state(accounts, acct, now), state(addresses, addr, now), state(pairs, acct + "\n" + addr, now)}) {
            s.failures++;
            s.lastFailure = now;
            s.refusalAudited = false;
        }
    }

    synchronized void succeeded(String account, String address) {
        Instant now = clock.instant();
        String acct = account(account);
        String addr = address(address);
        accounts.remove(acct);
        State pair = pairs.remove(acct + "\n" + addr);
        State byAddress = live(addresses, addr, now);
        if (pair != null && byAddress != null) {
            byAddress.failures = Math.max(0, byAddress.failures - pair.failures);
            if (byAddress.failures == 0) {
                addresses.remove(addr);
            }
        }
    }

    /** How long a key with this many failures holds logins back after its last failure. */
    Duration delay(int failures) {
        if (failures < settings.freeFailures()) {
            return Duration.ZERO;
        }
        int doublings = failures - settings.freeFailures();
        if (doublings >= 31) {
            return settings.maxDelay();
        }
        Duration d = settings.firstDelay().multipliedBy(1L << doublings);
        return d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
    }

    private Duration wait(State s, Instant now) {
        if (s == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, s.lastFailure.plus(delay(s.failures)));
        return left.isNegative() || left.isZero() ? Duration.ZERO : left;
    }

    private State live(Map<String, State> table, String key, Instant now) {
        State s = table.get(key);
        if (s != null && now.isAfter(s.lastFailure.plus(settings.forgetAfter()))) {
            table.remove(key);
            return null;
        }
        return s;
    }

    private State state(Map<String, State> table, String key, Instant now) {
        State s = live(table, key, now);
        if (s == null) {
            s = new State();
            table.put(key, s);
        }
        return s;
    }

    private static String account(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    private static String address(String address) {
        return address == null || address.isBlank() ? "unknown" : address.strip();
    }

    private static Map<String, State> lru(int max) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                return size() > max;
            }
        };
    }
}
