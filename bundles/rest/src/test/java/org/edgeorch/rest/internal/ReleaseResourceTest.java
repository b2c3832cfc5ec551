package org.edgeorch.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.edgeorch.release.ReleaseNotifications;
import org.edgeorch.release.ReleaseService;
import org.edgeorch.release.Releases;
import org.edgeorch.release.Releases.ProfileMode;
import org.edgeorch.tenancy.Caller;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

/** The release resource as a client meets it: status codes, locations, what reaches the service, and bad input. */
class ReleaseResourceTest {

    private static final Caller ALICE = new Caller("u1", "alice", "o1", null, Map.of(), Set.of(), false, "127.0.0.1");
    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");

    private final List<Object[]> calls = new ArrayList<>();

    private ReleaseResource resource(Object answer) {
        ReleaseService releases = (ReleaseService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ReleaseService.class}, (proxy, method, args) -> {
                    calls.add(args);
                    return answer;
                });
        ReleaseNotifications notifications = (authorization, body) -> {
            calls.add(new Object[] {authorization, body});
            return 2;
        };
        ReleaseResource r = new ReleaseResource(releases, notifications);
        r.servletRequest = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> method.getName().equals("getAttribute") ? ALICE : null);
        return r;
    }

    @Test
    void aCreatedProfileAnswers201WithItsLocation() {
        Releases.OsProfile created = new Releases.OsProfile("edge os", "edge-os", "~1.4.0", ProfileMode.MANUAL, null, null,
                null, 0, NOW, NOW);
        Response response = resource(created).createProfile("acme-a",
                new Bodies.OsProfile("edge os", "edge-os", "~1.4.0", ProfileMode.MANUAL, null, "line 3"));

        assertEquals(201, response.getStatus());
        assertEquals("projects/acme-a/os-profiles/edge%20os", response.getLocation().toString());
        assertEquals(created, response.getEntity());
        Object[] args = calls.get(0);
        assertEquals(ALICE, args[0]);
        assertEquals("acme-a", args[1]);
        assertEquals("edge os", args[2]);
        assertEquals(new Releases.ProfileSpec("edge-os", "~1.4.0", ProfileMode.MANUAL, null, "line 3"), args[3]);
    }

    @Test
    void anImportedReleaseAnswers201AtItsVersion() {
        Releases.Release release = new Releases.Release("edge-os", "1.4.2", null, "x86_64", "sha256:ab", 1L, null, null,
                List.of(), List.of(), "releases/edge-os", "sha256:cd", "CN=release", "AB", null, NOW,
                Releases.DetectionSource.WEBHOOK, Releases.ReleaseStatus.VERIFIED);
        Response response = resource(new Releases.OsResource("stable", "1.4.2", true, release, "alice", NOW))
                .importRelease("acme-a", "stable", new Bodies.OsResourceImport("1.4.2"));

        assertEquals(201, response.getStatus());
        assertEquals("projects/acme-a/os-profiles/stable/resources/1.4.2", response.getLocation().toString());
    }

    @Test
    void theWebhookPassesTheHeaderAndRawBodyAndAnswers202WithTheCount() {
        byte[] envelope = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
        Response response = resource(null).notifications("Bearer hook-token", envelope);

        assertEquals(202, response.getStatus());
        assertEquals(Map.of("queued", 2), response.getEntity());
        assertEquals("Bearer hook-token", calls.get(0)[0]);
        assertArrayEquals(envelope, (byte[]) calls.get(0)[1]);
    }

    @Test
    void theWebhookIsPublicAndTakesBiggerBodiesThanTheRest() {
        assertTrue(AuthFilter.PUBLIC.contains("release/notifications"));
        assertEquals(1024 * 1024, BodyLimitFilter.max("release/notifications"));
        assertEquals(BodyLimitFilter.MAX_BYTES, BodyLimitFilter.max("release-signers"));
    }

    @Test
    void aCheckWithoutBodyChecksTheWholeRegistry() {
        resource(List.of()).check(null);
        assertNull(calls.get(0)[1]);
        assertNull(calls.get(0)[2]);
    }

    @Test
    void anUnknownOutcomeIsABadParameter() {
        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> resource(List.of()).events(null, "LOST", "0", "50"));
        assertEquals(400, e.error().status());
        assertEquals("outcome", e.error().fields().get(0).field());
        assertTrue(e.getMessage().contains("ACCEPTED"), e.getMessage());
    }

    @Test
    void anUnknownModeIsAnInvalidFieldNamingTheModes() {
        JsonProcessingException e = org.junit.jupiter.api.Assertions.assertThrows(JsonProcessingException.class,
                () -> RestComponent.objectMapper().readValue("{\"name\":\"p\",\"mode\":\"SOMETIMES\"}", Bodies.OsProfile.class));
        ApiError error = (ApiError) new ErrorMappers.Json().toResponse(e).getEntity();

        assertEquals(400, error.status());
        assertEquals("invalid_field", error.code());
        assertTrue(error.message().contains("[AUTOMATIC, MANUAL]"), error.message());
    }
}
