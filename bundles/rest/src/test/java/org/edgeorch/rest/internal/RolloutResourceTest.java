package org.edgeorch.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.edgeorch.fleet.HostStatus;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.scheduling.rollout.Rollouts;
import org.edgeorch.scheduling.rollout.Rollouts.Counts;
import org.edgeorch.scheduling.rollout.Rollouts.FailureAction;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

/** The rollout resource as a client meets it: what reaches the service, locations, JSON, and bad input. */
class RolloutResourceTest {

    private static final Caller ALICE = new Caller("u1", "alice", "o1", null, Map.of(), Set.of(), false, "127.0.0.1");
    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");

    private final List<Object[]> calls = new ArrayList<>();

    private RolloutResource resource(Object answer) {
        RolloutService service = (RolloutService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RolloutService.class}, (proxy, method, args) -> {
                    calls.add(args);
                    return answer;
                });
        RolloutResource r = new RolloutResource(service);
        r.servletRequest = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> method.getName().equals("getAttribute") ? ALICE : null);
        return r;
    }

    static Rollouts.Rollout rollout() {
        WaveSpec spec = new WaveSpec(2, null, false, 100, 0, 1, Duration.ofMinutes(30), Duration.ofHours(2));
        return new Rollouts.Rollout("spring", null, "stable", "2.0.0", "hosts with site paris", FailureAction.PAUSE,
                RolloutState.RUNNING, null, 1, new Counts(2, 1, 0, 1),
                List.of(new Rollouts.Wave(1, spec, WaveState.RUNNING, new Counts(2, 1, 0, 1), NOW, null, null)), "alice", NOW,
                NOW, null);
    }

    @Test
    void aCreatedRolloutAnswers201AtItsNameWithTheSpecPassedOn() throws Exception {
        RolloutResource.RolloutRequest body = RestComponent.objectMapper().readValue("{\"name\":\"spring\",\"osProfile\":"
                + "\"stable\",\"version\":\"2.0.0\",\"hosts\":{\"site\":\"paris\",\"status\":\"RUNNING\"},\"waves\":[{\"count\":2,"
                + "\"soak\":\"PT30M\",\"spreadAcrossSites\":true},{\"successPercent\":90,\"hostTimeout\":\"PT4H\"}],"
                + "\"onFailure\":\"ABORT\"}", RolloutResource.RolloutRequest.class);
        Response response = resource(rollout()).create("acme-a", body);

        assertEquals(201, response.getStatus());
        assertEquals("projects/acme-a/rollouts/spring", response.getLocation().toString());
        Rollouts.RolloutSpec spec = (Rollouts.RolloutSpec) calls.get(0)[2];
        assertEquals(ALICE, calls.get(0)[0]);
        assertEquals(Rollouts.HostSelection.filter(HostStatus.RUNNING, "paris", null, null, null), spec.hosts());
        assertEquals(List.of(new WaveSpec(2, null, true, null, null, null, Duration.ofMinutes(30), null),
                new WaveSpec(null, null, null, 90, null, null, null, Duration.ofHours(4))), spec.waves());
        assertEquals(FailureAction.ABORT, spec.onFailure());
    }

    @Test
    void anEmptyBodyReachesTheServiceSoItAuthorisesFirst() {
        resource(rollout()).create("globex-a", new RolloutResource.RolloutRequest(null, null, null, null, null, null, null));
        resource(rollout()).create("globex-a", null);
        assertEquals(2, calls.size());
        assertNull(calls.get(1)[2]);
    }

    @Test
    void aBadDurationIsAnInvalidFieldOfItsWave() {
        TenancyException e = assertThrows(TenancyException.class, () -> RolloutResource.spec(new RolloutResource.RolloutRequest(
                "r", null, "stable", "2.0.0", null, List.of(new RolloutResource.Wave(1, null, null, null, null, null, null, null),
                new RolloutResource.Wave(null, null, null, null, null, null, "30 minutes", null)), null)));
        assertEquals("waves[2].soak", e.field());
    }

    @Test
    void rolloutsAreJsonWithIsoDurationsAndCounts() throws Exception {
        String json = RestComponent.objectMapper().writeValueAsString(rollout());
        assertTrue(json.contains("\"soak\":\"PT30M\""), json);
        assertTrue(json.contains("\"hostTimeout\":\"PT2H\""), json);
        assertTrue(json.contains("\"counts\":{\"hosts\":2,\"succeeded\":1,\"failed\":0,\"pending\":1}"), json);
    }

    @Test
    void runQueriesParseStatusWaveAndPage() {
        resource(new Rollouts.RunPage(List.of(), 0, 0, 10)).runs("acme-a", "spring", "rolled_back", "2", "5", "10");
        assertEquals(new Rollouts.RunQuery(UpdateStatus.ROLLED_BACK, 2, 5, 10), calls.get(0)[3]);
        resource(new Rollouts.RunPage(List.of(), 0, 0, 10)).hostRuns("acme-a", "h1", null, "0", "100");
        assertEquals(new Rollouts.RunQuery(null, null, 0, 100), calls.get(1)[3]);
        ApiException e = assertThrows(ApiException.class, () -> resource(null).list("acme-a", "SLEEPING", "0", "50"));
        assertEquals("state", e.error().fields().get(0).field());
    }

    @Test
    void transitionsGoToTheirOperation() {
        RolloutResource r = resource(rollout());
        r.start("acme-a", "spring");
        r.pause("acme-a", "spring");
        r.resume("acme-a", "spring");
        r.abort("acme-a", "spring");
        assertEquals(4, calls.size());
        assertTrue(calls.stream().allMatch(a -> a[1].equals("acme-a") && a[2].equals("spring")));
    }
}
