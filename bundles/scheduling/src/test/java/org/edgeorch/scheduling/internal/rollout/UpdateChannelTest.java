package org.edgeorch.scheduling.internal.rollout;

import static org.edgeorch.scheduling.internal.rollout.RolloutFixture.PROFILE;
import static org.edgeorch.scheduling.internal.rollout.RolloutFixture.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.edgeorch.fleet.UpdateChannel.HostUpdates;
import org.edgeorch.scheduling.DesiredVersion;
import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.scheduling.rollout.Rollouts.HostSelection;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutSpec;
import org.edgeorch.scheduling.rollout.Rollouts.RunQuery;
import org.edgeorch.scheduling.rollout.Rollouts.UpdateRun;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.spi.southbound.WindowSpec;
import org.edgeorch.store.Sql;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a host's sync is told about its OS, driven as the southbound calls the channel. */
class UpdateChannelTest {

    @TempDir
    Path dir;

    RolloutFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new RolloutFixture(dir);
        f.hosts(null, "1.0.0", "h1");
    }

    private List<UpdateRun> history(String host) {
        return f.rollouts.hostRuns(f.admin, PROJECT, host, RunQuery.all()).runs();
    }

    @Test
    void withoutPolicyOrRolloutAHostIsToldItsWindowsOnly() {
        Instant start = Instant.parse("2026-06-02T01:00:00Z");
        f.schedules.windows.put(f.id("h1"), List.of(MaintenanceWindow.single(start, null)));
        HostUpdates updates = f.sync("h1", "1.0.0", null);
        assertNull(updates.os());
        assertEquals(List.of(new WindowSpec("w", "2026-06-02T01:00:00Z", null, null, null, null)), updates.windows());
    }

    @Test
    void aPolicyVersionTheHostDoesNotRunMakesOneRunUntilItSucceeds() {
        f.schedules.desired.put(f.id("h1"), new DesiredVersion(PROFILE, "2.0.0", "site paris"));
        DesiredOs first = f.sync("h1", "1.0.0", null).os();
        DesiredOs again = f.sync("h1", "1.0.0", null).os();
        assertNotNull(first.runId());
        assertEquals(first.runId(), again.runId(), "made once, however often the host syncs");
        assertEquals("2.0.0", first.version());
        assertEquals(f.t.clock.instant().plus(Duration.ofHours(1)).toEpochMilli(), first.deadline());
        UpdateRun run = history("h1").get(0);
        assertNull(run.rollout());
        assertEquals("site paris", run.policySource());
        assertEquals("1.0.0", run.fromVersion());

        f.sync("h1", "2.0.0", f.report(first, UpdateStatus.SUCCEEDED, null));
        DesiredOs steady = f.sync("h1", "2.0.0", null).os();
        assertNull(steady.runId(), "steady state: the host runs what it should");
        assertEquals("2.0.0", steady.version());
        assertEquals(0, steady.deadline());
        assertEquals(1, history("h1").size());
    }

    @Test
    void aFailedPolicyRunIsRetriedOnlyAfterTheRetryInterval() {
        f.schedules.desired.put(f.id("h1"), new DesiredVersion(PROFILE, "2.0.0", "host h1"));
        DesiredOs os = f.sync("h1", "1.0.0", null).os();
        f.sync("h1", "1.0.0", f.report(os, UpdateStatus.FAILED, UpdateFailure.NO_SPACE));
        assertNull(f.sync("h1", "1.0.0", null).os());
        f.t.clock.advance(Duration.ofMinutes(29));
        assertNull(f.desired("h1"));
        f.t.clock.advance(Duration.ofMinutes(2));
        DesiredOs retry = f.desired("h1");
        assertNotNull(retry.runId());
        assertEquals(List.of(UpdateStatus.QUEUED, UpdateStatus.FAILED), history("h1").stream().map(UpdateRun::status).toList());
    }

    @Test
    void aRolloutHoldsItsHostsAndSupersedesAPolicyRun() {
        f.hosts(null, "1.0.0", "h2");
        f.schedules.desired.put(f.id("h1"), new DesiredVersion(PROFILE, "2.0.0", "region eu"));
        f.schedules.desired.put(f.id("h2"), new DesiredVersion(PROFILE, "2.0.0", "region eu"));
        DesiredOs policy = f.desired("h1");
        f.rollouts.create(f.admin, PROJECT, new RolloutSpec("r", null, PROFILE, "3.0.0", HostSelection.of(List.of("h1", "h2")),
                List.of(WaveSpec.ofCount(1), WaveSpec.rest()), null));
        assertNull(f.desired("h2"), "no policy run for a host a rollout holds");

        f.t.clock.advance(Duration.ofMinutes(1));
        f.rollouts.start(f.admin, PROJECT, "r");
        DesiredOs rollout = f.desired("h1");
        assertEquals("3.0.0", rollout.version());
        UpdateRun superseded = history("h1").get(1);
        assertEquals(policy.runId(), superseded.id());
        assertEquals(UpdateFailure.ABORTED, superseded.failure());
        assertEquals("superseded by rollout 'r'", superseded.detail());
        f.sync("h1", null, f.report(policy, UpdateStatus.DOWNLOADING, null));
        assertEquals(UpdateStatus.FAILED, history("h1").get(1).status(), "the superseded run stays over");
    }

    @Test
    void aRunWhoseReleaseWasWithdrawnFails() {
        f.schedules.desired.put(f.id("h1"), new DesiredVersion(PROFILE, "2.0.0", "host h1"));
        assertNotNull(f.desired("h1"));
        f.catalog.withdraw(f.projectId, PROFILE, "2.0.0");
        assertNull(f.desired("h1"));
        UpdateRun run = history("h1").get(0);
        assertEquals(UpdateStatus.FAILED, run.status());
        assertEquals(UpdateFailure.OTHER, run.failure());
    }

    @Test
    void theReportedVersionIsStoredWhenItChanges() {
        f.channel.reported(f.projectId, f.id("h1"), "1.5.0", null);
        f.t.clock.advance(Duration.ofMinutes(1));
        f.channel.reported(f.projectId, f.id("h1"), "1.5.0", null);
        assertEquals(List.of("1.5.0", Instant.parse("2026-06-01T12:00:00Z")), f.db.inTransaction(c -> Sql.one(c,
                "SELECT version, reported_at FROM host_os WHERE host_id = ?", rs -> List.<Object>of(rs.getString(1),
                        Sql.instant(rs, 2)), f.id("h1")).orElseThrow()));
    }

    @Test
    void hostsOfImminentAndRunningWavesAreAskedToSyncSoonerUntilTheRolloutEnds() {
        f.hosts(null, "1.0.0", "h2", "h3", "h4");
        f.rollouts.create(f.admin, PROJECT, new RolloutSpec("r", null, PROFILE, "2.0.0",
                HostSelection.of(List.of("h1", "h2", "h3")), List.of(WaveSpec.ofCount(1), WaveSpec.ofCount(1), WaveSpec.rest()), null));
        // READY: the waves are imminent (an operator starts what they just created), so the hosts learn of the start
        // within seconds; h4, in no rollout, keeps its interval.
        assertEquals(List.of(2, 2, 2, 0), hints("h1", "h2", "h3", "h4"));
        f.rollouts.start(f.admin, PROJECT, "r");

        // Wave 1 (h1) runs; waves 2 and 3 end in seconds each, so they are imminent too.
        assertEquals(List.of(2, 2, 2, 0), hints("h1", "h2", "h3", "h4"));
        assertNotNull(f.sync("h1", "1.0.0", null).os(), "the hint comes with the run, not instead of it");

        f.succeed("h1");
        f.rollouts.reconcile();
        assertEquals(List.of(0, 2, 2, 0), hints("h1", "h2", "h3", "h4"), "a wave over asks its hosts nothing");

        f.succeed("h2");
        f.rollouts.reconcile();
        f.succeed("h3");
        f.rollouts.reconcile();
        assertEquals(List.of(0, 0, 0, 0), hints("h1", "h2", "h3", "h4"), "a finished rollout asks nothing");
    }

    @Test
    void aRolloutLeftReadyAPausedOneAndALongSoakAskNothing() {
        f.hosts(null, "1.0.0", "h2");
        f.rollouts.create(f.admin, PROJECT, new RolloutSpec("r", null, PROFILE, "2.0.0",
                HostSelection.of(List.of("h1", "h2")), List.of(WaveSpec.ofCount(1).soakFor(Duration.ofMinutes(30)),
                WaveSpec.rest()), null));
        f.t.clock.advance(Duration.ofMinutes(11));
        assertEquals(List.of(0, 0), hints("h1", "h2"), "READY for more than rolloutReadySyncMinutes: not imminent any more");

        f.rollouts.start(f.admin, PROJECT, "r");
        assertEquals(List.of(2, 2), hints("h1", "h2"));
        f.succeed("h1");
        f.rollouts.reconcile();
        assertEquals(List.of(0, 0), hints("h1", "h2"), "wave 1 soaks for 30 minutes: wave 2 is not imminent");
        f.t.clock.advance(Duration.ofMinutes(29));
        assertEquals(List.of(0, 2), hints("h1", "h2"), "the soak ends within rolloutSoakLeadSeconds: wave 2 is imminent");

        f.rollouts.pause(f.admin, PROJECT, "r");
        assertEquals(List.of(0, 0), hints("h1", "h2"), "a paused rollout starts no wave");
    }

    @Test
    void aHintLostToALockConflictLeavesTheSyncItsRunAndInterval() {
        f.hosts(null, "1.0.0", "h2");
        f.rollouts.create(f.admin, PROJECT, new RolloutSpec("r", null, PROFILE, "2.0.0",
                HostSelection.of(List.of("h1", "h2")), List.of(WaveSpec.ofCount(1), WaveSpec.rest()), null));
        f.rollouts.start(f.admin, PROJECT, "r");
        // The reconciler finishing the rollout holds its row and deletes its claims while the sync's hint lookup holds a
        // claim and waits for the rollout: the database makes the lookup its victim.
        f.db.conflictOn("FROM rollout_claim c JOIN rollout r");
        HostUpdates told = f.sync("h1", "1.0.0", null);
        assertNotNull(told.os(), "the sync still gets its run");
        assertEquals(0, told.nextSyncSeconds(), "and its usual interval");
        f.db.conflictOn("JOIN update_run_active a ON");
        assertThrows(org.edgeorch.store.DataAccessException.class, () -> f.sync("h1", "1.0.0", null),
                "a conflict elsewhere in the sync is not hidden");
        f.db.conflictOn(null);
        assertEquals(2, f.sync("h1", "1.0.0", null).nextSyncSeconds());
    }

    private List<Integer> hints(String... hosts) {
        return java.util.Arrays.stream(hosts).map(h -> f.sync(h, null, null).nextSyncSeconds()).toList();
    }
}
