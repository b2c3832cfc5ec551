package org.edgeorch.orchestrator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.edgeorch.release.ReleaseService;
import org.edgeorch.release.Releases;
import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.release.Releases.EventOutcome;
import org.edgeorch.release.Releases.EventReason;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.EdgeCommand;
import org.junit.jupiter.api.Test;

/** What an operator reads and what reaches the release service from the edge:release-* and edge:os-* commands. */
class ReleaseCommandsTest {

    private static final Caller ALICE = new Caller("u1", "alice", "o1", null, Map.of(), Set.of(), false, "shell");
    private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");

    private final List<Object[]> calls = new ArrayList<>();

    /** A release service whose every method records its arguments and answers what {@code answer} gives. */
    private ReleaseService releases(Function<String, Object> answer) {
        return (ReleaseService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ReleaseService.class},
                (proxy, method, args) -> {
                    calls.add(args);
                    return answer.apply(method.getName());
                });
    }

    private static Releases.Release release() {
        return new Releases.Release("edge-os", "1.4.2", OsType.IMMUTABLE, "x86_64", "sha256:ab12", 734_003_200L, null,
                "Edge OS 1.4.2", List.of(), List.of("CVE-2025-1111", "CVE-2025-2222"), "releases/edge-os", "sha256:cd34",
                "CN=Edge Release Signing", "AB:CD", null, NOW, DetectionSource.WEBHOOK, Releases.ReleaseStatus.VERIFIED);
    }

    private static Releases.ReleaseEvent event(long id, EventOutcome outcome, EventReason reason, String detail) {
        return new Releases.ReleaseEvent(id, NOW, DetectionSource.MANUAL, "releases/edge-os", "1.4." + id, "sha256:ef",
                "edge-os", "1.4." + id, outcome, reason, detail);
    }

    /** Runs the command as the shell does, as alice, and returns what it printed. */
    private static String execute(ReleaseCommands.ReleaseCommand command) throws Exception {
        command.auth = (AuthService) Proxy.newProxyInstance(ReleaseCommandsTest.class.getClassLoader(),
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
    void osProfileCreateSendsTheSpecWithTheModeInAnyCase() throws Exception {
        ReleaseCommands.ProfileCreate create = new ReleaseCommands.ProfileCreate();
        create.releases = releases(m -> new Releases.OsProfile("stable", "edge-os", "~1.4.0",
                Releases.ProfileMode.AUTOMATIC, "x86_64", null, "1.4.2", 2, NOW, NOW));
        create.project = "acme-a";
        create.name = "stable";
        create.releaseProfile = "edge-os";
        create.range = "~1.4.0";
        create.mode = "automatic";
        create.architecture = "x86_64";

        String out = execute(create);

        assertEquals(List.of(ALICE, "acme-a", "stable", new Releases.ProfileSpec("edge-os", "~1.4.0",
                Releases.ProfileMode.AUTOMATIC, "x86_64", null)), List.of(calls.get(0)));
        assertTrue(out.contains("Created OS profile stable following edge-os ~1.4.0 (AUTOMATIC); 2 OS resource(s), latest 1.4.2"),
                out);
    }

    @Test
    void aRefusalIsAnErrorLineNotAStackTrace() throws Exception {
        ReleaseCommands.ResourceImport imp = new ReleaseCommands.ResourceImport();
        imp.releases = releases(m -> {
            throw new TenancyException(TenancyException.Reason.INVALID, "version", "1.5.0 is outside ~1.4.0");
        });
        imp.project = "acme-a";
        imp.profile = "stable";
        imp.version = "1.5.0";

        assertEquals("Error: 1.5.0 is outside ~1.4.0", execute(imp).strip());
    }

    @Test
    void anUpdateWithoutChangesIsRefusedBeforeTheService() throws Exception {
        ReleaseCommands.ProfileUpdate update = new ReleaseCommands.ProfileUpdate();
        update.releases = releases(m -> null);
        update.project = "acme-a";
        update.name = "stable";

        assertTrue(execute(update).startsWith("Error: nothing to change"));
        assertTrue(calls.isEmpty());
    }

    @Test
    void aCheckListsItsEventsAndCountsThem() throws Exception {
        ReleaseCommands.ReleaseCheck check = new ReleaseCommands.ReleaseCheck();
        check.releases = releases(m -> List.of(event(3, EventOutcome.ACCEPTED, null, null),
                event(4, EventOutcome.REJECTED, EventReason.UNKNOWN_SIGNER, "signed by CN=someone else"),
                event(5, EventOutcome.ACCEPTED, null, null)));

        String out = execute(check);

        assertTrue(out.contains("UNKNOWN_SIGNER") && out.contains("signed by CN=someone else"), out);
        assertTrue(out.strip().endsWith("2 ACCEPTED, 1 REJECTED"), out);
    }

    @Test
    void aReleaseShowsItsImageSignerAndCves() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ReleaseCommands.release(release(), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("Release       edge-os 1.4.2 (VERIFIED)"), out);
        assertTrue(out.contains("Image         sha256:ab12, 700.0 MiB"), out);
        assertTrue(out.contains("Fixed CVEs    CVE-2025-1111, CVE-2025-2222"), out);
        assertTrue(out.contains("Known CVEs    -"), out);
    }

    @Test
    void anUnknownOutcomeNamesTheKnownOnes() {
        EdgeCommand.InputException e = assertThrows(EdgeCommand.InputException.class,
                () -> EdgeCommand.choice(EventOutcome.class, "outcome", "lost"));
        assertEquals("outcome", e.field());
        assertEquals("outcome 'lost' is not one of ACCEPTED, REJECTED, FAILED, WITHDRAWN", e.getMessage());
    }

    @Test
    void thePublishToolsRefusalIsKeptForOneLineAndItsUsageDropped() {
        java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
        PrintStream console = new PrintStream(shown, true, StandardCharsets.UTF_8);
        ReleaseCommands.ReleasePublish.ToolErrors errors = new ReleaseCommands.ReleasePublish.ToolErrors(console);
        PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
        err.print("\ruploading os/emt:1.0.0: 50%");
        err.println();
        err.println("PublishTool: --version 'x' is not a semantic version");
        err.println("usage: PublishTool --registry URL ...");
        err.println("       --key key.pem --cert cert.pem IMAGE");
        assertEquals("--version 'x' is not a semantic version", errors.refusal);
        assertEquals("\ruploading os/emt:1.0.0: 50%" + System.lineSeparator(), shown.toString(StandardCharsets.UTF_8));
    }
}
