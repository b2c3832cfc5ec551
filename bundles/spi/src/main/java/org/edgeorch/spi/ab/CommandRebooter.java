package org.edgeorch.spi.ab;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeorch.spi.PluginException;

/** Reboots the host with a system command, {@code systemctl reboot} unless told otherwise. */
public final class CommandRebooter implements Rebooter {

    private final List<String> command;

    public CommandRebooter(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the reboot command is empty");
        }
        this.command = List.copyOf(command);
    }

    @Override
    public void reboot() throws PluginException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PluginException(String.join(" ", command) + " did not return within 60 s");
            }
            String output = new String(p.getInputStream().readAllBytes()).strip();
            if (p.exitValue() != 0) {
                throw new PluginException(String.join(" ", command) + " failed with exit code " + p.exitValue()
                        + (output.isEmpty() ? "" : ": " + output));
            }
        } catch (IOException e) {
            throw new PluginException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException("interrupted while rebooting", e);
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
