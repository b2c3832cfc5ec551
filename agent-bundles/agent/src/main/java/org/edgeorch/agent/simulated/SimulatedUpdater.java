package org.edgeorch.agent.simulated;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.agent.Windows;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.spi.southbound.WindowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An update handler for hosts without an A/B disk: the fleet simulator, tests, and the demo. What it does for
 * real: it downloads the image over the southbound (mutual TLS, resuming with HTTP Range) and checks its
 * SHA-256 against the desired OS, and it installs only inside a maintenance window (evaluated on the node
 * from the windows in the desired state). What it simulates: writing the slot (the image file is kept as
 * the "slot"), the reboot (a pause) and the health check ({@code healthy} decides). Every step is reported.
 * Its state lives in {@code update.json} in its folder, so a restarted agent reports the truth.
 */
public final class SimulatedUpdater implements UpdateHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedUpdater.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String STATE = "update.json";

    /** What the handler keeps: the running version and the current run's last report. */
    record State(String running, UpdateReport run) {
    }

    private final Path dir;
    private final Predicate<String> healthy;
    private final Duration rebootTime;
    private final Clock clock;
    private final ExecutorService worker;
    private volatile State state;
    private volatile Link agent;
    private volatile String working;

    /**
     * @param dir            its folder (the image download and the state)
     * @param initialVersion the version the host runs when it has no state yet
     * @param healthy        whether a version passes the health check after its trial boot
     * @param rebootTime     how long the simulated reboot takes
     */
    public SimulatedUpdater(Path dir, String initialVersion, Predicate<String> healthy, Duration rebootTime) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.healthy = healthy;
        this.rebootTime = rebootTime;
        this.clock = Clock.systemUTC();
        Path file = dir.resolve(STATE);
        this.state = Files.exists(file) ? JSON.readValue(file.toFile(), State.class) : new State(initialVersion, null);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgeorch-simulated-update");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void attach(Link agent) {
        this.agent = agent;
    }

    @Override
    public String runningVersion() {
        return state.running();
    }

    @Override
    public UpdateReport current() {
        return state.run();
    }

    @Override
    public void desired(DesiredOs os, List<WindowSpec> windows, ImageSource images) {
        if (os == null || os.runId() == null || os.version().equals(state.running())) {
            return;
        }
        UpdateReport run = state.run();
        if (run != null && run.runId().equals(os.runId()) && run.status().finished()) {
            return;
        }
        if (os.runId().equals(working)) {
            return;
        }
        working = os.runId();
        worker.execute(() -> {
            try {
                update(os, windows, images);
            } finally {
                working = null;
            }
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private void update(DesiredOs os, List<WindowSpec> windows, ImageSource images) {
        try {
            Path image = download(os, images);
            report(os, UpdateStatus.DOWNLOADED, null, "image " + os.imageDigest() + " verified", 100);
            Windows parsed = Windows.of(windows);
            while (!parsed.isOpen(clock.instant())) {
                Instant next = parsed.nextOpening(clock.instant()).orElse(null);
                if (next == null) {
                    report(os, UpdateStatus.DOWNLOADED, null, "no maintenance window opens any more", 100);
                    return;
                }
                Thread.sleep(Math.max(100, Math.min(5_000, Duration.between(clock.instant(), next).toMillis())));
            }
            report(os, UpdateStatus.INSTALLING, null, "writing the inactive slot (simulated)", 0);
            Files.copy(image, dir.resolve("slot-" + os.version()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            report(os, UpdateStatus.REBOOTING, null, "trial boot of " + os.version() + " (simulated)", 0);
            Thread.sleep(rebootTime.toMillis());
            report(os, UpdateStatus.VERIFYING, null, "health checks", 0);
            if (healthy.test(os.version())) {
                state = new State(os.version(), report(os.runId(), os.version(), UpdateStatus.SUCCEEDED, null,
                        "booted " + os.version() + ", health checks passed, committed", 100));
                save();
                nudge();
            } else {
                report(os, UpdateStatus.ROLLED_BACK, UpdateFailure.HEALTH_CHECK_FAILED,
                        os.version() + " failed its health check; back on " + state.running(), 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DigestException e) {
            report(os, UpdateStatus.FAILED, UpdateFailure.DIGEST_MISMATCH, e.getMessage(), 0);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Update to {} failed: {}", os.version(), e.toString());
            report(os, UpdateStatus.FAILED, UpdateFailure.DOWNLOAD_FAILED, String.valueOf(e.getMessage()), 0);
        }
    }

    /** The downloaded image does not hash to the desired digest. */
    static final class DigestException extends IOException {
        private static final long serialVersionUID = 1L;

        DigestException(String message) {
            super(message);
        }
    }

    private Path download(DesiredOs os, ImageSource images) throws IOException, InterruptedException {
        String hex = os.imageDigest().substring(os.imageDigest().indexOf(':') + 1);
        Path done = dir.resolve(hex + ".img");
        if (Files.exists(done) && Files.size(done) == os.imageSize()) {
            return done;
        }
        Path part = dir.resolve(hex + ".part");
        IOException last = null;
        for (String url : os.imageUrls()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                long offset = Files.exists(part) ? Files.size(part) : 0;
                report(os, UpdateStatus.DOWNLOADING, null, "from " + url + (offset > 0 ? " resuming at byte " + offset : ""),
                        percent(offset, os.imageSize()));
                try (InputStream in = images.open(url, offset);
                     OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    last = e;
                    Thread.sleep(500);
                    continue;
                }
                String actual = sha256(part);
                if (!actual.equals(hex)) {
                    Files.deleteIfExists(part);
                    throw new DigestException("the image hashes to " + actual + ", not the signed " + hex);
                }
                Files.move(part, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return done;
            }
        }
        throw last != null ? last : new IOException("the desired OS names no image URL");
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int percent(long done, long total) {
        return total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    }

    private void report(DesiredOs os, UpdateStatus status, UpdateFailure failure, String detail, int progress) {
        state = new State(state.running(), report(os.runId(), os.version(), status, failure, detail, progress));
        save();
        nudge();
    }

    private UpdateReport report(String runId, String version, UpdateStatus status, UpdateFailure failure, String detail,
                                int progress) {
        return new UpdateReport(runId, version, status, failure, detail == null || detail.length() <= 1000 ? detail
                : detail.substring(0, 1000), progress, clock.millis());
    }

    private void save() {
        try {
            Path tmp = dir.resolve(STATE + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(state));
            Files.move(tmp, dir.resolve(STATE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Cannot save the update state: {}", e.toString());
        }
    }

    private void nudge() {
        Link a = agent;
        if (a != null) {
            a.syncSoon();
        }
    }
}
