package org.edgeorch.orchestrator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.scheduling.rollout.Rollouts;
import org.edgeorch.scheduling.rollout.Rollouts.Counts;
import org.edgeorch.scheduling.rollout.Rollouts.FailureAction;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

/** What an operator types and reads with the edge:rollout-* and edge:update-run-list commands. */
class RolloutCommandsTest {

    private static final Caller ALICE = new Caller("u1", "alice", "o1", null, Map.of(), Set.of(), false, "shell");
    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");

    private final List<Object[]> calls = new ArrayList<>();

    private RolloutService rollouts(Function<String, Object> answer) {
        return (RolloutService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RolloutService.class},
                (proxy, method, args) -> {
                    calls.add(args);
                    return answer.apply(method.getName());
                });
    }

    private static String execute(RolloutCommands.RolloutCommand command) throws Exception {
        command.auth = (AuthService) Proxy.newProxyInstance(RolloutCommandsTest.class.getClassLoader(),
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

    private static Rollouts.Rollout rollout(RolloutState state) {
        WaveSpec spec = new WaveSpec(null, 10, false, 100, 0, 1, Duration.ZERO, Duration.ofHours(2));
        return new Rollouts.Rollout("spring", null, "stable", "2.0.0", "hosts with site paris", FailureAction.PAUSE, state,
                null, 2, new Counts(12, 6, 1, 5), List.of(
                        new Rollouts.Wave(1, spec, WaveState.SUCCEEDED, new Counts(2, 2, 0, 0), NOW, null, NOW),
                        new Rollouts.Wave(2, spec, WaveState.RUNNING, new Counts(10, 4, 1, 5), NOW, null, null)),
                "alice", NOW, NOW, null);
    }

    @Test
    void theBarShowsSucceededFailedAndPendingHosts() {
        assertEquals("[########xx----------] 40% 4/10 ok 1 failed 5 pending", RolloutCommands.bar(new Counts(10, 4, 1, 5)));
        assertEquals("[####################] 100% 3/3 ok 0 failed 0 pending", RolloutCommands.bar(new Counts(3, 3, 0, 0)));
        assertEquals("[--------------------] 0% 0/7 ok 0 failed 7 pending", RolloutCommands.bar(new Counts(7, 0, 0, 7)));
        assertEquals("[####################] 100% 0/0 ok 0 failed 0 pending", RolloutCommands.bar(new Counts(0, 0, 0, 0)));
    }

    @Test
    void statusHasABarPerWave() throws Exception {
        RolloutCommands.RolloutStatus status = new RolloutCommands.RolloutStatus();
        status.rollouts = rollouts(m -> rollout(RolloutState.RUNNING));
        status.project = "acme-a";
        status.name = "spring";

        String out = execute(status);

        assertTrue(out.contains("Rollout   spring: stable 2.0.0, RUNNING"), out);
        assertTrue(out.contains("wave 1 SUCCEEDED [####################] 100% 2/2 ok 0 failed 0 pending"), out);
        assertTrue(out.contains("wave 2 RUNNING   [########xx----------] 40% 4/10 ok 1 failed 5 pending"), out);
    }

    @Test
    void watchStopsOnceTheRolloutIsOver() throws Exception {
        RolloutCommands.RolloutStatus status = new RolloutCommands.RolloutStatus();
        List<RolloutState> states = new ArrayList<>(List.of(RolloutState.RUNNING, RolloutState.FINISHED));
        status.rollouts = rollouts(m -> rollout(states.remove(0)));
        status.project = "acme-a";
        status.name = "spring";
        status.watch = 1;

        String out = execute(status);

        assertEquals(2, calls.size());
        assertTrue(out.contains("RUNNING") && out.contains("FINISHED"), out);
    }

    @Test
    void createReadsWavesFromTheirShortForm() throws Exception {
        RolloutCommands.RolloutCreate create = new RolloutCommands.RolloutCreate();
        create.rollouts = rollouts(m -> rollout(RolloutState.READY));
        create.project = "acme-a";
        create.name = "spring";
        create.profile = "stable";
        create.version = "2.0.0";
        create.site = "paris";
        create.waves = List.of("count=1,soak=PT1H", "percent=10%,spread,success=90,failure=20,min=5,timeout=pt4h", "rest");
        create.onFailure = "abort";

        String out = execute(create);

        Rollouts.RolloutSpec spec = (Rollouts.RolloutSpec) calls.get(0)[2];
        assertEquals(List.of(new WaveSpec(1, null, null, null, null, null, Duration.ofHours(1), null),
                new WaveSpec(null, 10, true, 90, 20, 5, null, Duration.ofHours(4)), WaveSpec.rest()), spec.waves());
        assertEquals("paris", spec.hosts().site());
        assertEquals(FailureAction.ABORT, spec.onFailure());
        assertTrue(out.contains("Created rollout spring: 12 host(s) in 2 wave(s) to stable 2.0.0, READY"), out);
    }

    @Test
    void createWithoutHostsOrAFilterIsRefusedBeforeTheService() throws Exception {
        RolloutCommands.RolloutCreate create = new RolloutCommands.RolloutCreate();
        create.rollouts = rollouts(m -> null);
        create.project = "acme-a";
        create.name = "spring";
        create.profile = "stable";
        create.version = "2.0.0";
        assertTrue(execute(create).startsWith("Error: say which hosts"));
        assertTrue(calls.isEmpty());
        assertEquals("wave", assertThrows(TenancyException.class, () -> RolloutCommands.wave("size=3", 1)).field());
    }

    @Test
    void aConflictIsAnErrorLine() throws Exception {
        RolloutCommands.RolloutPause pause = new RolloutCommands.RolloutPause();
        pause.rollouts = rollouts(m -> {
            throw new TenancyException(TenancyException.Reason.CONFLICT, "rollout 'spring' is READY: only a RUNNING rollout"
                    + " can be paused");
        });
        pause.project = "acme-a";
        pause.name = "spring";
        assertEquals("Error: rollout 'spring' is READY: only a RUNNING rollout can be paused", execute(pause).strip());
    }

    @Test
    void runsAreListedForARolloutOrAHost() throws Exception {
        RolloutCommands.UpdateRunList list = new RolloutCommands.UpdateRunList();
        list.rollouts = rollouts(m -> new Rollouts.RunPage(List.of(new Rollouts.UpdateRun("run-1", "h1", null, null, "stable",
                "1.0.0", "2.0.0", org.edgeorch.spi.southbound.UpdateStatus.INSTALLING, null, null, 40, "site paris", NOW, NOW,
                NOW, null, null)), 3, 0, 100));
        list.project = "acme-a";
        list.host = "h1";
        String out = execute(list);
        assertTrue(out.contains("policy site paris") && out.contains("INSTALLING") && out.contains("40%"), out);
        assertTrue(out.strip().endsWith("1 of 3 run(s)"), out);
        list.rollout = "spring";
        assertTrue(execute(list).startsWith("Error: give --rollout or --host"));
    }
}
