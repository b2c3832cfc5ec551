package org.edgeorch.bench.fleet;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.BytesContentProvider;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.edgeorch.agent.Agent;
import org.edgeorch.agent.internal.Csr;
import org.edgeorch.agent.internal.Pem;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.southbound.AgentStatus;
import org.edgeorch.spi.southbound.DesiredState;
import org.edgeorch.spi.southbound.EnrolRequest;
import org.edgeorch.spi.southbound.EnrolResponse;
import org.edgeorch.spi.southbound.Southbound;
import org.edgeorch.spi.southbound.SouthboundError;
import org.edgeorch.spi.southbound.SyncRequest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fleet simulator: tens of thousands of simulated hosts in one JVM on one shared non-blocking HTTP client
 * (Jetty's, the one the product uses) with a small thread pool, against a running orchestrator over real HTTPS
 * with mutual TLS. Each host makes its own EC key, enrols with a CSR and the token (the southbound's records from
 * {@code org.edgeorch.spi.southbound}, the agent's own {@link Csr} and {@link Pem}), then syncs on the orchestrator's
 * interval with its own certificate: status, the simulated hardware's inventory when the orchestrator's digest
 * differs, its reports until acknowledged, {@code If-None-Match} with its ETag. Host {@code i} connects to its own
 * loopback address ({@link HostKeys#address}) from that same address, so one {@link HostKeys} picks its key by the
 * TLS engine's peer and the orchestrator sees one client address per host. Enrolment goes through 127.0.0.1 (no
 * client certificate yet) on a few kept-alive connections.
 *
 * <p>Over the measurement window it counts syncs, 304s, latency (request sent to response read, including any
 * connect and handshake, as the agent measures it), TLS handshakes (full or resumed), and the CPU time of its own
 * process and, given {@code --orchestrator-pid}, of the orchestrator's, so the two sides can be told apart.
 *
 * <pre>
 * java -cp ... org.edgeorch.bench.fleet.FleetSimulator --setup true --rest http://127.0.0.1:8181 --password ...
 * java -cp ... org.edgeorch.bench.fleet.FleetSimulator --hosts 20000 --window 60 --southbound https://127.0.0.1:8443 \
 *     --project P --token T --fingerprint F [--threads 4] [--idle 120] [--orchestrator-pid PID]
 * </pre>
 * {@code --idle} is the client's idle timeout in seconds: above the sync interval every host keeps its connection
 * (one descriptor per host on both sides); below it each sync reconnects and resumes its TLS session.
 */
public final class FleetSimulator {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long SETTLE_MILLIS = 10_000;

    private final LongAdder enrolled = new LongAdder();
    private final LongAdder syncs = new LongAdder();
    private final LongAdder notModified = new LongAdder();
    private final LongAdder fullHandshakes = new LongAdder();
    private final LongAdder resumedHandshakes = new LongAdder();
    private final LongAdder inventoriesSent = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong lastEnrolAt = new AtomicLong();
    private final long[] samples = new long[1 << 21];
    private final AtomicInteger sampleCount = new AtomicInteger();
    private volatile boolean sampling;
    private volatile boolean stopping;
    /** The connection strategy of the stage: close each connection after its sync (Connection: close) or keep it. */
    private volatile boolean closeAfterSync;

    private final HostKeys keys = new HostKeys();
    private ScheduledExecutorService timers;
    private org.eclipse.jetty.client.HttpClient http;
    private URI southbound;
    private String token;
    private final ConcurrentLinkedQueue<SimHost> toEnrol = new ConcurrentLinkedQueue<>();

    /**
     * Modes: {@code --setup true} makes a project and a token and prints {@code project secret fingerprint};
     * otherwise runs the hosts and prints one result line.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        URI rest = URI.create(a.getOrDefault("rest", "http://127.0.0.1:8181"));
        if (a.containsKey("setup")) {
            String project = "sim" + System.currentTimeMillis() % 100000;
            String bearer = login(rest, a.getOrDefault("password", "bench-admin-password"));
            post(rest, "/api/v1/projects", bearer, "{\"organization\":\"default\",\"name\":\"" + project + "\"}");
            String secret = post(rest, "/api/v1/projects/" + project + "/enrolment-tokens", bearer,
                    "{\"name\":\"sim\",\"validity\":\"P1D\"}").get("secret").asText();
            System.out.println(project + " " + secret + " " + get(rest, "/api/v1/southbound/ca").get("sha256Fingerprint").asText());
            return;
        }
        FleetSimulator sim = new FleetSimulator();
        sim.southbound = URI.create(a.getOrDefault("southbound", "https://127.0.0.1:8443"));
        sim.token = a.get("token");
        sim.run(Integer.parseInt(a.getOrDefault("hosts", "1000")), Integer.parseInt(a.getOrDefault("window", "60")),
                a.get("fingerprint"), Integer.parseInt(a.getOrDefault("threads", "4")),
                Integer.parseInt(a.getOrDefault("idle", "120")), Integer.parseInt(a.getOrDefault("enrol-concurrency", "16")),
                a.containsKey("orchestrator-pid") ? Long.parseLong(a.get("orchestrator-pid")) : -1,
                Integer.parseInt(a.getOrDefault("clk-tck", "100")), a.get("stages"), a.get("jfr"));
    }

    private void run(int hosts, int window, String fingerprint, int threads, int idleSeconds, int enrolConcurrency,
                     long orchestratorPid, int clkTck, String stages, String jfr) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new javax.net.ssl.KeyManager[] {keys}, new TrustManager[] {pinned(fingerprint)}, null);
        tls.getClientSessionContext().setSessionCacheSize(0); // unlimited: one resumable session per host
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(tls);
        // Host i reaches the orchestrator at 127.x.y.z, which its certificate cannot name; trust stays pinned to its CA.
        ssl.setEndpointIdentificationAlgorithm(null);

        QueuedThreadPool pool = new QueuedThreadPool(Math.max(4, threads * 2), threads);
        pool.setName("sim-http");
        http = new org.eclipse.jetty.client.HttpClient(new LoopbackTransport(Math.max(1, threads / 2)), ssl);
        http.setExecutor(pool);
        http.setMaxConnectionsPerDestination(Math.max(1, enrolConcurrency));
        http.setMaxRequestsQueuedPerDestination(Math.max(1024, enrolConcurrency * 4));
        http.setIdleTimeout(idleSeconds * 1000L);
        http.setConnectTimeout(10_000);
        http.setRemoveIdleDestinations(true);
        http.setFollowRedirects(false);
        http.setSocketAddressResolver(new org.eclipse.jetty.util.SocketAddressResolver.Sync()); // IP literals only
        http.setUserAgentField(null);
        http.addBean(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                SSLSession s = event.getSSLEngine().getSession();
                // A resumed session keeps the creation time of the one it resumes.
                if (System.currentTimeMillis() - s.getCreationTime() > 1000) {
                    resumedHandshakes.increment();
                } else {
                    fullHandshakes.increment();
                }
            }

            @Override
            public void handshakeFailed(Event event, Throwable failure) {
                failed("handshake", failure);
            }
        });
        http.start();
        timers = Executors.newScheduledThreadPool(Math.max(1, threads / 2), r -> {
            Thread t = new Thread(r, "sim-timer");
            t.setDaemon(true);
            return t;
        });

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<SimHost> fleet = new ArrayList<>();
        long seedBase = System.currentTimeMillis() * 1000;
        long start = System.nanoTime();
        List<Stage> plan = stages == null ? List.of(new Stage(hosts, idleSeconds == 0, window)) : Stage.parse(stages);
        for (int st = 0; st < plan.size(); st++) {
            Stage stage = plan.get(st);
            boolean modeChanged = closeAfterSync != stage.close();
            closeAfterSync = stage.close();
            long enrolStart = System.nanoTime();
            int before = fleet.size();
            for (int i = fleet.size(); i < stage.hosts(); i++) {
                SimHost h = new SimHost(i, seedBase + i);
                fleet.add(h);
                toEnrol.add(h);
            }
            System.out.printf("== stage %d: %d hosts, connections %s, window %d s%n", st + 1, stage.hosts(),
                    stage.close() ? "closed after each sync (TLS resumption)" : "kept open", stage.window());
            for (int i = 0; i < enrolConcurrency && fleet.size() > before; i++) {
                timers.execute(this::enrolNext);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            long lastPrint = System.nanoTime();
            while (enrolled.sum() < stage.hosts() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.printf("  enrolling: %d/%d after %.0f s %s%n", enrolled.sum(), stage.hosts(), (lastPrint - start) / 1e9,
                            snapshot(failures));
                }
            }
            if (fleet.size() > before) {
                double enrolSeconds = (lastEnrolAt.get() - enrolStart) / 1e9;
                System.out.printf("enrolled %d in %.1f s: %.0f enrolments/s (%d in all)%n", fleet.size() - before, enrolSeconds,
                        (fleet.size() - before) / enrolSeconds, enrolled.sum());
            }
            failures.clear();
            // let the first syncs (with full inventories) pass, or every kept connection see its last sync, then measure
            Thread.sleep(modeChanged && st > 0 ? 35_000 : SETTLE_MILLIS);
            measure(fleet, stage, os, orchestratorPid, clkTck, jfr != null && st == plan.size() - 1 ? jfr : null);
        }
        stopping = true;
        timers.shutdownNow();
        http.stop();
        System.exit(0);
    }

    private void measure(List<SimHost> fleet, Stage stage, com.sun.management.OperatingSystemMXBean os, long orchestratorPid,
                         int clkTck, String jfrFile) throws Exception {
        syncs.reset();
        notModified.reset();
        sampleCount.set(0);
        long full0 = fullHandshakes.sum(), resumed0 = resumedHandshakes.sum(), inv0 = inventoriesSent.sum();
        if (jfrFile != null && orchestratorPid > 0) {
            new ProcessBuilder("jcmd", Long.toString(orchestratorPid), "JFR.start", "name=fleet", "settings=profile",
                    "duration=" + stage.window() + "s", "filename=" + jfrFile).inheritIO().start().waitFor();
        }
        long simCpu0 = os.getProcessCpuTime();
        long orchCpu0 = cpuTicks(orchestratorPid);
        sampling = true;
        long t0 = System.nanoTime();
        Thread.sleep(stage.window() * 1000L);
        sampling = false;
        double seconds = (System.nanoTime() - t0) / 1e9;
        double simCpu = (os.getProcessCpuTime() - simCpu0) / 1e9;
        double orchCpu = orchestratorPid < 0 ? Double.NaN : (cpuTicks(orchestratorPid) - orchCpu0) / (double) clkTck;
        int n = Math.min(sampleCount.get(), samples.length);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        long count = syncs.sum();
        double thousands = Math.max(1, count) / 1000.0;
        System.out.printf(Locale.ROOT, "RESULT hosts=%d connections=%s window=%.0fs syncs=%d syncs/s=%.1f offered/s=%.1f 304=%.1f%%"
                        + " p50=%.1fms p99=%.1fms max=%.1fms handshakes/s=%.1f (full %d, resumed %d) inventories=%d"
                        + " simCPU=%.1fs (%.2f s per 1000 syncs) orchCPU=%.1fs (%.2f s per 1000 syncs) orchRSS=%dMiB simRSS=%dMiB"
                        + " failures=%s%n",
                fleet.size(), stage.close() ? "close" : "keep", seconds, count, count / seconds,
                fleet.size() / meanInterval(fleet), 100.0 * notModified.sum() / Math.max(1, count),
                pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                (fullHandshakes.sum() - full0 + resumedHandshakes.sum() - resumed0) / seconds, fullHandshakes.sum() - full0,
                resumedHandshakes.sum() - resumed0, inventoriesSent.sum() - inv0, simCpu, simCpu / thousands, orchCpu,
                orchCpu / thousands, rssMiB(orchestratorPid), rssMiB(ProcessHandle.current().pid()), snapshot(failures));
    }

    /** One step of a run: grow the fleet to {@code hosts}, then measure a window with the given connection strategy. */
    record Stage(int hosts, boolean close, int window) {

        /** {@code 5000:keep:60,10000:close:60}: hosts, {@code keep} or {@code close}, window seconds. */
        static List<Stage> parse(String text) {
            List<Stage> out = new ArrayList<>();
            int last = 0;
            for (String part : text.split(",")) {
                String[] f = part.trim().split(":");
                if (f.length != 3 || !(f[1].equals("keep") || f[1].equals("close"))) {
                    throw new IllegalArgumentException("a stage is HOSTS:keep|close:WINDOW_SECONDS, not '" + part + "'");
                }
                Stage s = new Stage(Integer.parseInt(f[0]), f[1].equals("close"), Integer.parseInt(f[2]));
                if (s.hosts() < last || s.hosts() < 1 || s.window() < 1) {
                    throw new IllegalArgumentException("stages grow the fleet and measure at least a second: '" + part + "'");
                }
                last = s.hosts();
                out.add(s);
            }
            return out;
        }
    }

    static long rssMiB(long pid) {
        if (pid < 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // gone
        }
        return 0;
    }

    private static double meanInterval(List<SimHost> fleet) {
        return fleet.stream().mapToLong(SimHost::intervalMillis).average().orElse(30_000) / 1000.0;
    }

    /** utime + stime of a process from /proc, in clock ticks (-1 when not given). */
    static long cpuTicks(long pid) {
        if (pid < 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
        }
    }

    // ---- enrolment ------------------------------------------------------------------------------

    /** One of {@code --enrol-concurrency} chains: enrols the next host waiting, then the next when it is done. */
    private void enrolNext() {
        SimHost host = toEnrol.poll();
        if (host == null || stopping) {
            return;
        }
        try {
            HardwareInventory hw = SimulatedHardware.forHost(host.seed);
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            String hostname = hw.system().hostname();
            byte[] body = JSON.writeValueAsBytes(new EnrolRequest(token, hw.system().serialNumber(), hw.system().uuid(), hostname,
                    Csr.create(pair, hostname == null ? "node" : hostname)));
            http.newRequest(southbound.resolve(Southbound.ENROL)).method(HttpMethod.POST)
                    .content(new BytesContentProvider("application/json", body)).timeout(60, TimeUnit.SECONDS)
                    .send(new BufferingResponseListener(1 << 20) {
                        @Override
                        public void onComplete(Result result) {
                            try {
                                if (result.isFailed()) {
                                    throw result.getFailure();
                                }
                                int status = result.getResponse().getStatus();
                                if (status != 200) {
                                    throw new IllegalStateException("enrol: HTTP " + status + " " + error(getContent()));
                                }
                                EnrolResponse r = JSON.readValue(getContent(), EnrolResponse.class);
                                X509Certificate issued = Pem.certificates(r.certificate()).get(0);
                                X509Certificate ca = Pem.certificates(r.caCertificate()).get(0);
                                issued.verify(ca.getPublicKey());
                                keys.put(host.address, pair.getPrivate(), issued, ca);
                                synchronized (host) {
                                    host.project = r.project();
                                    host.name = r.host();
                                    host.enrolled = true;
                                }
                                host.report("ENROLLED", "host " + r.host() + " of project " + r.project() + ", certificate "
                                        + issued.getSerialNumber().toString(16));
                                enrolled.increment();
                                lastEnrolAt.set(System.nanoTime());
                                sync(host);
                            } catch (Throwable e) {
                                failed("enrol", e);
                                toEnrol.add(host);
                            }
                            timers.execute(FleetSimulator.this::enrolNext);
                        }
                    });
        } catch (Exception e) {
            failed("enrol", e);
            toEnrol.add(host);
            timers.schedule(this::enrolNext, 1, TimeUnit.SECONDS);
        }
    }

    // ---- sync -----------------------------------------------------------------------------------

    private void sync(SimHost host) {
        if (stopping) {
            return;
        }
        try {
            HardwareInventory hw = SimulatedHardware.forHost(host.seed);
            hw = new HardwareInventory(hw.system(), hw.cpu(), new HardwareInventory.Memory(hw.memory().totalBytes(), 0),
                    hw.disks(), hw.nics(), hw.usb(), hw.gpus());
            if (!hw.equals(host.inventory)) {
                host.inventorySha = Pem.sha256Hex(JSON.writeValueAsBytes(hw));
                host.inventory = hw;
            }
            boolean sendInventory = !host.inventorySha.equals(host.serverInventorySha);
            if (sendInventory) {
                inventoriesSent.increment();
            }
            byte[] body = JSON.writeValueAsBytes(new SyncRequest(AgentStatus.RUNNING, null, Agent.VERSION,
                    sendInventory ? host.inventorySha : null, sendInventory ? hw : null, host.pending()));
            var request = http.newRequest(URI.create("https://" + host.address + ":" + southbound.getPort() + Southbound.SYNC))
                    .method(HttpMethod.POST).content(new BytesContentProvider("application/json", body)).timeout(30, TimeUnit.SECONDS);
            if (closeAfterSync) {
                request.header(org.eclipse.jetty.http.HttpHeader.CONNECTION, "close");
            }
            if (host.etag != null) {
                request.header("If-None-Match", host.etag);
            }
            long start = System.nanoTime();
            request.send(new BufferingResponseListener(1 << 20) {
                @Override
                public void onComplete(Result result) {
                    long nanos = System.nanoTime() - start;
                    long delay;
                    try {
                        if (result.isFailed()) {
                            throw result.getFailure();
                        }
                        var response = result.getResponse();
                        int status = response.getStatus();
                        if (status >= 400) {
                            throw new IllegalStateException("sync: HTTP " + status + " " + error(getContent()));
                        }
                        if (status == 200) {
                            DesiredState desired = JSON.readValue(getContent(), DesiredState.class);
                            host.intervalSeconds = desired.syncIntervalSeconds() > 0 ? desired.syncIntervalSeconds() : 30;
                        }
                        String etag = response.getHeaders().get("ETag");
                        if (etag != null) {
                            host.etag = etag;
                        }
                        String acked = response.getHeaders().get(Southbound.ACKED_HEADER);
                        if (acked != null) {
                            host.acknowledge(Long.parseLong(acked));
                        }
                        host.serverInventorySha = response.getHeaders().get(Southbound.INVENTORY_HEADER);
                        String next = response.getHeaders().get(Southbound.NEXT_SYNC_HEADER);
                        host.nextSyncSeconds = next != null && next.matches("\\d{1,5}") ? Integer.parseInt(next) : 0;
                        host.failures = 0;
                        if (sampling) {
                            syncs.increment();
                            if (status == 304) {
                                notModified.increment();
                            }
                            int i = sampleCount.getAndIncrement();
                            if (i < samples.length) {
                                samples[i] = nanos;
                            }
                        }
                        long every = host.intervalMillis();
                        // after the first sync (with the inventory), a random phase: the fleet as if long running
                        delay = host.syncedOnce ? every * 9 / 10 + ThreadLocalRandom.current().nextLong(every / 5 + 1)
                                : ThreadLocalRandom.current().nextLong(every + 1);
                        host.syncedOnce = true;
                    } catch (Throwable e) {
                        failed("sync", e);
                        host.failures++;
                        delay = Math.max(100, ThreadLocalRandom.current().nextLong(Math.min(30_000, 1000L << Math.min(15, host.failures - 1)) + 1));
                    }
                    schedule(host, delay);
                }
            });
        } catch (Exception e) {
            failed("sync", e);
            schedule(host, 1000);
        }
    }

    private void schedule(SimHost host, long delayMillis) {
        if (!stopping) {
            timers.schedule(() -> sync(host), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void failed(String call, Throwable e) {
        if (!stopping) {
            String what = e.getMessage() != null && e instanceof IllegalStateException ? e.getMessage() : e.getClass().getSimpleName();
            failures.computeIfAbsent(call + ": " + (what.length() > 80 ? what.substring(0, 80) : what), k -> new LongAdder()).increment();
        }
    }

    private static String error(byte[] body) {
        try {
            SouthboundError e = JSON.readValue(body, SouthboundError.class);
            return e.code();
        } catch (Exception notJson) {
            return "(no southbound error body)";
        }
    }

    /** Trusts a server whose chain holds the authority with this SHA-256 fingerprint and validates up to it (as the agent). */
    static X509TrustManager pinned(String fingerprint) {
        String pin = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        Map<String, X509TrustManager> byAuthority = new ConcurrentHashMap<>();
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("the simulator is not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                for (X509Certificate c : chain) {
                    if (Pem.fingerprint(c).equals(pin)) {
                        X509TrustManager tm = byAuthority.computeIfAbsent(pin, k -> trustOnly(c));
                        tm.checkServerTrusted(chain, authType);
                        return;
                    }
                }
                throw new CertificateException("the orchestrator's chain does not contain the authority " + pin);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    private static X509TrustManager trustOnly(X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            return (X509TrustManager) f.getTrustManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            out.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return out;
    }

    private static final HttpClient REST = HttpClient.newHttpClient();

    private static String login(URI rest, String password) throws Exception {
        return post(rest, "/api/v1/auth/login", null, "{\"username\":\"admin\",\"password\":\"" + password + "\"}").get("token").asText();
    }

    private static JsonNode post(URI rest, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(rest.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = REST.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode get(URI rest, String path) throws Exception {
        HttpResponse<String> r = REST.send(HttpRequest.newBuilder(rest.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
