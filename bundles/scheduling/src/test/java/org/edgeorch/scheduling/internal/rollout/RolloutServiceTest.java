package org.edgeorch.scheduling.internal.rollout;

import static org.edgeorch.scheduling.internal.rollout.RolloutFixture.PROFILE;
import static org.edgeorch.scheduling.internal.rollout.RolloutFixture.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.scheduling.rollout.Rollouts.Counts;
import org.edgeorch.scheduling.rollout.Rollouts.FailureAction;
import org.edgeorch.scheduling.rollout.Rollouts.HostSelection;
import org.edgeorch.scheduling.rollout.Rollouts.Rollout;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutSpec;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.RunQuery;
import org.edgeorch.scheduling.rollout.Rollouts.UpdateRun;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout state machine driven as in production: hosts sync through the update channel, and the reconciler is
 * called directly where the timer route would call it, against a clock the test moves.
 */
class RolloutServiceTest {

    @TempDir
    Path dir;

    RolloutFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new RolloutFixture(dir);
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(prefix + (i < 10 ? "0" : "") + i);
        }
        return out;
    }

    private Rollout create(String name, List<String> hosts, FailureAction onFailure, WaveSpec... waves) {
        return f.rollouts.create(f.admin, PROJECT, new RolloutSpec(name, null, PROFILE, "2.0.0", HostSelection.of(hosts),
                List.of(waves), onFailure));
    }

    private Rollout rollout(String name) {
        return f.rollouts.rollout(f.admin, PROJECT, name);
    }

    /** Hosts of a wave that have a run, by name. */
    private List<String> waveHosts(String rollout, int wave) {
        return f.rollouts.runs(f.admin, PROJECT, rollout, new RunQuery(null, wave, 0, 1000)).runs().stream()
                .map(UpdateRun::host).toList();
    }

    private List<UpdateRun> runs(String rollout) {
        return f.rollouts.runs(f.admin, PROJECT, rollout, RunQuery.all()).runs();
    }

    private UpdateRun run(String rollout, String host) {
        return runs(rollout).stream().filter(r -> r.host().equals(host)).findFirst().orElseThrow();
    }

    private static List<WaveState> states(Rollout r) {
        return r.waves().stream().map(w -> w.state()).toList();
    }

    // ---- waves ----------------------------------------------------------------------------------------------

    @Test
    void wavesByCountAndPercentMoveTheHostsOneWaveAtATimeUntilFinished() {
        List<String> hosts = names("h", 10);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        Rollout created = create("r1", hosts, null, WaveSpec.ofCount(1), WaveSpec.ofPercent(30), WaveSpec.rest());

        assertEquals(RolloutState.READY, created.state());
        assertEquals(List.of(1, 3, 6), created.waves().stream().map(w -> w.counts().hosts()).toList());
        assertEquals(List.of(WaveState.PENDING, WaveState.PENDING, WaveState.PENDING), states(created));
        assertEquals("10 hosts by name", created.selection());
        assertNull(f.desired("h01"), "nothing changes before the start");

        Rollout started = f.rollouts.start(f.admin, PROJECT, "r1");
        assertEquals(RolloutState.RUNNING, started.state());
        assertEquals(List.of(WaveState.RUNNING, WaveState.PENDING, WaveState.PENDING), states(started));
        assertEquals(List.of("h01"), waveHosts("r1", 1));
        DesiredOs os = f.desired("h01");
        assertEquals("2.0.0", os.version());
        assertEquals(run("r1", "h01").id(), os.runId());
        assertEquals(List.of("/southbound/v1/images/" + os.imageDigest(), "https://registry.example/v2/os/edge-os/blobs/sha256:2.0.0"),
                os.imageUrls());
        assertNull(f.desired("h02"), "wave 2 has not started");

        f.succeed("h01");
        f.rollouts.reconcile();
        Rollout second = rollout("r1");
        assertEquals(List.of(WaveState.SUCCEEDED, WaveState.RUNNING, WaveState.PENDING), states(second));
        assertEquals(List.of("h02", "h03", "h04"), waveHosts("r1", 2));
        assertEquals(2, second.currentWave());

        for (String h : List.of("h02", "h03", "h04")) {
            f.succeed(h);
        }
        f.rollouts.reconcile();
        assertEquals(List.of("h05", "h06", "h07", "h08", "h09", "h10"), waveHosts("r1", 3));
        hosts.subList(4, 10).forEach(f::succeed);
        f.rollouts.reconcile();

        Rollout done = rollout("r1");
        assertEquals(RolloutState.FINISHED, done.state());
        assertEquals(new Counts(10, 10, 0, 0), done.counts());
        assertEquals("10 of 10 host(s) succeeded, 0 failed", done.stateReason());
        assertTrue(runs("r1").stream().allMatch(r -> r.status() == UpdateStatus.SUCCEEDED && r.fromVersion().equals("1.0.0")));
        // the hosts are free for the next rollout
        create("r2", hosts, null, WaveSpec.rest());
    }

    @Test
    void spreadAndPlainWavesPickDifferentHosts() {
        f.site("paris");
        f.site("lyon");
        f.hosts("paris", "1.0.0", "a1", "a2", "a3", "a4");
        f.hosts("lyon", "1.0.0", "b1", "b2");
        f.hosts(null, "1.0.0", "c1");
        List<String> all = List.of("a1", "a2", "a3", "a4", "b1", "b2", "c1");
        create("spread", all, null, WaveSpec.ofCount(4).spread(), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "spread");
        // lyon, paris, no site, then lyon again (listed by name)
        assertEquals(List.of("a1", "b1", "b2", "c1"), waveHosts("spread", 1));
        f.rollouts.abort(f.admin, PROJECT, "spread");

        create("plain", all, null, WaveSpec.ofCount(4), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "plain");
        assertEquals(List.of("a1", "a2", "a3", "a4"), waveHosts("plain", 1));
    }

    @Test
    void aFilterSelectsHostsOnceAtCreation() {
        f.site("paris");
        f.hosts("paris", "1.0.0", "p1", "p2");
        f.hosts(null, "1.0.0", "x1");
        Rollout r = f.rollouts.create(f.admin, PROJECT, new RolloutSpec("by-site", "paris first", PROFILE, "2.0.0",
                HostSelection.filter(null, "paris", null, null, null), List.of(WaveSpec.rest()), FailureAction.ABORT));
        assertEquals("hosts with site paris", r.selection());
        assertEquals(2, r.counts().hosts());
        f.hosts("paris", "1.0.0", "p3");
        f.rollouts.start(f.admin, PROJECT, "by-site");
        assertEquals(List.of("p1", "p2"), waveHosts("by-site", 1), "hosts added later are not in it");
    }

    // ---- thresholds -------------------------------------------------------------------------------------------

    @Test
    void aWaveSucceedsWhenItsSuccessThresholdIsReachedAndNothingIsPending() {
        List<String> hosts = names("h", 8);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, null, WaveSpec.ofCount(4).thresholds(75, 100, 1), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        f.succeed("h01");
        f.succeed("h02");
        f.fail("h03");
        f.rollouts.reconcile();
        assertEquals(WaveState.RUNNING, rollout("r").waves().get(0).state(), "h04 is pending");
        f.succeed("h04");
        f.rollouts.reconcile();
        Rollout r = rollout("r");
        assertEquals(List.of(WaveState.SUCCEEDED, WaveState.RUNNING), states(r));
        assertEquals(new Counts(4, 3, 1, 0), r.waves().get(0).counts());
    }

    @Test
    void tooFewSuccessesFailTheWaveAndPauseTheRollout() {
        List<String> hosts = names("h", 4);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, FailureAction.PAUSE, WaveSpec.ofCount(2).thresholds(100, 100, 1), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        f.succeed("h01");
        f.fail("h02");
        f.rollouts.reconcile();
        Rollout r = rollout("r");
        assertEquals(RolloutState.PAUSED, r.state());
        assertEquals(List.of(WaveState.FAILED, WaveState.PENDING), states(r));
        assertEquals("wave 1: 1 of 2 host(s) succeeded (50%), fewer than the success threshold of 100%", r.stateReason());

        // resuming leaves the failed wave behind
        Rollout resumed = f.rollouts.resume(f.admin, PROJECT, "r");
        assertEquals(RolloutState.RUNNING, resumed.state());
        assertEquals(List.of(WaveState.FAILED, WaveState.RUNNING), states(resumed));
        assertEquals(List.of("h03", "h04"), waveHosts("r", 2));
    }

    @Test
    void theFailureThresholdWaitsForItsMinimumSample() {
        List<String> hosts = names("h", 10);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, FailureAction.PAUSE, WaveSpec.ofCount(10).thresholds(50, 20, 5));
        f.rollouts.start(f.admin, PROJECT, "r");

        f.fail("h01"); // 1 of 1 finished failed: 100 %, but the sample is too small
        f.rollouts.reconcile();
        assertEquals(RolloutState.RUNNING, rollout("r").state());
        for (String h : List.of("h02", "h03", "h04")) {
            f.succeed(h);
        }
        f.rollouts.reconcile(); // 1 of 4: 25 %, still under the minimum of 5 finished
        assertEquals(RolloutState.RUNNING, rollout("r").state());
        f.fail("h05"); // 2 of 5: 40 % > 20 %
        f.rollouts.reconcile();

        Rollout r = rollout("r");
        assertEquals(RolloutState.PAUSED, r.state());
        assertEquals(WaveState.RUNNING, r.waves().get(0).state(), "paused by its failure threshold, not over");
        assertEquals("wave 1: 2 of 5 finished host(s) failed (40%), more than the failure threshold of 20%", r.stateReason());
        // hosts under way carry on while paused
        assertNotNull(f.desired("h06"));
        f.succeed("h06");
        assertEquals(UpdateStatus.SUCCEEDED, run("r", "h06").status());
        f.rollouts.reconcile();
        assertEquals(RolloutState.PAUSED, rollout("r").state());

        // resuming accepts the two failures; the threshold applies afresh to later ones
        f.rollouts.resume(f.admin, PROJECT, "r");
        f.fail("h07");
        f.rollouts.reconcile();
        assertEquals(RolloutState.RUNNING, rollout("r").state(), "1 new failure among 5 finished since resuming is 20 %");
        for (String h : List.of("h08", "h09", "h10")) {
            f.succeed(h);
        }
        f.rollouts.reconcile();
        Rollout done = rollout("r");
        assertEquals(RolloutState.FINISHED, done.state());
        assertEquals(new Counts(10, 7, 3, 0), done.counts());
    }

    @Test
    void onFailureAbortEndsTheRolloutAndWithdrawsTheTarget() {
        List<String> hosts = names("h", 6);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, FailureAction.ABORT, WaveSpec.ofCount(3).thresholds(100, 0, 1), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        f.fail("h01");
        f.rollouts.reconcile();

        Rollout r = rollout("r");
        assertEquals(RolloutState.ABORTED, r.state());
        assertEquals(List.of(WaveState.FAILED, WaveState.ABORTED), states(r));
        assertTrue(r.stateReason().startsWith("wave 1: 1 of 1 finished host(s) failed"), r.stateReason());
        assertEquals(UpdateFailure.ABORTED, run("r", "h02").failure());
        assertEquals(UpdateStatus.FAILED, run("r", "h02").status());
        assertEquals(UpdateFailure.HEALTH_CHECK_FAILED, run("r", "h01").failure());
        assertNull(f.desired("h02"), "the target is withdrawn");
        assertEquals(List.of(), waveHosts("r", 2));
    }

    // ---- operators ------------------------------------------------------------------------------------------

    @Test
    void anOperatorPausesBetweenWavesAndResumes() {
        List<String> hosts = names("h", 2);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, null, WaveSpec.ofCount(1), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        Rollout paused = f.rollouts.pause(f.admin, PROJECT, "r");
        assertEquals(RolloutState.PAUSED, paused.state());
        assertEquals("paused by acme-admin", paused.stateReason());

        f.succeed("h01");
        f.rollouts.reconcile();
        assertEquals(List.of(WaveState.RUNNING, WaveState.PENDING), states(rollout("r")), "no evaluation while paused");
        assertNull(f.desired("h02"));

        f.rollouts.resume(f.admin, PROJECT, "r");
        assertEquals(List.of(WaveState.SUCCEEDED, WaveState.RUNNING), states(rollout("r")), "resuming reconciles at once");
        assertNotNull(f.desired("h02"));
    }

    @Test
    void transitionsTheStateDoesNotAllowAreConflictsNamingTheState() {
        f.hosts(null, "1.0.0", "h1");
        create("r", List.of("h1"), null, WaveSpec.rest());
        TenancyException e = assertThrows(TenancyException.class, () -> f.rollouts.pause(f.admin, PROJECT, "r"));
        assertEquals(Reason.CONFLICT, e.reason());
        assertEquals("rollout 'r' is READY: only a RUNNING rollout can be paused", e.getMessage());
        assertEquals("rollout 'r' is READY: only a PAUSED rollout can be resumed",
                assertThrows(TenancyException.class, () -> f.rollouts.resume(f.admin, PROJECT, "r")).getMessage());
        f.rollouts.start(f.admin, PROJECT, "r");
        assertEquals("rollout 'r' is RUNNING: only a READY rollout can be started",
                assertThrows(TenancyException.class, () -> f.rollouts.start(f.admin, PROJECT, "r")).getMessage());
        f.rollouts.abort(f.admin, PROJECT, "r");
        assertEquals("rollout 'r' is ABORTED: only a PAUSED or READY or RUNNING rollout can be aborted",
                assertThrows(TenancyException.class, () -> f.rollouts.abort(f.admin, PROJECT, "r")).getMessage());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.rollouts.start(f.admin, PROJECT, "nope")).reason());
    }

    @Test
    void abortFailsUnfinishedRunsWithdrawsTheTargetAndIgnoresLateReports() {
        List<String> hosts = names("h", 3);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, null, WaveSpec.ofCount(2), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        f.succeed("h01");
        DesiredOs os = f.desired("h02");
        f.sync("h02", null, f.report(os, UpdateStatus.INSTALLING, null));

        Rollout aborted = f.rollouts.abort(f.admin, PROJECT, "r");
        assertEquals(RolloutState.ABORTED, aborted.state());
        assertEquals("aborted by acme-admin", aborted.stateReason());
        assertEquals(List.of(WaveState.ABORTED, WaveState.ABORTED), states(aborted));
        assertEquals(UpdateStatus.SUCCEEDED, run("r", "h01").status(), "finished runs stay as they were");
        UpdateRun h02 = run("r", "h02");
        assertEquals(UpdateStatus.FAILED, h02.status());
        assertEquals(UpdateFailure.ABORTED, h02.failure());
        assertEquals("rollout aborted: aborted by acme-admin", h02.detail());
        assertNull(f.desired("h02"));

        f.sync("h02", "2.0.0", f.report(os, UpdateStatus.SUCCEEDED, null));
        assertEquals(UpdateStatus.FAILED, run("r", "h02").status(), "a finished run never changes");
        f.rollouts.reconcile();
        assertEquals(RolloutState.ABORTED, rollout("r").state());
    }

    // ---- per-host timeout and windows --------------------------------------------------------------------------

    @Test
    void aHostThatNeverReportsTimesOutAfterItsTimeout() {
        f.hosts(null, "1.0.0", "quiet", "loud");
        create("r", List.of("quiet", "loud"), null, WaveSpec.rest().timeout(Duration.ofMinutes(30)).thresholds(50, 100, 1));
        f.rollouts.start(f.admin, PROJECT, "r");
        Instant queued = f.t.clock.instant();
        assertEquals(queued.plus(Duration.ofMinutes(30)).toEpochMilli(), f.desired("quiet").deadline(),
                "no windows: the timeout counts from queuing");
        f.succeed("loud");

        f.t.clock.advance(Duration.ofMinutes(29));
        f.rollouts.reconcile();
        assertEquals(UpdateStatus.QUEUED, run("r", "quiet").status());
        f.t.clock.advance(Duration.ofMinutes(2));
        f.rollouts.reconcile();
        UpdateRun quiet = run("r", "quiet");
        assertEquals(UpdateStatus.TIMED_OUT, quiet.status());
        assertEquals(UpdateFailure.TIMEOUT, quiet.failure());
        assertEquals(RolloutState.FINISHED, rollout("r").state(), "50 % had to succeed");
        assertNull(f.desired("quiet"));
    }

    @Test
    void theTimeoutStartsWhenTheHostsFirstWindowOpens() {
        f.hosts(null, "1.0.0", "night");
        Instant now = f.t.clock.instant();
        Instant opens = now.plus(Duration.ofHours(2));
        f.schedules.windows.put(f.id("night"), List.of(MaintenanceWindow.single(opens, opens.plus(Duration.ofHours(1)))));
        create("r", List.of("night"), null, WaveSpec.rest().timeout(Duration.ofMinutes(30)));
        f.rollouts.start(f.admin, PROJECT, "r");

        assertEquals(0, f.desired("night").deadline(), "not known before the window opens");
        assertEquals(1, f.sync("night", null, null).windows().size());
        assertNull(run("r", "night").deadline());
        f.t.clock.advance(Duration.ofHours(1));
        f.rollouts.reconcile();
        assertEquals(UpdateStatus.QUEUED, run("r", "night").status(), "an hour past queuing, but no window yet");

        f.t.clock.advance(Duration.ofMinutes(65));
        f.rollouts.reconcile();
        assertEquals(opens.plus(Duration.ofMinutes(30)), run("r", "night").deadline());
        assertEquals(opens.plus(Duration.ofMinutes(30)).toEpochMilli(), f.desired("night").deadline());
        f.t.clock.advance(Duration.ofMinutes(24));
        f.rollouts.reconcile();
        assertEquals(UpdateStatus.QUEUED, run("r", "night").status());
        f.t.clock.advance(Duration.ofMinutes(2));
        f.rollouts.reconcile();
        assertEquals(UpdateStatus.TIMED_OUT, run("r", "night").status());
        assertEquals(RolloutState.PAUSED, rollout("r").state());
    }

    @Test
    void aRepeatedWindowOpenAtQueuingStartsTheTimeoutAtOnce() {
        f.hosts(null, "1.0.0", "h1");
        f.schedules.windows.put(f.id("h1"), List.of(MaintenanceWindow.repeated("0 * * * *", "UTC", Duration.ofMinutes(59))));
        create("r", List.of("h1"), null, WaveSpec.rest().timeout(Duration.ofMinutes(10)));
        f.rollouts.start(f.admin, PROJECT, "r");
        assertEquals(f.t.clock.instant().plus(Duration.ofMinutes(10)), run("r", "h1").deadline());
    }

    // ---- soak -------------------------------------------------------------------------------------------------

    @Test
    void theNextWaveWaitsOutTheSoakTime() {
        f.hosts(null, "1.0.0", "h1", "h2");
        create("r", List.of("h1", "h2"), null, WaveSpec.ofCount(1).soakFor(Duration.ofHours(1)), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        f.succeed("h1");
        Instant succeeded = f.t.clock.instant();
        f.t.clock.advance(Duration.ofMinutes(5));
        f.rollouts.reconcile();
        Rollout soaking = rollout("r");
        assertEquals(List.of(WaveState.SOAKING, WaveState.PENDING), states(soaking));
        assertEquals(succeeded.plus(Duration.ofHours(1)), soaking.waves().get(0).soakUntil(), "from the last host's success");

        f.t.clock.advance(Duration.ofMinutes(50));
        f.rollouts.reconcile();
        assertEquals(List.of(WaveState.SOAKING, WaveState.PENDING), states(rollout("r")));
        f.t.clock.advance(Duration.ofMinutes(6));
        f.rollouts.reconcile();
        assertEquals(List.of(WaveState.SUCCEEDED, WaveState.RUNNING), states(rollout("r")));
    }

    // ---- what counts as success ---------------------------------------------------------------------------------

    @Test
    void hostsAlreadyOnTheTargetSucceedAtOnce() {
        f.hosts(null, "2.0.0", "current");
        f.hosts(null, "1.0.0", "old");
        create("r", List.of("current", "old"), null, WaveSpec.ofCount(1), WaveSpec.rest());
        Rollout started = f.rollouts.start(f.admin, PROJECT, "r");

        UpdateRun current = run("r", "current");
        assertEquals(UpdateStatus.SUCCEEDED, current.status());
        assertEquals("already on target", current.detail());
        assertEquals(List.of(WaveState.SUCCEEDED, WaveState.RUNNING), states(started), "the wave needed no report");
        assertEquals(List.of("old"), waveHosts("r", 2));
    }

    @Test
    void reportsOnlyMoveARunForwardAndStaleOnesAreIgnored() {
        f.hosts(null, "1.0.0", "h1", "h2");
        create("r", List.of("h1", "h2"), null, WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        DesiredOs os1 = f.desired("h1");
        DesiredOs os2 = f.desired("h2");

        f.sync("h1", null, f.report(os1, UpdateStatus.INSTALLING, null));
        UpdateRun installing = run("r", "h1");
        assertEquals(UpdateStatus.INSTALLING, installing.status());
        assertEquals(f.t.clock.instant(), installing.startedAt());
        f.sync("h1", null, f.report(os1, UpdateStatus.DOWNLOADING, null));
        assertEquals(UpdateStatus.INSTALLING, run("r", "h1").status(), "a replayed earlier status");
        // a run that is not the host's, and one that does not exist
        f.sync("h1", null, f.report(os2, UpdateStatus.FAILED, UpdateFailure.OTHER));
        f.sync("h1", null, new org.edgeorch.spi.southbound.UpdateReport("0b6c5a8e-9a43-4b0e-9a57-1f0c3c8a1001", "2.0.0",
                UpdateStatus.FAILED, UpdateFailure.OTHER, null, 0, 0));
        assertEquals(UpdateStatus.QUEUED, run("r", "h2").status());
        assertEquals(UpdateStatus.INSTALLING, run("r", "h1").status());

        f.sync("h1", null, f.report(os1, UpdateStatus.FAILED, null));
        assertEquals(UpdateFailure.OTHER, run("r", "h1").failure(), "a failure without a reason is OTHER");
        f.sync("h1", "2.0.0", f.report(os1, UpdateStatus.SUCCEEDED, null));
        assertEquals(UpdateStatus.FAILED, run("r", "h1").status(), "finished runs never change");
    }

    @Test
    void aSucceededReportWithoutTheTargetVersionRunningIsNotCounted() {
        f.hosts(null, "1.0.0", "h1");
        create("r", List.of("h1"), null, WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        DesiredOs os = f.desired("h1");

        f.sync("h1", "1.0.0", f.report(os, UpdateStatus.SUCCEEDED, null));
        UpdateRun run = run("r", "h1");
        assertEquals(UpdateStatus.VERIFYING, run.status());
        assertTrue(run.detail().contains("while running 1.0.0, not 2.0.0"), run.detail());
        f.rollouts.reconcile();
        assertEquals(RolloutState.RUNNING, rollout("r").state());

        f.sync("h1", "2.0.0", f.report(os, UpdateStatus.SUCCEEDED, null));
        assertEquals(UpdateStatus.SUCCEEDED, run("r", "h1").status());
        f.rollouts.reconcile();
        assertEquals(RolloutState.FINISHED, rollout("r").state());
    }

    // ---- restarts and several orchestrators ------------------------------------------------------------------

    @Test
    void aLargeWaveStartsInBatchesAndACrashBetweenThemLosesAndRepeatsNothing() {
        List<String> hosts = names("h", 7);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        f.rollouts.withWaveBatch(3);
        create("r", hosts, null, WaveSpec.ofCount(1), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        f.succeed("h01");

        // Wave 1 succeeds (two steps), wave 2 starts: a batch of three hosts queued and committed, then the process
        // dies in the second batch's transaction.
        f.db.crashAfter(5);
        assertThrows(RolloutFixture.Crash.class, () -> f.rollouts.reconcileRollout(f.db, rolloutId("r"), f.t.clock.instant()));
        assertEquals(List.of("h02", "h03", "h04"), waveHosts("r", 2));
        Rollout starting = rollout("r");
        assertEquals(WaveState.PENDING, starting.waves().get(1).state(), "a wave is RUNNING once every host has its run");
        assertNotNull(starting.waves().get(1).startedAt(), "the first batch started the wave");
        assertNotNull(f.desired("h02").runId(), "a host of a committed batch installs already");
        assertNull(f.desired("h05"), "a host of the lost batch has no run yet");

        f.restart();
        f.rollouts.withWaveBatch(3).reconcile();
        assertEquals(List.of("h02", "h03", "h04", "h05", "h06", "h07"), waveHosts("r", 2));
        Rollout started = rollout("r");
        assertEquals(WaveState.RUNNING, started.waves().get(1).state());
        assertEquals(starting.waves().get(1).startedAt(), started.waves().get(1).startedAt());
        hosts.subList(1, 7).forEach(f::succeed);
        f.rollouts.reconcile();
        assertEquals(RolloutState.FINISHED, rollout("r").state());
        Set<String> seen = new HashSet<>();
        for (UpdateRun run : runs("r")) {
            assertEquals(UpdateStatus.SUCCEEDED, run.status(), run.toString());
            assertTrue(seen.add(run.host()), "one run per host: " + runs("r"));
        }
        assertEquals(7, seen.size());
    }

    @Test
    void aRestartedOrchestratorCarriesOnWithoutLosingOrRepeatingARun() {
        List<String> hosts = names("h", 9);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, null, WaveSpec.ofCount(3), WaveSpec.ofCount(3), WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        hosts.subList(0, 3).forEach(f::succeed);

        // killed while starting wave 2: the transaction that queues its runs never commits
        f.db.crashAfter(1);
        assertThrows(RolloutFixture.Crash.class, () -> f.rollouts.reconcileRollout(f.db, rolloutId("r"), f.t.clock.instant()));
        assertEquals(List.of(), waveHosts("r", 2));
        assertEquals(WaveState.PENDING, rollout("r").waves().get(1).state());

        f.restart();
        f.rollouts.reconcile();
        assertEquals(List.of("h04", "h05", "h06"), waveHosts("r", 2));
        f.succeed("h04");
        f.restart();
        f.rollouts.reconcile();
        f.succeed("h05");
        f.succeed("h06");
        f.restart();
        f.rollouts.reconcile();
        f.rollouts.reconcile();
        hosts.subList(6, 9).forEach(f::succeed);
        f.restart();
        f.rollouts.reconcile();

        assertEquals(RolloutState.FINISHED, rollout("r").state());
        List<UpdateRun> runs = runs("r");
        assertEquals(9, runs.size());
        assertEquals(new HashSet<>(hosts), runs.stream().map(UpdateRun::host).collect(Collectors.toSet()));
        assertTrue(runs.stream().allMatch(r -> r.status() == UpdateStatus.SUCCEEDED));
    }

    @Test
    void aCrashWhileAHostReportsLeavesItsRunAsItWas() {
        f.hosts(null, "1.0.0", "h1");
        create("r", List.of("h1"), null, WaveSpec.rest());
        f.rollouts.start(f.admin, PROJECT, "r");
        DesiredOs os = f.desired("h1");
        f.db.crashAfter(0);
        assertThrows(RolloutFixture.Crash.class, () -> f.channel.reported(f.projectId, f.id("h1"), "2.0.0",
                f.report(os, UpdateStatus.SUCCEEDED, null)));
        assertEquals(UpdateStatus.QUEUED, run("r", "h1").status());
        f.restart();
        f.succeed("h1"); // the agent resends until it is acknowledged
        f.rollouts.reconcile();
        assertEquals(RolloutState.FINISHED, rollout("r").state());
    }

    @Test
    void twoReconcilersTakingTurnsDoEachStepOnce() {
        List<String> hosts = names("h", 6);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, null, WaveSpec.ofCount(2), WaveSpec.ofCount(2), WaveSpec.rest());
        RolloutServiceImpl a = f.rollouts;
        f.restart();
        RolloutServiceImpl b = f.rollouts;
        a.start(f.admin, PROJECT, "r");
        for (int wave = 0; wave < 3; wave++) {
            b.reconcile();
            a.reconcile();
            hosts.subList(2 * wave, 2 * wave + 2).forEach(f::succeed);
            a.reconcile();
            b.reconcile();
            a.reconcile();
        }
        assertEquals(RolloutState.FINISHED, b.rollout(f.admin, PROJECT, "r").state());
        assertEquals(6, runs("r").size());
        assertEquals(1L, auditCount("rollout.finish"), "finished once");
    }

    @Test
    void twoReconcilersAtOnceNeverGiveAHostTwoRuns() throws Exception {
        List<String> hosts = names("h", 20);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("r", hosts, null, WaveSpec.ofCount(5), WaveSpec.ofCount(5), WaveSpec.ofCount(5), WaveSpec.rest());
        RolloutServiceImpl a = f.rollouts;
        f.restart();
        RolloutServiceImpl b = f.rollouts;
        a.start(f.admin, PROJECT, "r");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                List<Future<?>> passes = new ArrayList<>();
                for (RolloutServiceImpl reconciler : List.of(a, b, a, b)) {
                    passes.add(pool.submit(() -> reconciler.reconcile()));
                }
                for (Future<?> pass : passes) {
                    pass.get();
                }
                for (String h : hosts) {
                    if (f.desired(h) != null && f.desired(h).runId() != null) {
                        f.succeed(h);
                    }
                }
            }
            List<Future<?>> last = List.of(pool.submit(() -> a.reconcile()), pool.submit(() -> b.reconcile()));
            for (Future<?> pass : last) {
                pass.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(RolloutState.FINISHED, rollout("r").state());
        List<UpdateRun> runs = runs("r");
        assertEquals(20, runs.size());
        assertEquals(20, runs.stream().map(UpdateRun::host).distinct().count());
        assertEquals(List.of(5, 5, 5, 5), rollout("r").waves().stream().map(w -> w.counts().succeeded()).toList());
    }

    // ---- creation rules and permissions --------------------------------------------------------------------

    @Test
    void creationChecksTheTargetTheHostsAndTheWaves() {
        f.hosts(null, "1.0.0", "h1", "h2");
        TenancyException notOffered = assertThrows(TenancyException.class, () -> f.rollouts.create(f.admin, PROJECT,
                new RolloutSpec("r", null, PROFILE, "9.9.9", HostSelection.of(List.of("h1")), List.of(WaveSpec.rest()), null)));
        assertEquals("version", notOffered.field());
        assertEquals("hosts", assertThrows(TenancyException.class, () -> create("r", List.of("h1", "ghost"), null,
                WaveSpec.rest())).field());
        assertEquals("waves[1].count", assertThrows(TenancyException.class, () -> create("r", List.of("h1"), null,
                WaveSpec.rest(), WaveSpec.rest())).field());
        assertEquals("waves[2].failurePercent", assertThrows(TenancyException.class, () -> create("r", List.of("h1"), null,
                WaveSpec.ofCount(1), WaveSpec.rest().thresholds(100, 101, 1))).field());
        assertEquals("hosts", assertThrows(TenancyException.class, () -> f.rollouts.create(f.admin, PROJECT,
                new RolloutSpec("r", null, PROFILE, "2.0.0", null, List.of(WaveSpec.rest()), null))).field());
        assertEquals("hosts", assertThrows(TenancyException.class, () -> f.rollouts.create(f.admin, PROJECT,
                new RolloutSpec("r", null, PROFILE, "2.0.0", HostSelection.filter(null, "nowhere", null, null, null),
                        List.of(WaveSpec.rest()), null))).field());
        assertEquals(List.of(), f.rollouts.rollouts(f.admin, PROJECT, null, 0, 10), "refusals leave nothing behind");

        create("r", List.of("h1"), null, WaveSpec.rest());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class, () -> create("r", List.of("h2"), null,
                WaveSpec.rest())).reason());
        TenancyException busy = assertThrows(TenancyException.class, () -> create("other", List.of("h1", "h2"), null,
                WaveSpec.rest()));
        assertEquals(Reason.CONFLICT, busy.reason());
        assertTrue(busy.getMessage().contains("h1 (rollout 'r', READY)"), busy.getMessage());
        assertEquals(1, f.rollouts.rollouts(f.admin, PROJECT, null, 0, 10).size());
    }

    @Test
    void rolesDecideWhoCreatesWhoOperatesAndOtherTenantsSeeNothing() {
        f.hosts(null, "1.0.0", "h1");
        Caller viewer = f.t.member("acme", PROJECT, "vera", Role.VIEWER);
        Caller operator = f.t.member("acme", PROJECT, "otto", Role.EDGE_OPERATOR);
        Caller stranger = f.t.login("globex-admin");
        RolloutSpec spec = new RolloutSpec("r", null, PROFILE, "2.0.0", HostSelection.of(List.of("h1")), List.of(WaveSpec.rest()), null);
        RolloutSpec empty = new RolloutSpec(null, null, null, null, null, null, null);

        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> f.rollouts.create(viewer, PROJECT, spec)).reason());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> f.rollouts.create(operator, PROJECT, empty)).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> f.rollouts.create(stranger, PROJECT, empty)).reason());
        f.rollouts.create(f.admin, PROJECT, spec);
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class, () -> f.rollouts.start(viewer, PROJECT, "r")).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> f.rollouts.start(stranger, PROJECT, "r")).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> f.rollouts.rollout(stranger, PROJECT, "r")).reason());
        assertEquals(RolloutState.RUNNING, f.rollouts.start(operator, PROJECT, "r").state());
        assertEquals(RolloutState.RUNNING, f.rollouts.rollout(viewer, PROJECT, "r").state());
        assertEquals(1, f.rollouts.runs(viewer, PROJECT, "r", RunQuery.all()).total());
        assertEquals(1L, auditCount("rollout.start"));
    }

    // ---- history --------------------------------------------------------------------------------------------

    @Test
    void runHistoryIsKeptAndQueryableByRolloutHostAndStatus() {
        List<String> hosts = names("h", 4);
        f.hosts(null, "1.0.0", hosts.toArray(String[]::new));
        create("first", hosts, null, WaveSpec.ofCount(2).thresholds(0, 100, 1), WaveSpec.rest().thresholds(0, 100, 1));
        f.rollouts.start(f.admin, PROJECT, "first");
        f.succeed("h01");
        f.fail("h02");
        f.rollouts.reconcile();
        f.fail("h03");
        f.succeed("h04");
        f.rollouts.reconcile();
        assertEquals(RolloutState.FINISHED, rollout("first").state());
        f.t.clock.advance(Duration.ofMinutes(1));
        f.rollouts.create(f.admin, PROJECT, new RolloutSpec("again", null, PROFILE, "3.0.0", HostSelection.of(List.of("h02")),
                List.of(WaveSpec.rest()), null));
        f.rollouts.start(f.admin, PROJECT, "again");

        var failed = f.rollouts.runs(f.admin, PROJECT, "first", new RunQuery(UpdateStatus.ROLLED_BACK, null, 0, 10));
        assertEquals(2, failed.total());
        assertEquals(List.of("h02", "h03"), failed.runs().stream().map(UpdateRun::host).toList());
        var h02 = f.rollouts.hostRuns(f.admin, PROJECT, "h02", RunQuery.all());
        assertEquals(List.of("again", "first"), h02.runs().stream().map(UpdateRun::rollout).toList(), "newest first");
        assertEquals(List.of(UpdateStatus.QUEUED, UpdateStatus.ROLLED_BACK), h02.runs().stream().map(UpdateRun::status).toList());
        var page = f.rollouts.runs(f.admin, PROJECT, "first", new RunQuery(null, null, 1, 2));
        assertEquals(4, page.total());
        assertEquals(List.of("h02", "h03"), page.runs().stream().map(UpdateRun::host).toList());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.rollouts.hostRuns(f.admin, PROJECT, "ghost", RunQuery.all())).reason());
        assertEquals(Reason.INVALID, assertThrows(TenancyException.class,
                () -> f.rollouts.runs(f.admin, PROJECT, "first", new RunQuery(null, null, 0, 0))).reason());
        assertEquals(List.of("again"), f.rollouts.rollouts(f.admin, PROJECT, RolloutState.RUNNING, 0, 10).stream()
                .map(Rollout::name).toList());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private String rolloutId(String name) {
        return f.db.inTransaction(c -> Sql.string(c, "SELECT id FROM rollout WHERE name = ?", name));
    }

    private long auditCount(String action) {
        return f.db.inTransaction(c -> Sql.one(c, "SELECT COUNT(*) FROM audit_event WHERE action = ?", rs -> rs.getLong(1),
                action).orElse(0L));
    }
}
