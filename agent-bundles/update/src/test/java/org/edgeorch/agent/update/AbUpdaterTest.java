package org.edgeorch.agent.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.ab.SlotState;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.spi.southbound.WindowSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The update agent on a real GRUB environment block with slot image files, rebooted by the boot emulator, and
 * its power cut at every crash point.
 */
class AbUpdaterTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static SignedReleases signer;
    static byte[] image;

    @TempDir
    Path dir;
    TestHost host;

    @BeforeAll
    static void release() throws Exception {
        signer = new SignedReleases("release signer");
        image = new byte[(1 << 20) + 12345];
        new Random(42).nextBytes(image);
    }

    @BeforeEach
    void host() throws Exception {
        host = new TestHost(dir, signer.verifier());
    }

    @AfterEach
    void stop() {
        host.shutdown();
    }

    DesiredOs v2() throws Exception {
        return signer.desired("run-1", "2.0.0", image);
    }

    void assertOnGoodSlot(Slot expected, String version) throws Exception {
        assertEquals(expected, host.boot.booted());
        assertEquals(expected, host.boot.primary());
        assertEquals(new SlotState(true, 1), host.boot.state(expected), "committed: good, with its try restored");
        assertEquals(version, host.updater().runningVersion());
    }

    @Test
    void anUpdateStreamsVerifiesBootsOnTrialChecksAndCommits() throws Exception {
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.SUCCEEDED, r.status(), r.toString());
        assertOnGoodSlot(Slot.B, "2.0.0");
        assertFalse(host.boot.state(Slot.A).good() && host.boot.primary() == Slot.A);
        assertArrayEquals(image, Files.readAllBytes(host.slots.path(Slot.B)));
        assertEquals(1, host.reboots.get(), "one reboot into the trial");
        List<UpdateStatus> seen = host.reports.stream().map(UpdateReport::status).distinct().toList();
        assertEquals(List.of(UpdateStatus.QUEUED, UpdateStatus.DOWNLOADING, UpdateStatus.DOWNLOADED, UpdateStatus.INSTALLING,
                UpdateStatus.REBOOTING, UpdateStatus.VERIFYING, UpdateStatus.SUCCEEDED),
                seen, host.reports.toString());
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=0"), Tools.grubEditenv(host.env),
                "grub-editenv reads the committed selection");
    }

    @Test
    void anImageThatFailsItsHealthCheckIsRolledBack() throws Exception {
        host.checks.add(new HealthCheck() {
            @Override
            public String name() {
                return "service edge-app";
            }

            @Override
            public String check(Trial trial) {
                return trial.version().equals("2.0.0") ? "not running" : null;
            }
        });
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.ROLLED_BACK, r.status());
        assertEquals(UpdateFailure.HEALTH_CHECK_FAILED, r.failure());
        assertTrue(r.detail().contains("health check failed (service edge-app): not running"), r.detail());
        assertOnGoodSlot(Slot.A, "1.0.0");
        assertFalse(host.boot.state(Slot.B).good(), "the failed slot is marked bad");
        assertEquals(2, host.reboots.get(), "into the trial, and back");
    }

    @Test
    void aNewOsThatCannotReachTheOrchestratorIsRolledBack() throws Exception {
        host.reachable = false;
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.ROLLED_BACK, r.status());
        assertEquals(UpdateFailure.HEALTH_CHECK_FAILED, r.failure());
        assertTrue(r.detail().contains("(orchestrator reachable): no sync with the orchestrator within 2 s"), r.detail());
        assertOnGoodSlot(Slot.A, "1.0.0");
    }

    @Test
    void aCheckExecutableDecidesFromTheImageItself() throws Exception {
        Path required = Files.createDirectories(dir.resolve("checks/required.d"));
        Path script = required.resolve("10-image-sane");
        Files.writeString(script, "#!/bin/sh\nif grep -q BROKEN \"$EDGEORCH_SLOT_DEVICE\"; then echo \"image is broken\"; exit 3; fi\n");
        script.toFile().setExecutable(true);
        host.checks.add(new ExecutableChecks(dir.resolve("checks"), Duration.ofSeconds(10)).asHealthCheck());
        byte[] broken = ("BROKEN " + new String(new char[2000]).replace('\0', 'x')).getBytes();
        host.want(signer.desired("run-1", "2.0.0", broken), broken, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.ROLLED_BACK, r.status());
        assertTrue(r.detail().contains("required.d/10-image-sane exited with 3: image is broken"), r.detail());
        assertOnGoodSlot(Slot.A, "1.0.0");
    }

    @Test
    void aSlotThatDoesNotBootFallsBack() throws Exception {
        host.emulator.crashOnBoot(Slot.B);
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.ROLLED_BACK, r.status());
        assertEquals(UpdateFailure.BOOT_FAILED, r.failure());
        assertEquals(List.of(Slot.B, Slot.A), host.emulator.lastBoots(), "the trial crashed, GRUB fell back");
        assertOnGoodSlot(Slot.A, "1.0.0");
    }

    @Test
    void tamperedBytesStopBeforeTheSlotIsBootable() throws Exception {
        byte[] served = image.clone();
        served[served.length / 2] ^= 1;
        DesiredOs os = v2();
        host.want(os, served, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.FAILED, r.status());
        assertEquals(UpdateFailure.DIGEST_MISMATCH, r.failure());
        assertEquals(0, host.reboots.get());
        assertFalse(host.boot.state(Slot.B).bootable());
        assertOnGoodSlot(Slot.A, "1.0.0");
    }

    @Test
    void aTamperedManifestOrAnUnknownSignerInstallsNothing() throws Exception {
        DesiredOs os = v2();
        String tampered = os.releaseManifest().replace("secure-boot", "none");
        host.want(new DesiredOs("run-1", os.profile(), os.version(), os.imageDigest(), os.imageSize(), os.imageUrls(),
                tampered, os.signature(), 0), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateFailure.SIGNATURE_INVALID, r.failure());
        assertTrue(r.detail().contains("BAD_SIGNATURE"), r.detail());

        host.want(new SignedReleases("someone else").desired("run-2", "2.0.0", image), image, List.of());
        r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateFailure.SIGNATURE_INVALID, r.failure());
        assertTrue(r.detail().contains("UNTRUSTED"), r.detail());

        byte[] other = Arrays.copyOf(image, image.length - 1);
        DesiredOs swapped = new DesiredOs("run-3", os.profile(), os.version(), "sha256:" + SignedReleases.sha256(other),
                other.length, os.imageUrls(), os.releaseManifest(), os.signature(), 0);
        host.want(swapped, other, List.of());
        r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateFailure.SIGNATURE_INVALID, r.failure());
        assertTrue(r.detail().contains("signed manifest describes"), r.detail());

        assertTrue(host.openedAt.isEmpty(), "no byte was downloaded");
        assertFalse(Files.exists(host.slots.path(Slot.B)), "slot B was never touched");
        assertOnGoodSlot(Slot.A, "1.0.0");
    }

    @Test
    void anIncompleteDesiredOsFailsWithoutTouchingAnything() throws Exception {
        DesiredOs os = v2();
        host.want(new DesiredOs("run-1", os.profile(), os.version(), "md5:abc", os.imageSize(), os.imageUrls(),
                os.releaseManifest(), os.signature(), 0), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateStatus.FAILED, r.status());
        assertEquals(UpdateFailure.OTHER, r.failure());
        assertTrue(r.detail().startsWith("the desired OS is incomplete: digest md5:abc"), r.detail());

        host.want(new DesiredOs("run-2", os.profile(), os.version(), os.imageDigest(), os.imageSize(), os.imageUrls(),
                os.releaseManifest(), "%%% not base64 %%%", 0), image, List.of());
        r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateFailure.SIGNATURE_INVALID, r.failure());
        assertTrue(r.detail().contains("not base64"), r.detail());
        assertFalse(Files.exists(host.slots.path(Slot.B)));
        assertOnGoodSlot(Slot.A, "1.0.0");
    }

    @Test
    void aBrokenDownloadResumesWhereItStopped() throws Exception {
        host.breakStreamAfter = 300_000;
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.SUCCEEDED, r.status());
        assertEquals(List.of(0L, 300_000L), host.openedAt, "the second request starts where the first broke");
        assertArrayEquals(image, Files.readAllBytes(host.slots.path(Slot.B)));
    }

    @Test
    void itDownloadsBeforeTheWindowAndInstallsOnlyInIt() throws Exception {
        host.shutdown();
        host.preDownload = Duration.ofSeconds(2);
        host.startRuntime();
        Instant opens = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // reports carry ms
        WindowSpec window = new WindowSpec("soon", opens.toString(), opens.plusSeconds(600).toString(), null, null, null);
        host.want(v2(), image, List.of(window));

        TestHost.await("the download is scheduled", TIMEOUT, () -> host.last() != null && host.last().detail() != null
                && host.last().detail().startsWith("download at"));
        Instant downloadAt = Instant.parse(host.last().detail().split(" ")[2].replace(",", ""));
        assertFalse(downloadAt.isBefore(opens.minusSeconds(2)), downloadAt + " is in the 2 s before " + opens);
        assertFalse(downloadAt.isAfter(opens), downloadAt + " is in the 2 s before " + opens);

        TestHost.await("downloaded", TIMEOUT, () -> host.last().status() == UpdateStatus.DOWNLOADED);
        assertTrue(Instant.now().isBefore(opens.plusMillis(200)), "downloaded before the window");
        assertFalse(host.last().detail().isEmpty());
        UpdateReport r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateStatus.SUCCEEDED, r.status());
        UpdateReport installing = host.reports.stream().filter(x -> x.status() == UpdateStatus.INSTALLING).findFirst().orElseThrow();
        assertFalse(Instant.ofEpochMilli(installing.at()).isBefore(opens), "installed inside the window");
    }

    @Test
    void aNewRunReplacesOneThatHasNotArmedYet() throws Exception {
        Instant opens = Instant.now().plusSeconds(3600);
        List<WindowSpec> later = List.of(new WindowSpec("later", opens.toString(), null, null, null, null));
        host.want(v2(), image, later);
        TestHost.await("downloaded", TIMEOUT, () -> host.last() != null && host.last().status() == UpdateStatus.DOWNLOADED);

        byte[] v3 = Arrays.copyOf(image, 5000);
        host.want(signer.desired("run-2", "3.0.0", v3), v3, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateStatus.SUCCEEDED, r.status());
        assertEquals("3.0.0", host.updater().runningVersion());
        assertTrue(host.reports.stream().anyMatch(x -> x.runId().equals("run-1") && x.status() == UpdateStatus.FAILED
                && x.failure() == UpdateFailure.ABORTED), host.reports.toString());
    }

    @Test
    void aRunForTheVersionAlreadyRunningSucceedsAtOnce() throws Exception {
        byte[] same = "factory image 1.0.0".getBytes();
        host.want(signer.desired("run-9", "1.0.0", same), same, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateStatus.SUCCEEDED, r.status());
        assertEquals("already running 1.0.0 from slot A", r.detail());
        assertEquals(0, host.reboots.get());
        assertTrue(host.openedAt.isEmpty());
    }

    @Test
    void theStatusViewShowsSlotsAndStep() throws Exception {
        host.want(v2(), image, List.of());
        host.runUntilFinished(TIMEOUT);
        AbUpdater.View v = host.updater().view();
        assertEquals(Slot.B, v.booted());
        assertEquals("2.0.0", v.versions().get(Slot.B));
        assertEquals("1.0.0", v.versions().get(Slot.A));
        assertEquals(Step.DONE, v.step());
        assertNull(v.bootError());
    }

    /** Every crash point, with what the host must end on. */
    static Stream<Arguments> crashPoints() {
        return Stream.of(
                Arguments.of("SCHEDULED", UpdateStatus.SUCCEEDED, null),
                Arguments.of("WRITING", UpdateStatus.SUCCEEDED, null),
                Arguments.of("WRITING@", UpdateStatus.SUCCEEDED, null),
                Arguments.of("WRITTEN", UpdateStatus.SUCCEEDED, null),
                Arguments.of("ARMING", UpdateStatus.SUCCEEDED, null),
                Arguments.of("ARMED", UpdateStatus.SUCCEEDED, null),
                Arguments.of("REBOOTING", UpdateStatus.SUCCEEDED, null),
                Arguments.of("CHECKING", UpdateStatus.ROLLED_BACK, UpdateFailure.BOOT_FAILED),
                Arguments.of("COMMITTING", UpdateStatus.ROLLED_BACK, UpdateFailure.BOOT_FAILED),
                Arguments.of("COMMITTED", UpdateStatus.SUCCEEDED, null));
    }

    @ParameterizedTest(name = "power lost at {0}")
    @MethodSource("crashPoints")
    void aPowerLossAtAnyStepEndsOnAGoodSlotWithTheTruth(String point, UpdateStatus outcome, UpdateFailure failure) throws Exception {
        host.crashAt = point;
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(2, host.boots.get() - host.reboots.get(), "powered on twice (the first and after the loss)");
        assertEquals(outcome, r.status(), r.toString());
        assertEquals(failure, r.failure(), r.toString());
        if (outcome == UpdateStatus.SUCCEEDED) {
            assertOnGoodSlot(Slot.B, "2.0.0");
            assertArrayEquals(image, Files.readAllBytes(host.slots.path(Slot.B)));
        } else {
            assertOnGoodSlot(Slot.A, "1.0.0");
            assertFalse(host.boot.state(Slot.B).bootable());
            assertTrue(r.detail().contains("power loss or crash"), r.detail());
        }
        if (point.equals("WRITING@")) {
            assertEquals(2, host.openedAt.size());
            assertTrue(host.openedAt.get(1) > 0, "resumed from the journaled checkpoint: " + host.openedAt);
        }
    }

    @ParameterizedTest(name = "power lost at {0} of a rollback")
    @MethodSource("rollbackPoints")
    void aPowerLossDuringARollbackStillRollsBack(String point) throws Exception {
        host.checks.add(new HealthCheck() {
            @Override
            public String name() {
                return "always";
            }

            @Override
            public String check(Trial trial) {
                return "unhealthy";
            }
        });
        host.crashAt = point;
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);
        assertEquals(UpdateStatus.ROLLED_BACK, r.status());
        assertEquals(UpdateFailure.HEALTH_CHECK_FAILED, r.failure());
        assertOnGoodSlot(Slot.A, "1.0.0");
        assertFalse(host.boot.state(Slot.B).bootable());
    }

    static Stream<String> rollbackPoints() {
        return Stream.of("ROLLING_BACK", "MARKED_BAD");
    }

    @ParameterizedTest(name = "U-Boot, power lost at {0}")
    @MethodSource("ubootPoints")
    void onUbootTooAnUpdateCommitsOrFallsBackAndFwPrintenvAgrees(String point, UpdateStatus outcome) throws Exception {
        host.shutdown();
        host = new TestHost(dir.resolve("uboot"), signer.verifier(), true);
        host.crashAt = point;
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(outcome, r.status(), r.toString());
        Slot good = outcome == UpdateStatus.SUCCEEDED ? Slot.B : Slot.A;
        assertEquals(good, host.boot.booted());
        assertEquals(good, host.boot.primary());
        assertEquals(outcome == UpdateStatus.SUCCEEDED
                ? List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=3", "BOOT_ORDER=B A", "raucslot=B")
                : List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=0", "BOOT_ORDER=A B", "raucslot=A"), Tools.fwPrintenv(host.env));
    }

    static Stream<Arguments> ubootPoints() {
        return Stream.of(Arguments.of("none", UpdateStatus.SUCCEEDED), Arguments.of("ARMED", UpdateStatus.SUCCEEDED),
                Arguments.of("CHECKING", UpdateStatus.ROLLED_BACK));
    }

    @ParameterizedTest(name = "runtime killed at {0}, restarted without a reboot")
    @MethodSource("killPoints")
    void aRuntimeKilledWithoutARebootCarriesOn(String point) throws Exception {
        host.powerLoss = false;
        host.crashAt = point;
        host.want(v2(), image, List.of());
        UpdateReport r = host.runUntilFinished(TIMEOUT);

        assertEquals(UpdateStatus.SUCCEEDED, r.status(), r.toString());
        assertEquals(1, host.reboots.get(), "exactly one reboot, into the trial: " + host.reports);
        assertOnGoodSlot(Slot.B, "2.0.0");
    }

    static Stream<String> killPoints() {
        return Stream.of("WRITING@", "WRITTEN", "ARMING", "ARMED", "REBOOTING", "CHECKING", "COMMITTING", "COMMITTED");
    }
}
