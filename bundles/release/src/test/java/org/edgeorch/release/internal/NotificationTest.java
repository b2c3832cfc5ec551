package org.edgeorch.release.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.release.Releases.ReleaseEvent;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.junit.jupiter.api.Test;

/** The webhook's parsing and authentication (the end-to-end path runs against the real registry elsewhere). */
class NotificationTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static byte[] envelope(String... events) {
        return ("{\"events\":[" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static String event(String action, String mediaType, String repository, String tag) {
        return "{\"id\":\"x\",\"action\":\"" + action + "\",\"target\":{\"mediaType\":\"" + mediaType + "\",\"digest\":\""
                + DIGEST + "\",\"repository\":\"" + repository + "\"" + (tag == null ? "" : ",\"tag\":\"" + tag + "\"") + "}}";
    }

    @Test
    void onlyTaggedManifestPushesUnderThePrefixAreCandidates() {
        String oci = "application/vnd.oci.image.manifest.v1+json";
        List<Candidate> out = ReleaseRoutes.candidates(envelope(
                event("push", oci, "os/edge-microvisor", "1.4.2"),
                event("push", "application/octet-stream", "os/edge-microvisor", null),
                event("push", oci, "os/edge-microvisor", null),
                event("pull", oci, "os/edge-microvisor", "1.4.2"),
                event("push", oci, "apps/nginx", "1.0.0")), "os/");
        assertEquals(List.of(new Candidate("os/edge-microvisor", "1.4.2", DIGEST, DetectionSource.WEBHOOK)), out);
    }

    @Test
    void badBodiesAreRefusedWithTheReason() {
        for (String body : new String[] {"", "not json", "{}", "{\"events\":{}}", "[]"}) {
            TenancyException e = assertThrows(TenancyException.class,
                    () -> ReleaseRoutes.candidates(body.getBytes(StandardCharsets.UTF_8), "os/"), body);
            assertEquals(Reason.INVALID, e.reason());
        }
    }

    @Test
    void theTokenIsRequired() {
        Detection none = new Detection() {
            @Override
            public String repositoryPrefix() {
                return "os/";
            }

            @Override
            public List<Candidate> pollCandidates() {
                return List.of();
            }

            @Override
            public Optional<ReleaseEvent> process(Candidate candidate, boolean force) {
                throw new AssertionError("nothing may be processed");
            }
        };
        byte[] body = envelope();
        assertEquals(Reason.UNAUTHENTICATED, assertThrows(TenancyException.class,
                () -> new ReleaseRoutes(none, 0, "", () -> true).accept("Bearer anything", body)).reason());
        ReleaseRoutes routes = new ReleaseRoutes(none, 0, "s3cret-token", () -> true);
        for (String header : new String[] {null, "", "Bearer", "Bearer wrong", "Basic s3cret-token", "s3cret-token"}) {
            assertEquals(Reason.UNAUTHENTICATED, assertThrows(TenancyException.class, () -> routes.accept(header, body)).reason(),
                    String.valueOf(header));
        }
        assertEquals(0, routes.accept("Bearer s3cret-token", body));
        assertEquals(0, routes.accept("bearer  s3cret-token ", body));
    }
}
