package org.edgeorch.orchestrator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.edgeorch.observability.TelemetryService;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

/** What an operator reads from edge:telemetry-settings and edge:telemetry-set, and what reaches the service. */
class TelemetryCommandsTest {

    private static final Caller ALICE = new Caller("u1", "alice", "o1", null, Map.of(), Set.of(), false, "shell");
    private final List<Object[]> calls = new ArrayList<>();

    private TelemetryService telemetry(Object answer) {
        return (TelemetryService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TelemetryService.class},
                (proxy, method, args) -> {
                    calls.add(args);
                    if (answer instanceof RuntimeException e) {
                        throw e;
                    }
                    return answer;
                });
    }

    private static String execute(TelemetryCommands.TelemetryCommand command) throws Exception {
        command.auth = (AuthService) Proxy.newProxyInstance(TelemetryCommandsTest.class.getClassLoader(),
                new Class<?>[] {AuthService.class}, (proxy, method, args) -> ALICE);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("alice"));
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) command::execute);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void showsTheIntervalAndWhetherItIsTheDefault() throws Exception {
        TelemetryCommands.Show show = new TelemetryCommands.Show();
        show.telemetry = telemetry(new TelemetryService.Settings("acme-a", 30, true));
        show.project = "acme-a";
        assertEquals("Project acme-a: hosts sample their telemetry every 30 s (the default)", execute(show));
        assertEquals(List.of(ALICE, "acme-a"), List.of(calls.get(0)));
    }

    @Test
    void setsTheIntervalAndARefusalIsOneLine() throws Exception {
        TelemetryCommands.Set set = new TelemetryCommands.Set();
        set.telemetry = telemetry(new TelemetryService.Settings("acme-a", 120, false));
        set.project = "acme-a";
        set.interval = 120;
        assertEquals("Project acme-a: hosts sample their telemetry every 120 s", execute(set));
        assertEquals(List.of(ALICE, "acme-a", 120), List.of(calls.get(0)));

        TelemetryCommands.Set bad = new TelemetryCommands.Set();
        bad.telemetry = telemetry(new TenancyException(TenancyException.Reason.INVALID, "intervalSeconds",
                "intervalSeconds must be 10 to 3600 seconds, not 5"));
        bad.project = "acme-a";
        bad.interval = 5;
        assertEquals("Error: intervalSeconds must be 10 to 3600 seconds, not 5", execute(bad));
    }
}
