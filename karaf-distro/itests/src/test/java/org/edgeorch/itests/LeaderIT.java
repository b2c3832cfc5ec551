package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two orchestrators as processes on one PostgreSQL (the test command's throwaway one): every singleton job has
 * exactly one leader, both instances agree on it ({@code GET /api/v1/leaders}), and {@code kill -9} of the leader
 * hands every job to the survivor within two lease periods, with the next fencing token.
 */
public class LeaderIT {

    private static final List<String> JOBS = List.of("liveness-sweep", "release-poll", "rollout-reconcile");
    private static final Duration LEASE = Duration.ofSeconds(3);

    private OrchestratorProcess a;
    private OrchestratorProcess b;

    @After
    public void tearDown() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static OrchestratorProcess orchestrator(Path work, String name, int offset) throws Exception {
        String url = System.getenv("EDGE_TEST_PG_URL");
        if (url == null) {
            throw new IllegalStateException("EDGE_TEST_PG_URL is not set: run the tests with .ci/test.sh, "
                    + "which starts a throwaway PostgreSQL on loopback");
        }
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("org.edgeorch.store.cfg", Map.of("type", "postgresql", "url", url,
                "user", System.getenv().getOrDefault("EDGE_TEST_PG_USER", "postgres"),
                "password", System.getenv().getOrDefault("EDGE_TEST_PG_PASSWORD", ""),
                "leaseSeconds", String.valueOf(LEASE.toSeconds())));
        settings.put("org.edgeorch.southbound.cfg", Map.of("port", String.valueOf(18451 + offset)));
        settings.put("org.edgeorch.fleet.cfg", Map.of("syncIntervalSeconds", "2"));
        settings.put("org.edgeorch.scheduling.cfg", Map.of("reconcileSeconds", "1"));
        settings.put("org.edgeorch.release.cfg", Map.of("pollIntervalSeconds", "1"));
        return new OrchestratorProcess(work.resolve(name), 18301 + offset, 18311 + offset, 11301 + 10 * offset, settings);
    }

    /** Job name to its lease as {@code o} reports it. */
    private static Map<String, JsonNode> leases(OrchestratorProcess o) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        o.json("GET", "/api/v1/leaders", null).get("leases").forEach(l -> out.put(l.get("job").asText(), l));
        return out;
    }

    private static boolean allHeldBy(OrchestratorProcess o, String instance) throws Exception {
        Map<String, JsonNode> l = leases(o);
        for (String job : JOBS) {
            JsonNode lease = l.get(job);
            if (lease == null || lease.get("expired").asBoolean() || !lease.get("holder").asText().equals(instance)) {
                return false;
            }
        }
        return true;
    }

    @Test
    public void oneLeaderPerJobAndAKilledLeaderIsReplacedWithinTwoLeasePeriods() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "leader");
        a = orchestrator(work, "a", 0);
        a.start();
        String idA = a.json("GET", "/api/v1/leaders", null).get("instanceId").asText();
        // The first instance up asks for every lease first and holds them all.
        Processes.await("a leads every job", Duration.ofSeconds(30), () -> allHeldBy(a, idA));
        b = orchestrator(work, "b", 1);
        b.start();
        String idB = b.json("GET", "/api/v1/leaders", null).get("instanceId").asText();
        assertTrue(idA + " vs " + idB, !idA.equals(idB));

        // Both instances have asked for every lease by now (their timers run every second): b does not take any,
        // and both see the same leader and token.
        Thread.sleep(2 * LEASE.toMillis());
        Map<String, JsonNode> seenByA = leases(a);
        Map<String, JsonNode> seenByB = leases(b);
        Map<String, Long> tokens = new HashMap<>();
        for (String job : JOBS) {
            assertEquals(job, idA, seenByB.get(job).get("holder").asText());
            assertEquals(job, seenByA.get(job).get("token").asLong(), seenByB.get(job).get("token").asLong());
            assertTrue(job, seenByA.get(job).get("mine").asBoolean());
            assertTrue(job, !seenByB.get(job).get("mine").asBoolean());
            tokens.put(job, seenByA.get(job).get("token").asLong());
        }

        // Power cut of the leader: b leads every job within two lease periods, each with the next token.
        long killed = System.nanoTime();
        a.kill();
        a = null;
        Processes.await("b leads every job", LEASE.multipliedBy(2).plusSeconds(1), () -> allHeldBy(b, idB));
        long millis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue("took over after " + millis + " ms", millis <= LEASE.multipliedBy(2).toMillis());
        Map<String, JsonNode> after = leases(b);
        for (String job : JOBS) {
            assertEquals(job, tokens.get(job) + 1, after.get(job).get("token").asLong());
        }
        System.out.printf("LeaderIT: every job taken over %d ms after kill -9 of the leader (lease %d s)%n",
                millis, LEASE.toSeconds());
    }
}
