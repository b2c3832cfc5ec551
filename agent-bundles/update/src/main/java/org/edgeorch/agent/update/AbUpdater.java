package org.edgeorch.agent.update;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.agent.Windows;
import org.edgeorch.agent.update.UpdateJournal.Entry;
import org.edgeorch.agent.update.UpdateJournal.Run;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.AbBootloader;
import org.edgeorch.spi.ab.Rebooter;
import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.ab.SlotDevice;
import org.edgeorch.spi.ab.SlotState;
import org.edgeorch.spi.release.ReleaseManifest;
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
 * The platform update agent for an immutable A/B OS. For the desired OS of the node's desired state it
 * <ol>
 * <li>waits for a random moment in the pre-download period before the next maintenance window;</li>
 * <li>checks the CMS signature of the release manifest against the node's own trust anchors, and that the
 *     manifest names the image it is given;</li>
 * <li>marks the inactive slot bad (so a half-written slot is never booted), and streams the image into it
 *     while hashing, syncing and journaling a checkpoint every few MiB; an interrupted download resumes with
 *     HTTP Range from the last checkpoint, after hashing what the slot already holds;</li>
 * <li>inside a window, arms a one-time trial boot of the new slot and reboots;</li>
 * <li>booted into the new slot, runs the health checks, then commits the slot, or marks it bad and reboots
 *     into the old one; if the trial never comes up, the bootloader falls back by itself.</li>
 * </ol>
 * Every step is journaled before its work starts ({@link Step}); {@link #start()} continues from the journal,
 * so a power loss at any moment ends on a good slot with a truthful report. The last report is sent with
 * every sync until a newer one replaces it.
 */
public final class AbUpdater implements UpdateHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AbUpdater.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final long IDLE_MILLIS = 60_000;
    private static final int DOWNLOAD_ATTEMPTS = 6;

    /**
     * How the updater works.
     *
     * @param dir             its folder (the journal)
     * @param verifier        the trusted release signers; null: nothing can be verified, so nothing is installed
     * @param preDownload     the period before a window in which the download starts, at a random moment
     * @param checkTimeout    how long the built-in checks wait for the runtime and the orchestrator
     * @param initialVersion  the OS version of the running slot when the journal does not know it yet
     * @param checkpointBytes how often the slot is synced and the position journaled while writing
     * @param pipelined       hash on the downloading thread and write on a second one (the default), or both on one
     *                        thread (kept to measure against: bench/update.sh)
     */
    public record Settings(Path dir, ReleaseVerifier verifier, Duration preDownload, Duration checkTimeout,
                           String initialVersion, long checkpointBytes, boolean pipelined) {
        public Settings {
            Objects.requireNonNull(dir);
            Objects.requireNonNull(preDownload);
            Objects.requireNonNull(checkTimeout);
            if (checkpointBytes <= 0) {
                throw new IllegalArgumentException("checkpointBytes must be positive");
            }
        }

        /** Pipelined. */
        public Settings(Path dir, ReleaseVerifier verifier, Duration preDownload, Duration checkTimeout,
                        String initialVersion, long checkpointBytes) {
            this(dir, verifier, preDownload, checkTimeout, initialVersion, checkpointBytes, true);
        }
    }

    /**
     * Called at each crash point with its name (the step just journaled, or an action just done); the node
     * runtime halts there when told to by its fault-injection file, tests block there to model a power loss.
     */
    @FunctionalInterface
    public interface CrashPoints {
        CrashPoints NONE = point -> { };

        void reached(String point) throws InterruptedException;
    }

    /**
     * What {@code edge:update-status} shows.
     *
     * @param bootError why the bootloader's state could not be read, or null
     * @param streamed  bytes written into the slot so far in this process (ahead of the journaled checkpoint)
     */
    public record View(Slot booted, Slot primary, Map<Slot, SlotState> states, Map<Slot, String> versions,
                       String bootError, Step step, String version, Slot target, long streamed, long size,
                       UpdateReport report) {
    }

    private record Desired(DesiredOs os, List<WindowSpec> windows, ImageSource images) {
    }

    /** The run ends with this outcome. */
    private static final class RunFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final UpdateFailure failure;

        RunFailed(UpdateFailure failure, String message) {
            super(message);
            this.failure = failure;
        }
    }

    private final Settings settings;
    private final AbBootloader boot;
    private final SlotDevice slots;
    private final Rebooter rebooter;
    private final List<HealthCheck> checks;
    private final CrashPoints crash;
    private final Clock clock;
    private final RandomGenerator random;
    private final UpdateJournal journal;
    private final Semaphore wake = new Semaphore(0);
    private volatile Entry entry;
    private volatile Desired latest;
    private volatile Link link;
    private volatile long streamed;
    private volatile Thread worker;
    private volatile boolean stopped;

    /**
     * @param checks the health checks after the built-in one (the orchestrator is reachable); the node runtime
     *               adds its own (every bundle active) and the executables of the checks folder
     */
    public AbUpdater(Settings settings, AbBootloader boot, SlotDevice slots, Rebooter rebooter, List<HealthCheck> checks,
                     CrashPoints crash, Clock clock, RandomGenerator random) throws IOException {
        this.settings = settings;
        this.boot = boot;
        this.slots = slots;
        this.rebooter = rebooter;
        this.checks = List.copyOf(checks);
        this.crash = crash;
        this.clock = clock;
        this.random = random;
        this.journal = new UpdateJournal(settings.dir());
        this.entry = journal.read().orElse(new Entry(Map.of(), null));
    }

    /**
     * Continues from the journal: commits the running slot unless a trial is under way (every healthy boot
     * spends a try, as with {@code rauc status mark-good}), then works on its own thread.
     */
    public synchronized void start() throws IOException, PluginException {
        Slot booted = boot.booted();
        if (!entry.slots().containsKey(booted) && settings.initialVersion() != null && !settings.initialVersion().isBlank()) {
            save(entry.withSlot(booted, settings.initialVersion().strip()));
        }
        Run run = entry.run();
        if (run == null || !run.step().armed()) {
            boot.commit(booted);
        }
        LOG.info("Update agent on slot {} ({}), {}", booted, entry.slots().get(booted),
                run == null ? "no run yet" : "run " + run.os().runId() + " at " + run.step());
        stopped = false;
        Thread t = new Thread(this::loop, "edgeorch-update");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    /** Stops the worker (the runtime is going down, or, in tests, losing power) and waits for it. */
    public void stop() {
        stopped = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void attach(Link agent) {
        this.link = agent;
    }

    /** The agent stops using this updater; the updater itself keeps running until {@link #stop()}. */
    @Override
    public void close() {
        link = null;
    }

    @Override
    public String runningVersion() {
        try {
            return entry.slots().get(boot.booted());
        } catch (PluginException e) {
            return null;
        }
    }

    @Override
    public UpdateReport current() {
        Run run = entry.run();
        return run == null ? null : run.report();
    }

    @Override
    public void desired(DesiredOs os, List<WindowSpec> windows, ImageSource images) {
        latest = new Desired(os, windows == null ? List.of() : windows, images);
        wake.release();
    }

    /** The slots, the bootloader's view of them and the current step. */
    public View view() {
        Entry e = entry;
        Map<Slot, SlotState> states = new EnumMap<>(Slot.class);
        Slot booted = null;
        Slot primary = null;
        String error = null;
        try {
            booted = boot.booted();
            for (Slot s : Slot.values()) {
                states.put(s, boot.state(s));
            }
            primary = boot.primary();
        } catch (PluginException ex) {
            error = ex.getMessage();
        }
        Run run = e.run();
        return new View(booted, primary, states, e.slots(), error, run == null ? null : run.step(),
                run == null ? null : run.os().version(), run == null ? null : run.target(),
                run != null && run.step() == Step.WRITING ? Math.max(streamed, run.written()) : 0,
                run == null ? 0 : run.os().imageSize(), run == null ? null : run.report());
    }

    // ---- the worker -------------------------------------------------------------------------------

    private void loop() {
        while (!stopped) {
            long waitMillis;
            try {
                waitMillis = reconcile();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | PluginException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("Update step failed, retrying in 10 s: {}", e.toString());
                waitMillis = 10_000;
            }
            if (waitMillis > 0) {
                try {
                    wake.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One step towards the desired OS; returns how long to wait before the next (0: at once). */
    private long reconcile() throws IOException, PluginException, InterruptedException {
        Run run = entry.run();
        Desired d = latest;
        if (run != null && run.step() != Step.DONE) {
            if (!run.step().armed() && d != null && (d.os() == null || !run.os().runId().equals(d.os().runId()))) {
                finish(run, UpdateStatus.FAILED, UpdateFailure.ABORTED, "the orchestrator no longer asks for "
                        + run.os().version() + (d.os() == null ? "" : "; it asks for " + d.os().version()));
                return 0;
            }
            try {
                return advance(run, d);
            } catch (RunFailed e) {
                fail(entry.run(), e.failure, e.getMessage());
                return 0;
            }
        }
        if (d == null || d.os() == null || d.os().runId() == null) {
            return IDLE_MILLIS;
        }
        DesiredOs os = d.os();
        if (os.version() == null || (run != null && os.runId().equals(run.os().runId()))) {
            return IDLE_MILLIS;
        }
        Slot from = boot.booted();
        if (os.version().equals(runningVersion())) {
            // Level-triggered: a run for what already runs (committed at start) is over at once, and says so.
            save(entry.withRun(new Run(os, from, Step.DONE, 0, 0, report(os, UpdateStatus.SUCCEEDED, null,
                    "already running " + os.version() + " from slot " + from, 100))));
            nudge();
            return 0;
        }
        Run begun = new Run(os, from, Step.SCHEDULED, 0, 0, report(os, UpdateStatus.QUEUED, null, "received", 0));
        save(entry.withRun(begun));
        LOG.info("Update run {} to {} begins (slot {} → {})", os.runId(), os.version(), from, from.other());
        crash.reached(Step.SCHEDULED.name());
        return 0;
    }

    private long advance(Run run, Desired d) throws IOException, PluginException, InterruptedException, RunFailed {
        return switch (run.step()) {
            case SCHEDULED -> scheduled(run, d);
            case WRITING -> d == null ? IDLE_MILLIS : writing(run, d.images());
            case WRITTEN -> d == null ? IDLE_MILLIS : written(run, d);
            case ARMING -> arming(run);
            case REBOOTING -> rebooting(run);
            case CHECKING -> checking(run);
            case COMMITTING -> committing(run);
            case ROLLING_BACK -> rollingBack(run);
            case DONE -> IDLE_MILLIS;
        };
    }

    private long scheduled(Run run, Desired d) throws IOException, PluginException, InterruptedException, RunFailed {
        if (d == null) {
            return IDLE_MILLIS;
        }
        Instant now = clock.instant();
        if (run.downloadAt() == 0) {
            Windows windows = Windows.of(d.windows());
            Instant at = now;
            Optional<Instant> next = windows.isOpen(now) ? Optional.empty() : windows.nextOpening(now);
            if (next.isPresent() && settings.preDownload().toMillis() > 0) {
                Instant earliest = next.get().minus(settings.preDownload());
                long spread = Duration.between(earliest, next.get()).toMillis();
                Instant chosen = earliest.plusMillis(random.nextLong(spread + 1));
                at = chosen.isAfter(now) ? chosen : now;
            }
            run = run.withDownloadAt(at.toEpochMilli()).withReport(report(run.os(), UpdateStatus.QUEUED, null,
                    at.isAfter(now) ? "download at " + at + ", before the window at " + next.get() : "downloading now", 0));
            save(entry.withRun(run));
            nudge();
        }
        long wait = run.downloadAt() - now.toEpochMilli();
        if (wait > 0) {
            return Math.min(wait, IDLE_MILLIS);
        }
        DesiredOs os = run.os();
        checkRelease(os);
        long capacity = slots.capacity(run.target());
        if (os.imageSize() > capacity) {
            throw new RunFailed(UpdateFailure.NO_SPACE, "the image takes " + os.imageSize() + " bytes; slot "
                    + run.target() + " holds " + capacity);
        }
        boot.commit(run.from());
        if (boot.state(run.target()).good()) {
            boot.markBad(run.target());
        }
        Run writing = run.at(Step.WRITING).withWritten(0).withReport(report(os, UpdateStatus.DOWNLOADING, null,
                "signature verified; writing slot " + run.target(), 0));
        save(entry.withSlot(run.target(), null).withRun(writing));
        nudge();
        crash.reached(Step.WRITING.name());
        return 0;
    }

    /** The signature, then that the signed manifest describes what the orchestrator asks this node to install. */
    void checkRelease(DesiredOs os) throws RunFailed {
        if (os.imageDigest() == null || !DIGEST.matcher(os.imageDigest()).matches() || os.imageSize() <= 0
                || os.imageUrls().isEmpty()) {
            throw new RunFailed(UpdateFailure.OTHER, "the desired OS is incomplete: digest " + os.imageDigest()
                    + ", size " + os.imageSize() + ", " + os.imageUrls().size() + " URL(s)");
        }
        if (settings.verifier() == null) {
            throw new RunFailed(UpdateFailure.SIGNATURE_INVALID, "this node has no release signers to trust (trustFile),"
                    + " so it installs nothing");
        }
        byte[] manifest = os.releaseManifest() == null ? new byte[0] : os.releaseManifest().getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        try {
            signature = os.signature() == null ? new byte[0] : Base64.getDecoder().decode(os.signature());
        } catch (IllegalArgumentException e) {
            throw new RunFailed(UpdateFailure.SIGNATURE_INVALID, "the signature is not base64: " + e.getMessage());
        }
        ReleaseVerifier.Verified signer;
        try {
            signer = settings.verifier().verify(manifest, signature, clock.instant());
        } catch (ReleaseVerifier.VerificationException e) {
            throw new RunFailed(UpdateFailure.SIGNATURE_INVALID, "the release manifest's signature is refused ("
                    + e.failure() + "): " + e.getMessage());
        }
        ReleaseManifest m;
        try {
            m = JSON.readValue(manifest, ReleaseManifest.class);
        } catch (IOException e) {
            throw new RunFailed(UpdateFailure.SIGNATURE_INVALID, "the signed manifest cannot be read: " + e.getMessage());
        }
        String signedDigest = "sha256:" + m.imageSha256();
        if (!os.version().equals(m.version()) || !os.imageDigest().equals(signedDigest) || os.imageSize() != m.imageSize()) {
            throw new RunFailed(UpdateFailure.SIGNATURE_INVALID, "the signed manifest describes " + m.version() + " ("
                    + signedDigest + ", " + m.imageSize() + " bytes), not the " + os.version() + " (" + os.imageDigest()
                    + ", " + os.imageSize() + " bytes) asked for");
        }
        if (m.osType() != ReleaseManifest.OsType.IMMUTABLE) {
            throw new RunFailed(UpdateFailure.INCOMPATIBLE, os.version() + " is a " + m.osType()
                    + " release; this node installs immutable A/B images");
        }
        LOG.info("Release {} signed by {} ({})", os.version(), signer.signer().getSubjectX500Principal().getName(),
                signer.fingerprint());
    }

    private long writing(Run run, ImageSource images) throws IOException, PluginException, InterruptedException, RunFailed {
        DesiredOs os = run.os();
        String expected = os.imageDigest().substring("sha256:".length());
        long size = os.imageSize();
        Slot target = run.target();
        MessageDigest md = sha256();
        long offset = run.written();
        LOG.info("Writing {} into slot {} from byte {} of {}", os.version(), target, offset, size);
        try (FileChannel ch = slots.openForWrite(target)) {
            rehash(ch, offset, md);
            ch.position(offset);
            int failures = 0;
            boolean[] crashed = {false};
            while (offset < size) {
                String url = os.imageUrls().get(failures % os.imageUrls().size());
                SlotWriter writer = new SlotWriter(ch, run, offset, url, crashed);
                IOException failed = null;
                long[] hashed = {offset};
                try (InputStream in = images.open(url, offset)) {
                    stream(in, writer, md, hashed, size);
                } catch (IOException e) {
                    failed = e;
                } catch (InterruptedException | RunFailed | RuntimeException | Error e) {
                    writer.abort();
                    throw e;
                }
                run = writer.finish();
                if (failed == null) {
                    failed = writer.failure();
                }
                offset = writer.written();
                if (offset != hashed[0]) {
                    // The disk refused some of what was hashed: hash again what the slot really holds.
                    md.reset();
                    rehash(ch, offset, md);
                }
                streamed = offset;
                if (failed != null) {
                    failures++;
                    if (failures >= DOWNLOAD_ATTEMPTS) {
                        throw new RunFailed(UpdateFailure.DOWNLOAD_FAILED, "gave up after " + failures + " attempts: " + failed.getMessage());
                    }
                    LOG.info("Download of {} interrupted at byte {} ({}); resuming", os.version(), offset, failed.toString());
                    ch.position(offset);
                    run = checkpoint(run, offset, ch);
                    entry = entry.withRun(run.withReport(report(os, UpdateStatus.DOWNLOADING, null,
                            "resuming at byte " + offset + " after: " + failed.getMessage(), percent(offset, size))));
                    nudge();
                    Thread.sleep(Math.min(30_000, 500L << failures));
                }
            }
            ch.force(true);
            if (Files.isRegularFile(slots.path(target))) {
                ch.truncate(size);
            }
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII))) {
            save(entry.withRun(run.withWritten(0)));
            throw new RunFailed(UpdateFailure.DIGEST_MISMATCH, "the image written into slot " + target + " hashes to sha256:"
                    + actual + ", not the signed " + os.imageDigest() + "; the slot stays unbootable");
        }
        Run done = run.at(Step.WRITTEN).withWritten(size).withReport(report(os, UpdateStatus.DOWNLOADED, null,
                "written into slot " + target + " and verified (" + os.imageDigest() + ")", 100));
        save(entry.withSlot(target, os.version()).withRun(done));
        nudge();
        crash.reached(Step.WRITTEN.name());
        return 0;
    }

    /**
     * Reads the image from {@code offset} to its signed size, hashing each chunk on this thread and handing it to the
     * writer; {@code hashed[0]} is the offset hashed up to, also when this fails.
     */
    private static void stream(InputStream in, SlotWriter writer, MessageDigest md, long[] hashed, long size)
            throws IOException, InterruptedException, RunFailed {
        long offset = hashed[0];
        while (offset < size) {
            byte[] buffer = writer.buffer();
            int want = (int) Math.min(buffer.length, size - offset);
            int n = 0;
            IOException broken = null;
            try {
                for (int r; n < want && (r = in.read(buffer, n, want - n)) > 0; ) {
                    n += r;
                }
            } catch (IOException e) {
                // What arrived before the connection broke is kept, so that the download resumes after it.
                broken = e;
            }
            if (n == 0) {
                writer.release(buffer);
            } else {
                md.update(buffer, 0, n);
                offset += n;
                hashed[0] = offset;
                writer.write(buffer, n);
            }
            if (broken != null) {
                throw broken;
            }
            if (n == 0) {
                throw new EOFException("the image ended at byte " + offset + " of " + size);
            }
        }
        if (in.read() != -1) {
            throw new RunFailed(UpdateFailure.DIGEST_MISMATCH, "the image is longer than the signed " + size + " bytes");
        }
    }

    /**
     * Writes the chunks of one download attempt into the slot, in order, on a thread of its own (or on the caller's
     * when the settings say so), so that the disk works while the next chunk is received and hashed. It owns the
     * checkpoints: every {@code checkpointBytes} the slot is forced and then the position journaled, so a journaled
     * position is always on the disk, as without the pipeline.
     */
    private final class SlotWriter {
        private static final int CHUNK_BYTES = 1 << 20;
        private static final int CHUNKS = 4;
        private static final Chunk END = new Chunk(new byte[0], 0);

        private final FileChannel ch;
        private final String url;
        private final boolean[] crashed;
        private final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
        private final ArrayBlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
        private final Thread thread;
        private volatile Run run;
        private volatile long written;
        private volatile IOException failure;
        private volatile Throwable fatal;
        private long sinceCheckpoint;
        private int lastPercent;

        private record Chunk(byte[] bytes, int length) {
        }

        SlotWriter(FileChannel ch, Run run, long offset, String url, boolean[] crashed) {
            this.ch = ch;
            this.run = run;
            this.written = offset;
            this.url = url;
            this.crashed = crashed;
            this.lastPercent = percent(offset, run.os().imageSize());
            for (int i = 0; i < (settings.pipelined() ? CHUNKS : 1); i++) {
                free.add(new byte[CHUNK_BYTES]);
            }
            if (settings.pipelined()) {
                thread = new Thread(this::loop, "edgeorch-update-writer");
                thread.setDaemon(true);
                thread.start();
            } else {
                thread = null;
            }
        }

        /** A free chunk to fill; fails if the writer has failed. */
        byte[] buffer() throws IOException, InterruptedException {
            while (true) {
                rethrow();
                byte[] b = free.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
        }

        void release(byte[] buffer) {
            free.offer(buffer);
        }

        void write(byte[] buffer, int length) throws IOException, InterruptedException {
            if (thread == null) {
                try {
                    writeChunk(buffer, length);
                } catch (IOException e) {
                    failure = e;
                }
                free.add(buffer);
                rethrow();
                return;
            }
            full.put(new Chunk(buffer, length));
        }

        /** Waits until every chunk handed over is written (or the writer failed); the run as last checkpointed. */
        Run finish() throws InterruptedException, RunFailed {
            if (thread != null) {
                full.put(END);
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    abort();
                    throw e;
                }
            }
            rethrowFatal();
            return run;
        }

        /** Stops the writer where it is (the runtime stops, or the run failed) and waits for its thread. */
        void abort() {
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        long written() {
            return written;
        }

        IOException failure() {
            return failure;
        }

        private void rethrow() throws IOException {
            IOException e = failure;
            if (e != null) {
                throw e;
            }
            if (fatal != null) {
                throw new IOException("the slot writer stopped: " + fatal, fatal);
            }
        }

        private void rethrowFatal() throws InterruptedException, RunFailed {
            Throwable t = fatal;
            if (t instanceof InterruptedException e) {
                throw e;
            }
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }

        private void loop() {
            try {
                while (true) {
                    Chunk c = full.take();
                    if (c == END) {
                        return;
                    }
                    writeChunk(c.bytes(), c.length());
                    free.add(c.bytes());
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException | RuntimeException | Error e) {
                fatal = e;
            }
        }

        private void writeChunk(byte[] bytes, int length) throws IOException, InterruptedException {
            ByteBuffer bb = ByteBuffer.wrap(bytes, 0, length);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            long offset = written + length;
            written = offset;
            streamed = offset;
            sinceCheckpoint += length;
            DesiredOs os = run.os();
            long size = os.imageSize();
            if (sinceCheckpoint >= settings.checkpointBytes() && offset < size) {
                ch.force(false);
                run = checkpoint(run, offset);
                sinceCheckpoint = 0;
                if (!crashed[0]) {
                    crashed[0] = true;
                    crash.reached(Step.WRITING.name() + "@" + offset);
                }
            }
            int p = percent(offset, size);
            if (p / 10 != lastPercent / 10) {
                lastPercent = p;
                entry = entry.withRun(run.withReport(report(os, UpdateStatus.DOWNLOADING, null,
                        "writing slot " + run.target() + " from " + url, p)));
                nudge();
            }
        }
    }

    private Run checkpoint(Run run, long offset, FileChannel ch) throws IOException {
        ch.force(false);
        return checkpoint(run, offset);
    }

    private Run checkpoint(Run run, long offset) throws IOException {
        Run r = run.withWritten(offset).withReport(entry.run().report());
        save(entry.withRun(r));
        return r;
    }

    /** Hashes what an interrupted write already put into the slot, so the download resumes after it. */
    private static void rehash(FileChannel ch, long length, MessageDigest md) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (long pos = 0; pos < length; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - pos));
            int n = ch.read(buffer, pos);
            if (n < 0) {
                throw new EOFException("the slot holds " + pos + " bytes, not the journaled " + length);
            }
            md.update(buffer.array(), 0, n);
            pos += n;
        }
    }

    private long written(Run run, Desired d) throws IOException, InterruptedException {
        Windows windows = Windows.of(d.windows());
        Instant now = clock.instant();
        if (windows.isOpen(now)) {
            save(entry.withRun(run.at(Step.ARMING).withReport(report(run.os(), UpdateStatus.INSTALLING, null,
                    "arming a trial boot of slot " + run.target(), 100))));
            nudge();
            crash.reached(Step.ARMING.name());
            return 0;
        }
        Optional<Instant> next = windows.nextOpening(now);
        String detail = next.map(n -> "in slot " + run.target() + "; installing in the window at " + n)
                .orElse("in slot " + run.target() + "; no maintenance window opens any more");
        if (!detail.equals(run.report().detail())) {
            save(entry.withRun(run.withReport(report(run.os(), UpdateStatus.DOWNLOADED, null, detail, 100))));
            nudge();
        }
        return next.map(n -> Math.max(100, Math.min(IDLE_MILLIS, Duration.between(now, n).toMillis()))).orElse(IDLE_MILLIS);
    }

    private long arming(Run run) throws IOException, PluginException, InterruptedException, RunFailed {
        if (boot.booted() == run.target()) {
            // Power was lost after arming: the bootloader has already given the new slot its trial.
            return rebooting(run);
        }
        try {
            boot.armTrial(run.target());
        } catch (PluginException e) {
            throw new RunFailed(UpdateFailure.INSTALL_FAILED, "cannot arm the trial boot of slot " + run.target() + ": "
                    + e.getMessage());
        }
        crash.reached("ARMED");
        save(entry.withRun(run.at(Step.REBOOTING).withReport(report(run.os(), UpdateStatus.REBOOTING, null,
                "rebooting into slot " + run.target() + " for its one trial", 100))));
        crash.reached(Step.REBOOTING.name());
        return reboot(run);
    }

    private long reboot(Run run) throws PluginException, InterruptedException, IOException, RunFailed {
        awaitReportSent();
        try {
            rebooter.reboot();
        } catch (PluginException e) {
            boot.commit(run.from());
            boot.markBad(run.target());
            throw new RunFailed(UpdateFailure.INSTALL_FAILED, "cannot reboot: " + e.getMessage()
                    + "; the trial is disarmed, slot " + run.from() + " stays");
        }
        // A host goes down now; a boot emulator restarts the runtime, which stops this updater.
        return IDLE_MILLIS;
    }

    private long rebooting(Run run) throws IOException, PluginException, InterruptedException, RunFailed {
        Slot booted = boot.booted();
        if (booted == run.target()) {
            save(entry.withRun(run.at(Step.CHECKING).withReport(report(run.os(), UpdateStatus.VERIFYING, null,
                    "booted slot " + booted + "; running the health checks", 100))));
            nudge();
            crash.reached(Step.CHECKING.name());
            return 0;
        }
        if (boot.state(run.target()).bootable() && boot.primary() == run.target()) {
            LOG.info("The trial of slot {} is armed but the host has not rebooted yet; rebooting", run.target());
            return reboot(run);
        }
        return rolledBack(run, UpdateFailure.BOOT_FAILED, "slot " + run.target() + " did not boot " + run.os().version()
                + "; the bootloader fell back to slot " + booted);
    }

    private long checking(Run run) throws IOException, PluginException, InterruptedException {
        if (boot.booted() != run.target()) {
            return interruptedTrial(run);
        }
        HealthCheck.Trial trial = new HealthCheck.Trial(run.target(), slots.path(run.target()), run.os().version());
        List<String> problems = new ArrayList<>();
        for (HealthCheck check : allChecks()) {
            String problem = check.check(trial);
            if (problem != null) {
                problems.add("(" + check.name() + "): " + problem);
                break;
            }
        }
        if (problems.isEmpty()) {
            save(entry.withRun(run.at(Step.COMMITTING).withReport(report(run.os(), UpdateStatus.VERIFYING, null,
                    "health checks passed; committing slot " + run.target(), 100))));
            crash.reached(Step.COMMITTING.name());
            return 0;
        }
        String why = "health check failed " + problems.get(0);
        LOG.warn("{} failed on slot {}: rolling back to slot {}", run.os().version(), run.target(), run.from());
        save(entry.withRun(run.at(Step.ROLLING_BACK).withReport(report(run.os(), UpdateStatus.VERIFYING, null, why, 100))));
        nudge();
        crash.reached(Step.ROLLING_BACK.name());
        return 0;
    }

    private List<HealthCheck> allChecks() {
        List<HealthCheck> all = new ArrayList<>();
        all.add(new OrchestratorCheck());
        all.addAll(checks);
        return all;
    }

    /** Built in: the agent syncs with the orchestrator from the new OS. */
    private final class OrchestratorCheck implements HealthCheck {
        @Override
        public String name() {
            return "orchestrator reachable";
        }

        @Override
        public String check(Trial trial) throws InterruptedException {
            Instant since = clock.instant();
            long deadline = System.nanoTime() + settings.checkTimeout().toNanos();
            do {
                // The node agent may still be starting, and is remade when this updater appears: ask whichever runs.
                Link l = link;
                if (l != null) {
                    Instant last = l.lastSyncAt();
                    if (last != null && !last.isBefore(since)) {
                        return null;
                    }
                    l.syncSoon();
                }
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            return link == null ? "the node agent did not start within " + settings.checkTimeout().toSeconds() + " s"
                    : "no sync with the orchestrator within " + settings.checkTimeout().toSeconds() + " s";
        }
    }

    private long committing(Run run) throws IOException, PluginException, InterruptedException {
        if (boot.booted() != run.target()) {
            return interruptedTrial(run);
        }
        boot.commit(run.target());
        crash.reached("COMMITTED");
        finish(run, UpdateStatus.SUCCEEDED, null, "booted " + run.os().version() + " from slot " + run.target()
                + ", health checks passed, committed");
        return 0;
    }

    private long rollingBack(Run run) throws IOException, PluginException, InterruptedException, RunFailed {
        if (boot.booted() == run.target()) {
            boot.markBad(run.target());
            crash.reached("MARKED_BAD");
            return reboot(run);
        }
        return rolledBack(run, UpdateFailure.HEALTH_CHECK_FAILED, run.report().detail() + "; back on "
                + entry.slots().getOrDefault(run.from(), "slot " + run.from()) + " in slot " + run.from());
    }

    private long interruptedTrial(Run run) throws IOException, PluginException {
        return rolledBack(run, UpdateFailure.BOOT_FAILED, "the trial boot of slot " + run.target() + " ended before it"
                + " was committed (power loss or crash); the bootloader fell back to slot " + run.from());
    }

    /** Back on the old slot: it becomes the good primary again and the new one stays unbootable. */
    private long rolledBack(Run run, UpdateFailure failure, String why) throws IOException, PluginException {
        boot.commit(boot.booted());
        if (boot.state(run.target()).good()) {
            boot.markBad(run.target());
        }
        finish(run, UpdateStatus.ROLLED_BACK, failure, why);
        return 0;
    }

    private void fail(Run run, UpdateFailure failure, String why) throws IOException {
        LOG.warn("Update run {} to {} failed ({}): {}", run.os().runId(), run.os().version(), failure, why);
        finish(run, UpdateStatus.FAILED, failure, why);
    }

    private void finish(Run run, UpdateStatus status, UpdateFailure failure, String detail) throws IOException {
        save(entry.withRun(run.at(Step.DONE).withReport(report(run.os(), status, failure, detail,
                status == UpdateStatus.SUCCEEDED ? 100 : run.report().progress()))));
        LOG.info("Update run {} to {}: {} {}", run.os().runId(), run.os().version(), status, detail);
        nudge();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private synchronized void save(Entry e) throws IOException {
        journal.write(e);
        entry = e;
    }

    private UpdateReport report(DesiredOs os, UpdateStatus status, UpdateFailure failure, String detail, int progress) {
        return new UpdateReport(os.runId(), os.version(), status, failure,
                detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000), progress, clock.millis());
    }

    private void nudge() {
        Link l = link;
        if (l != null) {
            l.syncSoon();
        }
    }

    /** Gives the agent a moment to tell the orchestrator before the host goes down; the report is kept anyway. */
    private void awaitReportSent() throws InterruptedException {
        Link l = link;
        if (l == null) {
            return;
        }
        Instant since = clock.instant();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        l.syncSoon();
        while (System.nanoTime() < deadline) {
            Instant last = l.lastSyncAt();
            if (last != null && !last.isBefore(since)) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static int percent(long done, long total) {
        return total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
