package org.edgeorch.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.edgeorch.scheduling.DesiredVersion;
import org.edgeorch.windows.Interval;
import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.Schedules;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.scheduling.Schedules.PolicySpec;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.scheduling.Schedules.WindowDefinition;
import org.edgeorch.scheduling.Schedules.WindowKind;
import org.edgeorch.tenancy.Caller;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** The schedule resource as a client meets it: status codes, locations, what reaches the service, the JSON, bad input. */
class ScheduleResourceTest {

    private static final Caller ALICE = new Caller("u1", "alice", "o1", null, Map.of(), Set.of(), false, "127.0.0.1");
    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");
    private static final Schedules.Window WINDOW = new Schedules.Window("nightly", Target.site("paris"),
            WindowKind.REPEATED, null, null, "0 2 * * 1-5", "Europe/Paris", "PT2H", NOW, NOW);

    private final List<Object[]> calls = new ArrayList<>();

    private ScheduleResource resource(Object answer) {
        ScheduleService schedules = (ScheduleService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ScheduleService.class}, (proxy, method, args) -> {
                    calls.add(args);
                    return answer;
                });
        ScheduleResource r = new ScheduleResource(schedules);
        r.servletRequest = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> method.getName().equals("getAttribute") ? ALICE : null);
        return r;
    }

    @Test
    void aCreatedWindowAnswers201WithItsLocation() throws Exception {
        Bodies.Window body = RestComponent.objectMapper().readValue("{\"name\":\"nightly\",\"target\":{\"type\":\"SITE\","
                + "\"name\":\"paris\"},\"cron\":\"0 2 * * 1-5\",\"zone\":\"Europe/Paris\",\"duration\":\"PT2H\"}",
                Bodies.Window.class);
        Response response = resource(WINDOW).createWindow("acme-a", body);

        assertEquals(201, response.getStatus());
        assertEquals("projects/acme-a/windows/nightly", response.getLocation().toString());
        assertEquals(List.of(ALICE, "acme-a", new WindowDefinition("nightly", Target.site("paris"), null, null,
                "0 2 * * 1-5", "Europe/Paris", "PT2H")), List.of(calls.get(0)));
    }

    @Test
    void anEmptyBodyReachesTheServiceWhichAuthorisesFirst() throws Exception {
        resource(WINDOW).createWindow("acme-a", RestComponent.objectMapper().readValue("{}", Bodies.Window.class));
        assertEquals(new WindowDefinition(null, null, null, null, null, null, null), calls.get(0)[2]);
        resource(null).setPolicy("acme-a", "site", "paris", RestComponent.objectMapper().readValue("{}", Bodies.Policy.class));
        assertEquals(new PolicySpec(null, null, null), calls.get(1)[3]);
    }

    @Test
    void aPolicyIsPutAtItsTargetTypeInAnyCase() {
        Schedules.Policy set = new Schedules.Policy(Target.cluster("db"), PolicyKind.TARGET, "stable", "1.4.2", "alice", NOW);
        assertEquals(set, resource(set).setPolicy("acme-a", "Cluster", "db",
                new Bodies.Policy(PolicyKind.TARGET, "stable", "1.4.2")));
        assertEquals(List.of(ALICE, "acme-a", Target.cluster("db"), PolicySpec.target("stable", "1.4.2")),
                List.of(calls.get(0)));

        assertEquals(204, resource(null).clearPolicy("acme-a", "host", "h1").getStatus());
        assertEquals(Target.host("h1"), calls.get(1)[2]);
    }

    @Test
    void anUnknownTargetTypeInThePathNamesNoResource() {
        ApiException e = assertThrows(ApiException.class, () -> resource(null).setPolicy("acme-a", "x", "x",
                new Bodies.Policy(null, null, null)));
        assertEquals(404, e.error().status());
        assertTrue(e.getMessage().contains("policies/{region|site|cluster|host}/{name}"), e.getMessage());
        assertTrue(calls.isEmpty());
    }

    @Test
    void windowsAreFilteredByTargetTypeAndTarget() {
        resource(List.of(WINDOW)).windows("acme-a", "region", "eu");
        assertEquals(List.of(ALICE, "acme-a", TargetType.REGION, "eu"), List.of(calls.get(0)));
        resource(List.of(WINDOW)).windows("acme-a", null, null);
        assertEquals(null, calls.get(1)[2]);
        ApiException e = assertThrows(ApiException.class, () -> resource(List.of()).windows("acme-a", "planet", null));
        assertEquals(400, e.error().status());
        assertEquals("targetType", e.error().fields().get(0).field());
    }

    @Test
    void aHostScheduleIsJsonWithInstantsAsTextAndDurationsAsIso() throws Exception {
        Interval next = new Interval(Instant.parse("2026-11-23T01:00:00Z"), Instant.parse("2026-11-23T03:00:00Z"));
        Schedules.HostSchedule schedule = new Schedules.HostSchedule("h1", NOW,
                List.of(new Schedules.EffectiveWindow(WINDOW, "site paris (the host's site)", false, next)), false,
                List.of(), next, "nightly", next.start(), new Schedules.EffectivePolicy(new Schedules.Policy(
                        Target.site("paris"), PolicyKind.LATEST, "stable", null, "alice", NOW), "site paris (the host's site)"),
                new DesiredVersion("stable", "1.4.2", "site paris (the host's site)"), null);

        JsonNode json = RestComponent.objectMapper().valueToTree(resource(schedule).hostSchedule("acme-a", "h1"));

        assertEquals("2026-11-23T01:00:00Z", json.get("nextOpening").asText());
        assertEquals("PT2H", json.get("windows").get(0).get("window").get("duration").asText());
        assertEquals("SITE", json.get("windows").get(0).get("window").get("target").get("type").asText());
        assertEquals("2026-11-23T03:00:00Z", json.get("currentOrNext").get("end").asText());
        assertEquals("1.4.2", json.get("desired").get("version").asText());
        assertEquals(false, json.get("windows").get(0).get("window").has("maintenanceWindow"));
    }

    @Test
    void anUnknownPolicyKindIsAnInvalidFieldNamingTheKinds() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> RestComponent.objectMapper()
                .readValue("{\"kind\":\"NEWEST\",\"profile\":\"stable\"}", Bodies.Policy.class));
        ApiError error = (ApiError) new ErrorMappers.Json().toResponse(e).getEntity();
        assertEquals(400, error.status());
        assertTrue(error.message().contains("[LATEST, TARGET]"), error.message());
    }
}
