package org.edgeorch.orchestrator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.junit.jupiter.api.Test;

/**
 * Karaf registers a command only when its class carries {@code @Service} next to {@code @Command}: a command without
 * it is "Command not found" in the shell although it compiles. Every command class of the bundle is checked.
 */
class CommandRegistrationTest {

    @Test
    void everyCommandIsAService() {
        List<String> missing = new ArrayList<>();
        for (Class<?> holder : List.of(AlertCommands.class, AppCommands.class, FleetCommands.class, OnboardingCommands.class, OrgCommands.class,
                ProjectCommands.class, ReleaseCommands.class, RolloutCommands.class, ScheduleCommands.class,
                TelemetryCommands.class, TokenCommands.class, UserCommands.class)) {
            List<Class<?>> classes = new ArrayList<>(List.of(holder.getDeclaredClasses()));
            classes.add(holder);
            for (Class<?> c : classes) {
                Command command = c.getAnnotation(Command.class);
                if (command != null && c.getAnnotation(Service.class) == null) {
                    missing.add(command.scope() + ":" + command.name());
                }
            }
        }
        assertEquals(List.of(), missing);
    }
}
