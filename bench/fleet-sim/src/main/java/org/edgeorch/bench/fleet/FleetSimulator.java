package org.edgeorch.bench.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.edgeorch.agent.Agent;
import org.edgeorch.plugin.simulated.SimulatedHardware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fleet simulator: N real agents with simulated hardware in one JVM, against a running orchestrator
 * over real HTTPS with mutual TLS. A setup step makes a project and an enrolment token through the REST API;
 * each simulator process starts its agents at once, measures enrolment, then syncs over a window.
 *
 * <pre>
 * java -cp ... org.edgeorch.bench.fleet.FleetSimulator --setup true --rest http://127.0.0.1:8181 --password ...
 * java -cp ... org.edgeorch.bench.fleet.FleetSimulator --hosts 2500 --window 60 --southbound https://localhost:8443 \
 *     --project P --token T --fingerprint F [--threads 32] --out result-1.txt
 * java -cp ... org.edgeorch.bench.fleet.FleetSimulator --merge result-*.txt
 * </pre>
 */
public final class FleetSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LongAdder enrolled = new LongAdder();
    private final LongAdder syncs = new LongAdder();
    private final LongAdder notModified = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong lastEnrolAt = new AtomicLong();
    private volatile long[] samples = new long[1 << 20];
    private final AtomicInteger sampleCount = new AtomicInteger();
    private volatile boolean sampling;

    /**
     * Modes: {@code --setup true} makes a project and a token and prints {@code project secret fingerprint};
     * {@code --merge FILE...} combines the results of several simulator processes (one process cannot hold
     * more than about 6,000 agents under a 20,000 open-file limit: each agent's HTTP client keeps a
     * selector); otherwise runs the agents and writes its result to {@code --out}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--merge")) {
            merge(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
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
        new FleetSimulator().run(Integer.parseInt(a.getOrDefault("hosts", "1000")), Integer.parseInt(a.getOrDefault("window", "60")),
                URI.create(a.getOrDefault("southbound", "https://localhost:8443")), a.get("project"), a.get("token"),
                a.get("fingerprint"), Integer.parseInt(a.getOrDefault("threads", "32")),
                Path.of(a.getOrDefault("data", "/tmp/edgeorch-fleet-sim")), Path.of(a.getOrDefault("out", "/dev/null")));
    }

    private void run(int hosts, int window, URI southbound, String project, String secret, String fingerprint, int threads,
                     Path data, Path out) throws Exception {

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(threads);
        ExecutorService http = Executors.newFixedThreadPool(threads);
        Agent.Observer observer = new Agent.Observer() {
            @Override
            public void enrolled(long nanos) {
                enrolled.increment();
                lastEnrolAt.set(System.nanoTime());
            }

            @Override
            public void synced(long nanos, boolean wasNotModified) {
                if (!sampling) {
                    return;
                }
                syncs.increment();
                if (wasNotModified) {
                    notModified.increment();
                }
                int i = sampleCount.getAndIncrement();
                long[] s = samples;
                if (i < s.length) {
                    s[i] = nanos;
                }
            }

            @Override
            public void failed(String call, Exception e) {
                failures.computeIfAbsent(call + ": " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
            }
        };
        List<Agent> agents = new ArrayList<>(hosts);
        long seedBase = System.currentTimeMillis() * 1000;
        for (int i = 0; i < hosts; i++) {
            long seed = seedBase + i;
            agents.add(new Agent(new Agent.Settings(southbound, secret, fingerprint, data.resolve(project).resolve(Integer.toString(i)),
                    null, null, null, Duration.ofSeconds(30)), () -> SimulatedHardware.forHost(seed), scheduler, http, observer));
        }
        System.out.printf("%d agents created; project %s%n", hosts, project);
        long start = System.nanoTime();
        agents.forEach(agent -> agent.start(Duration.ZERO));
        long deadline = start + Duration.ofMinutes(20).toNanos();
        long lastPrint = start;
        while (enrolled.sum() < hosts && System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                lastPrint = System.nanoTime();
                System.out.printf("  enrolling: %d/%d after %.0f s%n", enrolled.sum(), hosts, (lastPrint - start) / 1e9);
            }
        }
        double enrolSeconds = (lastEnrolAt.get() - start) / 1e9;
        System.out.printf("enrolled %d/%d in %.1f s: %.0f enrolments/s%n", enrolled.sum(), hosts, enrolSeconds, enrolled.sum() / enrolSeconds);
        failures.clear();
        // let the first syncs (with full inventories) pass, then measure steady syncs
        Thread.sleep(5_000);
        sampling = true;
        long t0 = System.nanoTime();
        Thread.sleep(window * 1000L);
        sampling = false;
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = Math.min(sampleCount.get(), samples.length);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        System.out.printf("hosts=%d window=%.0fs syncs=%d syncs/s=%.1f 304=%.1f%% p50=%.1fms p99=%.1fms failures=%s%n", hosts,
                seconds, syncs.sum(), syncs.sum() / seconds, 100.0 * notModified.sum() / Math.max(1, syncs.sum()), pct(sorted, 0.50),
                pct(sorted, 0.99), snapshot(failures));
        StringBuilder b = new StringBuilder();
        b.append(hosts).append(' ').append(enrolled.sum()).append(' ').append(enrolSeconds).append(' ').append(seconds).append(' ')
                .append(syncs.sum()).append(' ').append(notModified.sum()).append('\n');
        for (long v : sorted) {
            b.append(v).append('\n');
        }
        Files.writeString(out, b.toString());
        agents.forEach(Agent::close);
        scheduler.shutdownNow();
        http.shutdownNow();
        System.exit(0);
    }

    /** Combines the result files of several processes that ran at the same time. */
    private static void merge(String[] files) throws IOException {
        long hosts = 0, enrolledTotal = 0, syncCount = 0, notModifiedCount = 0;
        double enrolSeconds = 0, window = 0;
        List<Long> all = new ArrayList<>();
        for (String f : files) {
            List<String> lines = Files.readAllLines(Path.of(f));
            String[] head = lines.get(0).split(" ");
            hosts += Long.parseLong(head[0]);
            enrolledTotal += Long.parseLong(head[1]);
            enrolSeconds = Math.max(enrolSeconds, Double.parseDouble(head[2]));
            window = Math.max(window, Double.parseDouble(head[3]));
            syncCount += Long.parseLong(head[4]);
            notModifiedCount += Long.parseLong(head[5]);
            lines.stream().skip(1).filter(l -> !l.isBlank()).map(Long::parseLong).forEach(all::add);
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("TOTAL hosts=%d processes=%d enrolled=%d in %.1f s (%.1f enrolments/s); window %.0f s: %d syncs,"
                        + " %.1f syncs/s, 304 %.1f%%, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", hosts, files.length, enrolledTotal,
                enrolSeconds, enrolledTotal / enrolSeconds, window, syncCount, syncCount / window,
                100.0 * notModifiedCount / Math.max(1, syncCount), pct(sorted, 0.5), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
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
