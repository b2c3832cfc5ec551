package org.edgeorch.orchestrator.shell.internal;

/**
 * Error lines for commands. They go to standard output: Karaf does not forward a command's standard
 * error to SSH exec channels and {@code bin/client} batch runs, where the message would be lost.
 */
final class Console {

    private Console() {
    }

    static void error(String message) {
        System.out.println(message.startsWith("Error:") ? message : "Error: " + message);
    }
}
