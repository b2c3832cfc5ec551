package org.edgeorch.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.edgeorch.store.Database;
import org.edgeorch.store.DatabaseKind;
import org.edgeorch.store.LeaseLostException;
import org.edgeorch.store.LeaderLeases.Lease;
import org.edgeorch.store.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two orchestrators (two lease managers with their own clocks) on one real database: Derby always, PostgreSQL
 * when the test command started one. Each clock is moved by hand, so "a killed leader" is one whose clock and
 * renewals stop while the other's go on.
 */
class LeaseManagerTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void derby() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        exercise(DatabaseKind.DERBY, ds);
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "EDGE_TEST_PG_UNIT_URL", matches = "jdbc:postgresql:.*")
    void postgresql() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(System.getenv("EDGE_TEST_PG_UNIT_URL"));
        ds.setUser(System.getenv().getOrDefault("EDGE_TEST_PG_USER", "postgres"));
        ds.setPassword(System.getenv().getOrDefault("EDGE_TEST_PG_PASSWORD", ""));
        exercise(DatabaseKind.POSTGRESQL, ds);
    }

    private static void exercise(DatabaseKind kind, DataSource ds) {
        try (PooledDatabase db = PooledDatabase.open(kind, ds, 4)) {
            db.inTransaction(c -> Sql.update(c, "DELETE FROM leader_lease"));
            MovingClock clockA = new MovingClock(T0);
            MovingClock clockB = new MovingClock(T0);
            LeaseManager a = new LeaseManager(db, "instance-a", "host-a", PERIOD, clockA);
            LeaseManager b = new LeaseManager(db, "instance-b", "host-b", PERIOD, clockB);

            assertThrows(IllegalArgumentException.class, () -> a.isLeader("Not A Job!"));

            // The first to ask leads, with token 1; the other does not, and still does not after renewing.
            assertTrue(a.isLeader("release-poll"));
            assertEquals(OptionalLong.of(1), a.token("release-poll"));
            assertFalse(b.isLeader("release-poll"));
            assertEquals(OptionalLong.empty(), b.token("release-poll"));
            for (int i = 0; i < 6; i++) { // a minute and a half of renewals every third of the period
                clockA.move(a.renewEvery());
                clockB.move(b.renewEvery());
                a.renewAll();
                b.renewAll();
            }
            assertTrue(a.isLeader("release-poll"));
            assertFalse(b.isLeader("release-poll"));
            assertEquals(OptionalLong.of(1), a.token("release-poll"), "a renewal keeps the token");

            // The leader runs guarded work; the other runs nothing.
            AtomicInteger runs = new AtomicInteger();
            assertEquals(Optional.of("done"), a.runAsLeader("release-poll", c -> {
                runs.incrementAndGet();
                return "done";
            }));
            assertEquals(Optional.empty(), b.runAsLeader("release-poll", c -> runs.incrementAndGet()));
            assertEquals(1, runs.get());
            // The fenced view: every transaction checks the lease first; the follower's throws before its work.
            Database fencedA = a.fenced("release-poll");
            Database fencedB = b.fenced("release-poll");
            assertEquals("fenced", fencedA.inTransaction(c -> "fenced"));
            assertThrows(LeaseLostException.class, () -> fencedB.inTransaction(c -> runs.incrementAndGet()));
            assertEquals(1, runs.get());

            // a stops (killed, or paused: its clock stands still). b takes over within 4/3 of a period of a's
            // last renewal, with the next fencing token.
            Duration sinceLastRenewal = Duration.ZERO;
            while (!b.isLeader("release-poll")) {
                clockB.move(b.renewEvery());
                sinceLastRenewal = sinceLastRenewal.plus(b.renewEvery());
                b.renewAll();
            }
            assertTrue(sinceLastRenewal.compareTo(PERIOD.plus(b.renewEvery())) <= 0, "took over after " + sinceLastRenewal);
            assertEquals(OptionalLong.of(2), b.token("release-poll"));

            // a still believes it leads (its clock stood still), but its token is stale: fencing refuses the write.
            assertTrue(a.isLeader("release-poll"));
            assertEquals(Optional.empty(), a.runAsLeader("release-poll", c -> runs.incrementAndGet()));
            assertEquals(1, runs.get(), "the stale leader's work did not run");
            assertFalse(a.isLeader("release-poll"), "a stale leader learns it lost the lease");
            assertThrows(LeaseLostException.class, () -> fencedA.inTransaction(c -> runs.incrementAndGet()));
            assertEquals("fenced", fencedB.inTransaction(c -> "fenced"), "the new leader's fenced view works");

            clockA.set(clockB.instant());
            a.renewAll();
            assertFalse(a.isLeader("release-poll"), "the old leader does not take the lease back while b renews");

            // Shell and REST read the table: one row per job with holder, host and token.
            List<Lease> leases = b.leases();
            assertEquals(1, leases.size());
            Lease l = leases.get(0);
            assertEquals("release-poll", l.job());
            assertEquals("instance-b", l.holder());
            assertEquals("host-b", l.holderHost());
            assertEquals(2, l.token());
            assertTrue(l.mine());
            assertFalse(l.expired());
            assertFalse(a.leases().get(0).mine());

            // Jobs are leased independently.
            assertTrue(a.isLeader("audit-purge"));
            assertFalse(b.isLeader("audit-purge"));

            // A stopping leader hands its leases back: the other takes them at its next renewal, no wait.
            b.releaseAll();
            clockA.move(Duration.ofMillis(10));
            a.renewAll();
            assertTrue(a.isLeader("release-poll"));
            assertEquals(OptionalLong.of(3), a.token("release-poll"));
        }
    }

    @Test
    void theFencedViewRefusesAStaleTokenInsideTheTransaction() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("fenced").toString());
        ds.setCreateDatabase("create");
        try (PooledDatabase db = PooledDatabase.open(DatabaseKind.DERBY, ds, 4)) {
            MovingClock clockA = new MovingClock(T0);
            MovingClock clockB = new MovingClock(T0);
            LeaseManager a = new LeaseManager(db, "instance-a", "host-a", PERIOD, clockA);
            LeaseManager b = new LeaseManager(db, "instance-b", "host-b", PERIOD, clockB);
            Database fencedA = a.fenced("rollout-reconcile");
            assertTrue(a.isLeader("rollout-reconcile"));
            assertFalse(b.isLeader("rollout-reconcile"));
            db.inTransaction(c -> Sql.update(c, "CREATE TABLE fenced_write (n INTEGER)"));
            fencedA.inTransaction(c -> Sql.update(c, "INSERT INTO fenced_write VALUES (1)"));

            // a pauses (its clock stands still), b takes over: a still believes it leads, its token is stale.
            while (!b.isLeader("rollout-reconcile")) {
                clockB.move(b.renewEvery());
                b.renewAll();
            }
            assertTrue(a.isLeader("rollout-reconcile"));
            assertThrows(LeaseLostException.class, () -> fencedA.inTransaction(
                    c -> Sql.update(c, "INSERT INTO fenced_write VALUES (2)")), "the token is checked in the transaction");
            assertFalse(a.isLeader("rollout-reconcile"), "the refusal ends the stale leader's belief");
            assertEquals(List.of(1), db.inTransaction(c -> Sql.list(c, "SELECT n FROM fenced_write", rs -> rs.getInt(1))),
                    "only the write made while leading is there");
            b.fenced("rollout-reconcile").inTransaction(c -> Sql.update(c, "INSERT INTO fenced_write VALUES (3)"));
            assertEquals(2, db.inTransaction(c -> Sql.list(c, "SELECT n FROM fenced_write", rs -> rs.getInt(1))).size());
        }
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void move(Duration d) {
            now = now.plus(d);
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
