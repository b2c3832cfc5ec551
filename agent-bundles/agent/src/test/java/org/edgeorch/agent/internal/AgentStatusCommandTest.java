package org.edgeorch.agent.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.edgeorch.agent.Agent;
import org.edgeorch.spi.southbound.DesiredState;
import org.junit.jupiter.api.Test;

class AgentStatusCommandTest {

    private static String print(Optional<Agent.Status> status) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentStatusCommand.print(status, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsEnrolmentLastSyncAndDesiredState() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        String out = print(Optional.of(new Agent.Status(Agent.Phase.ENROLLED, URI.create("https://orch:8443"), "acme", "edge-7",
                "1f2e", now.plusSeconds(86_400 * 30), now, now, null, 0, now.plusSeconds(30),
                new DesiredState("acme", "edge-7", Map.of("rack", "r4"), 30, now.plusSeconds(86_400 * 20).toEpochMilli()),
                "\"abc\"", 2)));
        assertTrue(out.contains("ENROLLED"), out);
        assertTrue(out.contains("edge-7 (project acme)"), out);
        assertTrue(out.contains("1f2e, valid until 2026-12-22T10:00:00Z"), out);
        assertTrue(out.contains("Last sync   2026-11-22T10:00:00Z"), out);
        assertTrue(out.contains("Unsent      2 report(s)"), out);
        assertTrue(out.contains("\"abc\", sync every 30 s"), out);
        assertTrue(out.contains("rack") && out.contains("r4"), out);
    }

    @Test
    void showsARefusalAndItsReason() {
        String out = print(Optional.of(new Agent.Status(Agent.Phase.REFUSED, URI.create("https://orch:8443"), "acme", "edge-7",
                "1f2e", Instant.EPOCH, null, Instant.EPOCH, "403 HOST_INVALIDATED: host 'edge-7' was invalidated", 3, null,
                null, null, 0)));
        assertTrue(out.contains("REFUSED") && out.contains("HOST_INVALIDATED") && out.contains("3 in a row"), out);
        assertTrue(out.contains("Last sync   never") && out.contains("none received yet"), out);
    }

    @Test
    void saysWhenTheAgentIsNotConfigured() {
        assertTrue(print(Optional.empty()).contains("not configured"));
    }
}
