package org.edgeorch.agent.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.edgeorch.agent.UpdateHandler.ImageSource;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.spi.southbound.WindowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedUpdaterTest {

    @TempDir
    Path dir;

    private static final byte[] IMAGE = new byte[100_000];

    static {
        new Random(3).nextBytes(IMAGE);
    }

    private static String digest(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Serves the image, failing once in the middle, so the second request must resume with a range. */
    private static final class FlakySource implements ImageSource {
        final List<Long> offsets = new ArrayList<>();

        @Override
        public synchronized java.io.InputStream open(String url, long offset) throws IOException {
            offsets.add(offset);
            if (offsets.size() == 1) {
                return new java.io.InputStream() {
                    int served;

                    @Override
                    public int read() throws IOException {
                        if (served == 40_000) {
                            throw new IOException("connection reset");
                        }
                        return IMAGE[served++] & 0xff;
                    }
                };
            }
            return new ByteArrayInputStream(IMAGE, (int) offset, IMAGE.length - (int) offset);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void downloadsResumingWithARangeChecksTheDigestAndCommitsAHealthyVersion() throws Exception {
        SimulatedUpdater updater = new SimulatedUpdater(dir, "1.0.0", v -> true, Duration.ofMillis(10));
        FlakySource source = new FlakySource();
        updater.desired(new DesiredOs("run-1", "emt", "2.0.0", digest(IMAGE), IMAGE.length, List.of("/img"), "{}", "", 0),
                List.of(), source);
        await("succeeded", () -> updater.current() != null && updater.current().status() == UpdateStatus.SUCCEEDED);
        assertEquals("2.0.0", updater.runningVersion());
        assertEquals(List.of(0L, 40_000L), source.offsets, "resumed where the connection broke");
        // a restarted agent reports the same truth
        assertEquals("2.0.0", new SimulatedUpdater(dir, "1.0.0", v -> true, Duration.ZERO).runningVersion());
        updater.close();
    }

    @Test
    void aWrongDigestStopsBeforeInstallingAndAnUnhealthyVersionRollsBack() throws Exception {
        SimulatedUpdater updater = new SimulatedUpdater(dir, "1.0.0", v -> !v.equals("2.0.1"), Duration.ofMillis(10));
        ImageSource source = (url, offset) -> new ByteArrayInputStream(IMAGE, (int) offset, IMAGE.length - (int) offset);
        updater.desired(new DesiredOs("run-1", "emt", "2.0.0", "sha256:" + "0".repeat(64), IMAGE.length, List.of("/img"),
                "{}", "", 0), List.of(), source);
        await("failed", () -> updater.current() != null && updater.current().status().finished());
        assertEquals(UpdateFailure.DIGEST_MISMATCH, updater.current().failure());
        assertEquals("1.0.0", updater.runningVersion());

        updater.desired(new DesiredOs("run-2", "emt", "2.0.1", digest(IMAGE), IMAGE.length, List.of("/img"), "{}", "", 0),
                List.of(), source);
        await("rolled back", () -> updater.current().runId().equals("run-2") && updater.current().status().finished());
        assertEquals(UpdateStatus.ROLLED_BACK, updater.current().status());
        assertEquals(UpdateFailure.HEALTH_CHECK_FAILED, updater.current().failure());
        assertEquals("1.0.0", updater.runningVersion());
        updater.close();
    }

    @Test
    void itInstallsOnlyInsideAWindowButDownloadsBefore() throws Exception {
        SimulatedUpdater updater = new SimulatedUpdater(dir, "1.0.0", v -> true, Duration.ofMillis(10));
        ImageSource source = (url, offset) -> new ByteArrayInputStream(IMAGE, (int) offset, IMAGE.length - (int) offset);
        Instant opens = Instant.now().plusSeconds(2);
        updater.desired(new DesiredOs("run-1", "emt", "2.0.0", digest(IMAGE), IMAGE.length, List.of("/img"), "{}", "", 0),
                List.of(new WindowSpec("soon", opens.toString(), opens.plusSeconds(3600).toString(), null, null, null)), source);
        await("downloaded", () -> updater.current() != null && updater.current().status() == UpdateStatus.DOWNLOADED);
        Thread.sleep(500);
        assertEquals(UpdateStatus.DOWNLOADED, updater.current().status(), "waits for the window");
        await("succeeded once the window opened", () -> updater.current().status() == UpdateStatus.SUCCEEDED);
        assertTrue(Instant.ofEpochMilli(updater.current().at()).isAfter(opens));
        updater.close();
    }
}
