package org.edgeorch.orchestrator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;
import org.junit.jupiter.api.Test;

/**
 * Karaf registers a command only when its class carries {@code @Service} next to {@code @Command}: a command without
 * it is "Command not found" in the shell although it compiles. Every command class of the bundle is checked.
 */
class CommandRegistrationTest {

    @Test
    void everyCommandIsAService() {
        List<String> missing = new ArrayList<>();
        for (Class<?> c : commands()) {
            if (c.getAnnotation(Service.class) == null) {
                missing.add(name(c));
            }
        }
        assertEquals(List.of(), missing);
    }

    /**
     * Options anywhere on the line, a mistake in the line refused as one line, and every failure of the command one
     * line too: each command reads its line with {@link OptionsAnywhere} and runs through {@link EdgeCommand}.
     */
    @Test
    void everyCommandParsesAndFailsTheSameWay() {
        List<String> astray = new ArrayList<>();
        for (Class<?> c : commands()) {
            Parsing parsing = c.getAnnotation(Parsing.class);
            if (parsing == null || parsing.value() != OptionsAnywhere.class || !EdgeCommand.class.isAssignableFrom(c)) {
                astray.add(name(c));
            }
        }
        assertEquals(List.of(), astray);
        assertTrue(commands().size() > 100, "all the bundle's commands were found: " + commands().size());
    }

    /** The command classes of the bundle: the nested ones of each holder and the top-level ones. */
    private static List<Class<?>> commands() {
        List<Class<?>> classes = new ArrayList<>(List.of(AuditListCommand.class, EventsCommand.class, LeaderCommand.class));
        for (Class<?> holder : List.of(AlertCommands.class, AppCommands.class, FleetCommands.class, OnboardingCommands.class, OrgCommands.class,
                ProjectCommands.class, ReleaseCommands.class, RolloutCommands.class, ScheduleCommands.class,
                TokenCommands.class, UserCommands.class)) {
            classes.addAll(List.of(holder.getDeclaredClasses()));
        }
        classes.removeIf(c -> c.getAnnotation(Command.class) == null);
        return classes;
    }

    private static String name(Class<?> c) {
        Command command = c.getAnnotation(Command.class);
        return command.scope() + ":" + command.name();
    }
}
