package org.edgeorch.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.edgeorch.agent.internal.AgentFiles;
import org.edgeorch.agent.internal.Csr;
import org.edgeorch.agent.internal.ImageDownloads;
import org.edgeorch.agent.internal.Outbox;
import org.edgeorch.agent.internal.Pem;
import org.edgeorch.agent.internal.Refused;
import org.edgeorch.agent.internal.TelemetryBuffer;
import org.edgeorch.agent.internal.TlsContexts;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.southbound.AgentStatus;
import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.DesiredState;
import org.edgeorch.spi.southbound.EnrolRequest;
import org.edgeorch.spi.southbound.EnrolResponse;
import org.edgeorch.spi.southbound.RenewRequest;
import org.edgeorch.spi.southbound.Report;
import org.edgeorch.spi.southbound.SampleSet;
import org.edgeorch.spi.southbound.Southbound;
import org.edgeorch.spi.southbound.SouthboundError;
import org.edgeorch.spi.southbound.SyncRequest;
import org.edgeorch.spi.southbound.UpdateReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The node agent: enrols once (token or auto-onboard), then syncs on the orchestrator's interval with the
 * host's certificate over mutual TLS. One sync carries the heartbeat, the status, the inventory when it
 * differs from what the orchestrator holds, and the reports it has not acknowledged; the answer is the
 * desired state, or a 304 when unchanged. When the orchestrator cannot be reached the agent backs off
 * exponentially with full jitter and keeps its reports on disk. It renews its certificate after two
 * thirds of its life. Plain Java: the OSGi component runs one; the fleet simulator runs thousands.
 */
public final class Agent implements AutoCloseable {

    public static final String VERSION = "0.1.0";

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final String IDENTITY = "identity.pem";
    private static final String CA = "ca.pem";
    private static final String STATE = "state.json";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final int MAX_REPORTS_PER_SYNC = 500;
    /** Telemetry samples in one sync: a backlog goes over several (about 250 KB of JSON, well inside a 1 MiB body). */
    static final int MAX_TELEMETRY_SAMPLES_PER_SYNC = 4_000;
    /** Sets the node keeps while the orchestrator is out of reach: a day at 30 s (some 3 MB on disk). */
    static final int TELEMETRY_BUFFER_SETS = 2_880;
    /** While a telemetry backlog drains, the next sync follows after this, not after the interval. */
    private static final long BACKFILL_DELAY_MS = 1_000;
    /** Until the answer's headers; the call deadline bounds the whole exchange. */
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How the agent is set up.
     *
     * @param orchestrator   base URL of the southbound API, {@code https://host:8443}
     * @param enrolmentToken null for auto-onboard
     * @param caFingerprint  SHA-256 of the host authority's certificate; needed until {@code ca.pem} is in the data folder
     * @param serialNumber   overrides the hardware's serial number (null: from the inventory)
     * @param uuid           overrides the hardware's UUID (null: from the inventory)
     * @param maxBackoff     the longest wait between failed attempts
     * @param callDeadline   the longest one exchange with the orchestrator (enrol, renew, sync: connect, send, the
     *                       whole answer) may take before it is abandoned and counted as a failure; null: a minute
     */
    public record Settings(URI orchestrator, String enrolmentToken, String caFingerprint, Path dataDir, String hostname,
                           String serialNumber, String uuid, Duration maxBackoff, Duration callDeadline) {

        public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofSeconds(60);

        public Settings {
            Objects.requireNonNull(orchestrator, "orchestrator");
            Objects.requireNonNull(dataDir, "dataDir");
            maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
            callDeadline = callDeadline == null ? DEFAULT_CALL_DEADLINE : callDeadline;
            if (callDeadline.isNegative() || callDeadline.isZero()) {
                throw new IllegalArgumentException("callDeadline must be positive, not " + callDeadline);
            }
        }

        /** Settings with the default call deadline. */
        public Settings(URI orchestrator, String enrolmentToken, String caFingerprint, Path dataDir, String hostname,
                        String serialNumber, String uuid, Duration maxBackoff) {
            this(orchestrator, enrolmentToken, caFingerprint, dataDir, hostname, serialNumber, uuid, maxBackoff, null);
        }
    }

    /** Where the agent is. */
    public enum Phase {
        /** No credentials yet (or they were lost); enrolment is being tried. */
        NOT_ENROLLED,
        /** Holds a certificate and syncs. */
        ENROLLED,
        /** The orchestrator invalidated or deleted this host; retried rarely, in case an operator undoes it. */
        REFUSED
    }

    /** What {@code edge:agent-status} shows. */
    public record Status(Phase phase, URI orchestrator, String project, String host, String certificateSerial,
                         Instant certificateNotAfter, Instant lastSyncAt, Instant lastAttemptAt, String lastError,
                         int consecutiveFailures, Instant nextAttemptAt, DesiredState desired, String desiredEtag,
                         int pendingReports, int pendingTelemetry, long droppedTelemetry) {

        /** A status without telemetry. */
        public Status(Phase phase, URI orchestrator, String project, String host, String certificateSerial,
                      Instant certificateNotAfter, Instant lastSyncAt, Instant lastAttemptAt, String lastError,
                      int consecutiveFailures, Instant nextAttemptAt, DesiredState desired, String desiredEtag,
                      int pendingReports) {
            this(phase, orchestrator, project, host, certificateSerial, certificateNotAfter, lastSyncAt, lastAttemptAt,
                    lastError, consecutiveFailures, nextAttemptAt, desired, desiredEtag, pendingReports, 0, 0);
        }
    }

    /** Timings of calls, for the fleet simulator; called on the agent's thread. */
    public interface Observer {
        Observer NONE = new Observer() {
        };

        default void enrolled(long nanos) {
        }

        default void synced(long nanos, boolean notModified) {
        }

        default void failed(String call, Exception e) {
        }
    }

    /** What the agent keeps between runs besides its key and certificates. */
    record State(String project, String host, long lastSequence, String etag, DesiredState desired,
                 String serverInventorySha256, Phase phase, String lastError) {
    }

    private final Settings settings;
    private final Supplier<HardwareInventory> hardware;
    private final ScheduledExecutorService scheduler;
    private final Executor httpExecutor;
    private final Observer observer;
    private final Clock clock = Clock.systemUTC();
    /** Shared: mappers are thread-safe, and each keeps its own serializer caches (the simulator runs thousands of agents). */
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final AgentFiles files;
    private final Outbox outbox;

    private volatile State state;
    private volatile PrivateKey key;
    private volatile X509Certificate certificate;
    private volatile X509Certificate ca;
    private volatile HttpClient client;
    private volatile Instant lastSyncAt;
    private volatile Instant lastAttemptAt;
    private volatile Instant nextAttemptAt;
    private volatile int failures;
    private volatile boolean closed;
    private Instant offlineSince;
    private HardwareInventory lastInventory;
    private String lastInventorySha;
    private ScheduledFuture<?> next;
    private final UpdateHandler updates;
    private final AppHandler apps;
    private final Supplier<Telemetry> telemetry;
    private final TelemetryBuffer telemetryBuffer;
    private ScheduledFuture<?> sampling;
    private int samplingEverySeconds;
    private long telemetryDroppedReported;
    private int samplingFailures;

    /**
     * @param hardware     reads the inventory; may throw, which the agent reports as status ERROR
     * @param scheduler    runs the agent's calls (one at a time per agent)
     * @param httpExecutor for the HTTP client's own work; null for the client's default
     */
    public Agent(Settings settings, Supplier<HardwareInventory> hardware, ScheduledExecutorService scheduler,
                 Executor httpExecutor, Observer observer) throws IOException {
        this(settings, hardware, scheduler, httpExecutor, observer, null);
    }

    /**
     * @param updates what to do about the desired OS; null: the agent reports no OS version and ignores it
     */
    public Agent(Settings settings, Supplier<HardwareInventory> hardware, ScheduledExecutorService scheduler,
                 Executor httpExecutor, Observer observer, UpdateHandler updates) throws IOException {
        this(settings, hardware, scheduler, httpExecutor, observer, updates, null);
    }

    /**
     * @param updates what to do about the desired OS; null: the agent reports no OS version and ignores it
     * @param apps    what to do about the desired applications; null: the agent reports no app states and ignores them
     */
    public Agent(Settings settings, Supplier<HardwareInventory> hardware, ScheduledExecutorService scheduler,
                 Executor httpExecutor, Observer observer, UpdateHandler updates, AppHandler apps) throws IOException {
        this(settings, hardware, scheduler, httpExecutor, observer, updates, apps, null);
    }

    /**
     * @param telemetry reads the host's figures at the interval the desired state sets; null: the agent sends none.
     *                  What it reads waits in {@code telemetry.jsonl} until the orchestrator has taken it.
     */
    public Agent(Settings settings, Supplier<HardwareInventory> hardware, ScheduledExecutorService scheduler,
                 Executor httpExecutor, Observer observer, UpdateHandler updates, AppHandler apps,
                 Supplier<Telemetry> telemetry) throws IOException {
        this.updates = updates;
        this.telemetry = telemetry;
        this.apps = apps;
        this.settings = settings;
        this.hardware = hardware;
        this.scheduler = scheduler;
        this.httpExecutor = httpExecutor;
        this.observer = observer == null ? Observer.NONE : observer;
        this.files = new AgentFiles(settings.dataDir());
        this.outbox = new Outbox(files, JSON, 10_000);
        this.telemetryBuffer = telemetry == null ? null : new TelemetryBuffer(files, JSON, TELEMETRY_BUFFER_SETS);
        this.state = files.read(STATE).map(this::readState)
                .orElse(new State(null, null, 0, null, null, null, Phase.NOT_ENROLLED, null));
        if (state.lastSequence() < outbox.highestSequence()) {
            state = withSequence(state, outbox.highestSequence());
        }
        ca = files.read(CA).map(pem -> Pem.certificates(pem).get(0)).orElse(null);
        files.read(IDENTITY).ifPresent(pem -> {
            key = Pem.privateKey(pem);
            certificate = Pem.certificates(pem).get(0);
        });
        if (certificate == null && state.phase() != Phase.NOT_ENROLLED) {
            state = withPhase(state, Phase.NOT_ENROLLED, "no credentials on disk");
        }
        UpdateHandler.Link link = new UpdateHandler.Link() {
            @Override
            public void syncSoon() {
                Agent.this.syncSoon();
            }

            @Override
            public Instant lastSyncAt() {
                return lastSyncAt;
            }
        };
        if (updates != null) {
            updates.attach(link);
        }
        if (apps != null) {
            apps.attach(link);
        }
    }

    private State readState(String text) {
        try {
            return JSON.readValue(text, State.class);
        } catch (IOException e) {
            LOG.warn("Agent state in {} is unreadable ({}); starting from the credentials alone", files.dir(), e.toString());
            return new State(null, null, 0, null, null, null, Phase.NOT_ENROLLED, null);
        }
    }

    /** Starts syncing after a random delay of up to {@code spread}, so that a fleet started at once spreads out. */
    public synchronized void start(Duration spread) {
        long delay = spread.isZero() ? 0 : ThreadLocalRandom.current().nextLong(spread.toMillis() + 1);
        schedule(delay);
        // A node restarted while the orchestrator is out of reach samples at the interval it last got.
        DesiredState d = state.desired();
        sampleEvery(d == null ? 0 : d.telemetryIntervalSeconds());
    }

    /** (Re)arms sampling when the interval changed; 0 stops it. */
    private synchronized void sampleEvery(int seconds) {
        if (telemetryBuffer == null || closed || seconds == samplingEverySeconds) {
            return;
        }
        if (sampling != null) {
            sampling.cancel(false);
            sampling = null;
        }
        samplingEverySeconds = seconds;
        if (seconds > 0) {
            sampling = scheduler.scheduleAtFixedRate(this::sample, 0, seconds, TimeUnit.SECONDS);
            LOG.info("Sampling telemetry every {} s", seconds);
        }
    }

    /** One reading into the buffer on disk; never throws (the scheduler would stop the sampling). */
    private void sample() {
        try {
            Telemetry t = telemetry.get();
            if (t != null && !t.samples().isEmpty()) {
                telemetryBuffer.add(t.at().toEpochMilli(), t.samples());
            }
            samplingFailures = 0;
        } catch (IOException | RuntimeException | LinkageError e) {
            if (samplingFailures++ % 100 == 0) {
                LOG.warn("Cannot sample telemetry ({} times in a row): {}", samplingFailures, e.toString());
            }
        }
    }

    private synchronized void schedule(long delayMillis) {
        if (closed) {
            return;
        }
        nextAttemptAt = clock.instant().plusMillis(delayMillis);
        next = scheduler.schedule(this::tick, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
        if (sampling != null) {
            sampling.cancel(false);
        }
        if (updates != null) {
            updates.close();
        }
        if (apps != null) {
            apps.close();
        }
    }

    /**
     * Syncs as soon as possible (the update handler has news), unless a sync is due within a second anyway or
     * the agent is backing off after failures.
     */
    public synchronized void syncSoon() {
        if (closed || failures > 0 || state.phase() != Phase.ENROLLED || next == null) {
            return;
        }
        if (next.getDelay(TimeUnit.MILLISECONDS) > 1000 && next.cancel(false)) {
            schedule(0);
        }
    }

    /** Records something for the orchestrator; kept on disk until it is acknowledged. */
    public void report(String kind, String detail) {
        try {
            synchronized (this) {
                long seq = state.lastSequence() + 1;
                outbox.add(new Report(seq, clock.millis(), kind, detail == null || detail.length() <= 1000 ? detail
                        : detail.substring(0, 1000)));
                state = withSequence(state, seq);
                saveState();
            }
        } catch (IOException e) {
            LOG.warn("Cannot keep a {} report: {}", kind, e.toString());
        }
    }

    public Status status() {
        State s = state;
        X509Certificate c = certificate;
        return new Status(s.phase(), settings.orchestrator(), s.project(), s.host(),
                c == null ? null : c.getSerialNumber().toString(16), c == null ? null : c.getNotAfter().toInstant(),
                lastSyncAt, lastAttemptAt, s.lastError(), failures, nextAttemptAt, s.desired(), s.etag(), outbox.size(),
                telemetryBuffer == null ? 0 : telemetryBuffer.size(), telemetryBuffer == null ? 0 : telemetryBuffer.dropped());
    }

    // ---- the loop -------------------------------------------------------------------------------

    private void tick() {
        lastAttemptAt = clock.instant();
        long delay;
        try {
            if (certificate == null) {
                enrol();
            }
            if (renewalDue()) {
                renew();
            }
            boolean backlog = sync();
            if (failures > 0 && offlineSince != null) {
                long dropped = telemetryBuffer == null ? 0 : telemetryBuffer.dropped();
                report("RECONNECTED", "the orchestrator was unreachable from " + offlineSince + " to " + clock.instant()
                        + " (" + failures + " failed attempts" + (dropped > telemetryDroppedReported ? "; "
                        + (dropped - telemetryDroppedReported) + " telemetry set(s) dropped from the full buffer" : "") + ")");
                telemetryDroppedReported = dropped;
            }
            failures = 0;
            offlineSince = null;
            delay = backlog ? BACKFILL_DELAY_MS : jittered(interval());
        } catch (Refused r) {
            observer.failed("refused", r);
            delay = refused(r);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (closed) {
                return;
            }
            observer.failed("unreachable", e);
            if (offlineSince == null) {
                offlineSince = clock.instant();
            }
            failures++;
            update(st -> withPhase(st, st.phase(), e.getClass().getSimpleName() + ": " + e.getMessage()));
            delay = backoff(failures);
            if (failures == 1 || failures % 10 == 0) {
                LOG.warn("Cannot reach the orchestrator at {} ({} attempts): {}; next try in {} ms", settings.orchestrator(),
                        failures, e.toString(), delay);
            }
        } catch (LinkageError | AssertionError e) {
            // A broken plugin or bundle wiring: the scheduler would drop the task silently and the agent would stop.
            failures++;
            delay = backoff(failures);
            LOG.error("The agent's call failed unexpectedly; next try in {} ms", delay, e);
        }
        schedule(delay);
    }

    private long refused(Refused r) {
        failures++;
        if (r.code().startsWith("TOKEN_") || r.code().equals("NOT_REGISTERED")) {
            LOG.warn("Enrolment refused: {}", r.getMessage());
            update(st -> withPhase(st, Phase.NOT_ENROLLED, r.getMessage()));
            return backoff(failures);
        }
        if (r.code().equals("HOST_INVALIDATED") || r.code().equals("HOST_DELETED")) {
            if (state.phase() != Phase.REFUSED) {
                LOG.warn("The orchestrator refuses this host: {}", r.getMessage());
            }
            update(st -> withPhase(st, Phase.REFUSED, r.getMessage()));
            saveStateQuietly();
            return settings.maxBackoff().toMillis();
        }
        if (r.code().equals("CERTIFICATE_UNKNOWN") || r.code().equals("CERTIFICATE_EXPIRED")
                || r.code().equals("CERTIFICATE_REVOKED")) {
            LOG.warn("The orchestrator no longer accepts this host's certificate ({}); enrolling again", r.code());
            forgetCredentials();
            update(st -> withPhase(st, Phase.NOT_ENROLLED, r.getMessage()));
            saveStateQuietly();
            return backoff(1);
        }
        if (failures == 1 || failures % 10 == 0) {
            LOG.warn("The orchestrator refused the call ({} attempts): {}", failures, r.getMessage());
        }
        update(st -> withPhase(st, st.phase(), r.getMessage()));
        return backoff(failures);
    }

    /** A next-sync hint of 1 to 86400 seconds; anything else (absent, garbled) means none. */
    static int nextSync(String header) {
        if (header == null || !header.matches("\\d{1,5}")) {
            return 0;
        }
        int seconds = Integer.parseInt(header);
        return seconds <= 86_400 ? seconds : 0;
    }

    /** A count of telemetry sets taken, 0 to 1,000,000; anything else (absent, garbled) means none. */
    static int taken(String header) {
        return header == null || !header.matches("\\d{1,7}") ? 0 : Math.min(1_000_000, Integer.parseInt(header));
    }

    /** The orchestrator's last {@value Southbound#NEXT_SYNC_HEADER} (0: none); only ever shortens the interval. */
    private volatile int nextSyncSeconds;

    private long interval() {
        DesiredState d = state.desired();
        int every = d == null ? 30 : d.syncIntervalSeconds();
        int hint = nextSyncSeconds;
        return (hint > 0 && hint < every ? hint : every) * 1000L;
    }

    /** ±10 % around the interval, so hosts that started together drift apart. */
    private static long jittered(long millis) {
        return millis * 9 / 10 + ThreadLocalRandom.current().nextLong(millis / 5 + 1);
    }

    /** Full jitter: uniform between 0 and min(max, 1 s × 2^(n-1)), at least 100 ms. */
    long backoff(int attempt) {
        long cap = Math.min(settings.maxBackoff().toMillis(), FIRST_BACKOFF.toMillis() << Math.min(20, attempt - 1));
        return Math.max(100, ThreadLocalRandom.current().nextLong(cap + 1));
    }

    // ---- enrolment and renewal ------------------------------------------------------------------

    private void enrol() throws IOException, GeneralSecurityException, Refused {
        HardwareInventory hw = inventoryOrNull();
        String serial = settings.serialNumber() != null ? settings.serialNumber() : hw == null ? null : hw.system().serialNumber();
        String uuid = settings.uuid() != null ? settings.uuid() : hw == null ? null : hw.system().uuid();
        String hostname = settings.hostname() != null ? settings.hostname() : hw == null ? null : hw.system().hostname();
        if (blank(serial) && blank(uuid)) {
            // No DMI (most VMs and every container): the systemd machine id is this installation's stable identity.
            uuid = machineIdUuid(machineIdFiles);
            if (uuid == null) {
                throw new IllegalStateException("no serial number or UUID to enrol with: the hardware plugin reported none"
                        + " (from DMI, /sys/class/dmi/id/product_serial and product_uuid), and " + machineIdFiles
                        + " are missing, empty or not 32 hex digits; set serialNumber or uuid in etc/org.edgeorch.agent.cfg");
            }
            LOG.info("The hardware reports no serial number or UUID; enrolling with the machine id as UUID {}", uuid);
        }
        if (ca == null && (settings.caFingerprint() == null || settings.caFingerprint().isBlank())) {
            throw new IllegalStateException("cannot trust the orchestrator: set caFingerprint, or put its authority in "
                    + files.dir().resolve(CA));
        }
        KeyPair pair = newKeyPair();
        SSLContext tls = ca != null ? TlsContexts.context(ca, null, null) : TlsContexts.pinned(settings.caFingerprint());
        long start = System.nanoTime();
        EnrolResponse r = call(http(tls), Southbound.ENROL, new EnrolRequest(settings.enrolmentToken(), serial, uuid, hostname,
                Csr.create(pair, hostname == null ? "node" : hostname)), null, EnrolResponse.class).body();
        observer.enrolled(System.nanoTime() - start);
        X509Certificate issued = Pem.certificates(r.certificate()).get(0);
        X509Certificate authority = Pem.certificates(r.caCertificate()).get(0);
        if (ca == null && !Pem.fingerprint(authority).equals(settings.caFingerprint().replace(":", "").toLowerCase())) {
            throw new GeneralSecurityException("the authority the orchestrator returned is not the pinned one");
        }
        issued.verify(authority.getPublicKey());
        files.write(CA, Pem.certificate(authority));
        store(pair.getPrivate(), issued, authority);
        update(st -> new State(r.project(), r.host(), st.lastSequence(), null, null, null, Phase.ENROLLED, null));
        saveState();
        LOG.info("Enrolled as host '{}' of project '{}' (certificate until {})", r.host(), r.project(),
                issued.getNotAfter().toInstant());
        report("ENROLLED", "host " + r.host() + " of project " + r.project() + ", certificate "
                + issued.getSerialNumber().toString(16));
    }

    /** Where the machine id is looked for, in order (systemd's, then D-Bus's). */
    List<Path> machineIdFiles = List.of(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id"));

    /** The first readable machine id of these files as a UUID ({@code 8-4-4-4-12}), or null. */
    static String machineIdUuid(List<Path> files) {
        for (Path f : files) {
            try {
                String id = Files.readString(f).strip().toLowerCase(java.util.Locale.ROOT);
                if (id.matches("[0-9a-f]{32}")) {
                    return id.substring(0, 8) + "-" + id.substring(8, 12) + "-" + id.substring(12, 16) + "-"
                            + id.substring(16, 20) + "-" + id.substring(20);
                }
            } catch (IOException | RuntimeException unreadable) {
                // try the next one
            }
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private boolean renewalDue() {
        X509Certificate c = certificate;
        long from = c.getNotBefore().getTime();
        long lifetime = c.getNotAfter().getTime() - from;
        return clock.millis() >= from + lifetime * 2 / 3;
    }

    private void renew() throws IOException, GeneralSecurityException, Refused {
        KeyPair pair = newKeyPair();
        EnrolResponse r = call(client, Southbound.RENEW, new RenewRequest(Csr.create(pair, state.host())), null,
                EnrolResponse.class).body();
        X509Certificate issued = Pem.certificates(r.certificate()).get(0);
        issued.verify(ca.getPublicKey());
        store(pair.getPrivate(), issued, ca);
        LOG.info("Renewed the host certificate (now until {})", issued.getNotAfter().toInstant());
        report("RENEWED", "certificate " + issued.getSerialNumber().toString(16) + " until " + issued.getNotAfter().toInstant());
    }

    private void store(PrivateKey newKey, X509Certificate newCert, X509Certificate authority)
            throws IOException, GeneralSecurityException {
        files.write(IDENTITY, Pem.privateKey(newKey) + Pem.certificate(newCert));
        this.ca = authority;
        this.key = newKey;
        this.certificate = newCert;
        this.client = http(TlsContexts.context(authority, newKey, newCert));
    }

    private void forgetCredentials() {
        try {
            files.delete(IDENTITY);
        } catch (IOException e) {
            LOG.warn("Cannot remove the old credentials: {}", e.toString());
        }
        key = null;
        certificate = null;
        client = null;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    // ---- sync -----------------------------------------------------------------------------------

    /** @return true when buffered telemetry is left that the orchestrator takes: the next sync comes soon */
    private boolean sync() throws IOException, GeneralSecurityException, Refused {
        if (client == null) {
            client = http(TlsContexts.context(ca, key, certificate));
        }
        AgentStatus status = AgentStatus.RUNNING;
        String detail = null;
        HardwareInventory inventory = null;
        String sha = null;
        try {
            HardwareInventory hw = normalised(hardware.get());
            if (!hw.equals(lastInventory)) {
                lastInventorySha = Pem.sha256Hex(JSON.writeValueAsBytes(hw));
                lastInventory = hw;
            }
            sha = lastInventorySha;
            inventory = sha.equals(state.serverInventorySha256()) ? null : hw;
        } catch (RuntimeException e) {
            status = AgentStatus.ERROR;
            detail = "cannot read the hardware: " + e.getMessage();
            sha = null;
        }
        List<Report> reports = outbox.pending(MAX_REPORTS_PER_SYNC);
        long start = System.nanoTime();
        String osVersion = updates == null ? null : updates.runningVersion();
        UpdateReport update = updates == null ? null : updates.current();
        List<AppReport> appStates = apps == null ? null : apps.current();
        int buffered = telemetryBuffer == null ? 0 : telemetryBuffer.size();
        List<SampleSet> sets = telemetryBuffer == null ? List.of() : telemetryBuffer.pending(MAX_TELEMETRY_SAMPLES_PER_SYNC);
        Response<DesiredState> r = call(client, Southbound.SYNC, new SyncRequest(status,
                detail == null || detail.length() <= 255 ? detail : detail.substring(0, 255), VERSION,
                inventory == null ? null : sha, inventory, reports, osVersion, update, appStates,
                sets.isEmpty() ? null : sets), state.etag(), DesiredState.class);
        observer.synced(System.nanoTime() - start, r.status() == 304);
        outbox.acknowledge(r.acked());
        boolean backlog = false;
        if (r.telemetryTaken() > 0 && !sets.isEmpty()) {
            telemetryBuffer.taken(sets.get(Math.min(r.telemetryTaken(), sets.size()) - 1).sequence());
            // All taken and more was waiting than one sync carries: a backlog after an outage drains at once.
            backlog = r.telemetryTaken() >= sets.size() && buffered > sets.size();
        }
        State before = state;
        DesiredState desired = r.status() == 304 ? before.desired() : r.body();
        update(st -> new State(st.project(), st.host(), st.lastSequence(), r.etag(), desired, r.inventorySha256(),
                Phase.ENROLLED, null));
        lastSyncAt = clock.instant();
        nextSyncSeconds = r.nextSyncSeconds();
        if (updates != null && desired != null) {
            updates.desired(desired.os(), desired.windows(), this::openImage);
        }
        if (apps != null && desired != null) {
            apps.desired(desired.apps());
        }
        if (desired != null) {
            sampleEvery(desired.telemetryIntervalSeconds());
        }
        if (!state.equals(before)) {
            saveState();
            if (r.status() != 304) {
                LOG.debug("New desired state {}", desired);
            }
        }
        return backlog;
    }

    /** What is inventory and not telemetry: free memory changes all the time, so it is left out (0 = not read). */
    private static HardwareInventory normalised(HardwareInventory hw) {
        return new HardwareInventory(hw.system(), hw.cpu(), new HardwareInventory.Memory(hw.memory().totalBytes(), 0),
                hw.disks(), hw.nics(), hw.usb(), hw.gpus());
    }

    private HardwareInventory inventoryOrNull() {
        try {
            return hardware.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- HTTP -----------------------------------------------------------------------------------

    /** An image from the orchestrator (relative URLs, with this host's client certificate) or another server. */
    private InputStream openImage(String url, long offset) throws IOException {
        HttpClient http = client;
        if (http == null) {
            throw new IOException("not enrolled yet");
        }
        return ImageDownloads.open(settings.orchestrator().resolve(url), offset, http.sslContext());
    }

    /** @param telemetryTaken how many of the sent telemetry sets the orchestrator took; 0 when it said nothing */
    private record Response<T>(int status, T body, String etag, long acked, String inventorySha256, int nextSyncSeconds,
                               int telemetryTaken) {
    }

    private HttpClient http(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1);
        if (httpExecutor != null) {
            b.executor(httpExecutor);
        }
        return b.build();
    }

    private <T> Response<T> call(HttpClient http, String path, Object body, String ifNoneMatch, Class<T> type)
            throws IOException, Refused {
        Duration deadline = settings.callDeadline();
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.orchestrator().resolve(path))
                .timeout(deadline.compareTo(HEADERS_TIMEOUT) < 0 ? deadline : HEADERS_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        HttpResponse<byte[]> response = within(deadline, path, http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()));
        int status = response.statusCode();
        if (status >= 400) {
            SouthboundError error;
            try {
                error = JSON.readValue(response.body(), SouthboundError.class);
            } catch (IOException e) {
                throw new IOException("HTTP " + status + " from " + path + " without a southbound error body");
            }
            if (status >= 500) {
                throw new IOException("the orchestrator failed: " + error.code() + " " + error.message());
            }
            throw new Refused(status, error.code(), error.message());
        }
        T value = status == 304 ? null : JSON.readValue(response.body(), type);
        return new Response<>(status, value, response.headers().firstValue("ETag").orElse(null),
                response.headers().firstValueAsLong(Southbound.ACKED_HEADER).orElse(0),
                response.headers().firstValue(Southbound.INVENTORY_HEADER).orElse(null),
                nextSync(response.headers().firstValue(Southbound.NEXT_SYNC_HEADER).orElse(null)),
                taken(response.headers().firstValue(Southbound.TELEMETRY_HEADER).orElse(null)));
    }

    /**
     * The exchange's answer, or an {@link HttpTimeoutException} once {@code deadline} has passed since it started. The
     * request timeout alone ends only at the answer's headers: a server (or a proxy) that then trickles the body would
     * hold the agent's one thread for as long as it liked. Cancelling the future aborts the exchange and closes its
     * connection (JDK 16+).
     */
    private static <T> HttpResponse<T> within(Duration deadline, String path, CompletableFuture<HttpResponse<T>> exchange)
            throws IOException {
        try {
            return exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException(path + " did not complete within the call deadline of " + deadline
                    + " (the answer was too slow); abandoned");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause == null ? e.toString() : cause.toString(), cause);
        }
    }

    // ---- state ----------------------------------------------------------------------------------

    private synchronized void update(java.util.function.UnaryOperator<State> change) {
        state = change.apply(state);
    }

    private static State withPhase(State s, Phase phase, String error) {
        return new State(s.project(), s.host(), s.lastSequence(), s.etag(), s.desired(), s.serverInventorySha256(), phase, error);
    }

    private static State withSequence(State s, long seq) {
        return new State(s.project(), s.host(), seq, s.etag(), s.desired(), s.serverInventorySha256(), s.phase(), s.lastError());
    }

    private synchronized void saveState() throws IOException {
        files.write(STATE, JSON.writeValueAsString(state));
    }

    private void saveStateQuietly() {
        try {
            saveState();
        } catch (IOException e) {
            LOG.warn("Cannot save the agent state: {}", e.toString());
        }
    }
}
