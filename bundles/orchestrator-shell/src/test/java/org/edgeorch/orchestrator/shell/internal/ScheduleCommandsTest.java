package org.edgeorch.orchestrator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.edgeorch.windows.Interval;
import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.Schedules;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.scheduling.Schedules.PolicySpec;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.WindowDefinition;
import org.edgeorch.scheduling.Schedules.WindowKind;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.junit.jupiter.api.Test;

/** What an operator reads and what reaches the schedule service from the edge:window-*, edge:policy-* commands. */
class ScheduleCommandsTest {

    private static final Caller ALICE = new Caller("u1", "alice", "o1", null, Map.of(), Set.of(), false, "shell");
    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");
    private static final Schedules.Window NIGHTLY = new Schedules.Window("nightly", Target.region("eu"),
            WindowKind.REPEATED, null, null, "0 2 * * 1-5", "Europe/Paris", "PT2H", NOW, NOW);

    private final List<Object[]> calls = new ArrayList<>();

    private ScheduleService schedules(Function<String, Object> answer) {
        return (ScheduleService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ScheduleService.class},
                (proxy, method, args) -> {
                    calls.add(args);
                    return answer.apply(method.getName());
                });
    }

    private static String execute(ScheduleCommands.ScheduleCommand command) throws Exception {
        command.auth = (AuthService) Proxy.newProxyInstance(ScheduleCommandsTest.class.getClassLoader(),
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
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void windowCreateSendsTheTargetOptionAndTiming() throws Exception {
        ScheduleCommands.WindowCreate create = new ScheduleCommands.WindowCreate();
        create.schedules = schedules(m -> NIGHTLY);
        create.project = "acme-a";
        create.name = "nightly";
        create.region = "eu";
        create.cron = "0 2 * * 1-5";
        create.zone = "Europe/Paris";
        create.duration = "PT2H";

        String out = execute(create);

        assertEquals(List.of(ALICE, "acme-a", new WindowDefinition("nightly", Target.region("eu"), null, null,
                "0 2 * * 1-5", "Europe/Paris", "PT2H")), List.of(calls.get(0)));
        assertEquals("Created window nightly on region eu: 0 2 * * 1-5 in Europe/Paris for PT2H", out.strip());
    }

    @Test
    void twoTargetsAreRefusedBeforeTheService() throws Exception {
        ScheduleCommands.PolicySet set = new ScheduleCommands.PolicySet();
        set.schedules = schedules(m -> null);
        set.project = "acme-a";
        set.site = "paris";
        set.host = "h1";
        set.kind = "latest";
        set.profile = "stable";

        assertTrue(execute(set).startsWith("Error: give one target: --region, --site, --cluster or --host"));
        assertTrue(calls.isEmpty());
    }

    @Test
    void policySetTakesTheKindInAnyCase() throws Exception {
        ScheduleCommands.PolicySet set = new ScheduleCommands.PolicySet();
        set.schedules = schedules(m -> new Schedules.Policy(Target.cluster("db"), PolicyKind.TARGET, "stable", "1.4.2",
                "alice", NOW));
        set.project = "acme-a";
        set.cluster = "db";
        set.kind = "target";
        set.profile = "stable";
        set.version = "1.4.2";

        assertEquals("Policy of cluster db: TARGET stable 1.4.2", execute(set).strip());
        assertEquals(PolicySpec.target("stable", "1.4.2"), calls.get(0)[3]);
    }

    @Test
    void aHostScheduleSaysWhereItsWindowsComeFromAndWhyItHasNoDesiredVersion() {
        Interval next = new Interval(Instant.parse("2026-11-23T01:00:00Z"), Instant.parse("2026-11-23T03:00:00Z"));
        Schedules.HostSchedule s = new Schedules.HostSchedule("h1", NOW,
                List.of(new Schedules.EffectiveWindow(NIGHTLY, "region eu (site paris > region fr > region eu)", false, next)),
                false, List.of(), next, "nightly", next.start(), null, null,
                "no update policy applies: none is set on the host, its clusters, its site or its site's regions");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ScheduleCommands.schedule(s, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("In a window   no"), out);
        assertTrue(out.contains("Next opening  2026-11-23T01:00:00Z (nightly, 2026-11-23T01:00:00Z to 2026-11-23T03:00:00Z)"),
                out);
        assertTrue(out.contains("Policy        none"), out);
        assertTrue(out.contains("Desired OS    none: no update policy applies"), out);
        assertTrue(out.contains("region eu (site paris > region fr > region eu)"), out);
    }
}
