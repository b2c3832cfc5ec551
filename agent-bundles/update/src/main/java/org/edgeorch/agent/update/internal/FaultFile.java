package org.edgeorch.agent.update.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.edgeorch.agent.update.AbUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for the update agent's crash tests: when the file {@code halt-at} in the update folder names a
 * crash point (a {@link org.edgeorch.agent.update.Step} name such as {@code ARMING}, {@code ARMED},
 * {@code COMMITTED}, or {@code WRITING@} for the first checkpoint of a write), the runtime halts there at once,
 * as a power loss would stop it. The file is removed first, so the next start runs on. Without the file this
 * costs one {@code exists} per step.
 */
final class FaultFile implements AbUpdater.CrashPoints {

    private static final Logger LOG = LoggerFactory.getLogger(FaultFile.class);
    static final String NAME = "halt-at";

    private final Path file;

    FaultFile(Path dir) {
        this.file = dir.resolve(NAME);
    }

    @Override
    public void reached(String point) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            String wanted = Files.readString(file).strip();
            if (point.equals(wanted) || (wanted.endsWith("@") && point.startsWith(wanted))) {
                Files.delete(file);
                try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                }
                LOG.error("Fault injection: halting the runtime at {}", point);
                Runtime.getRuntime().halt(137);
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the fault-injection file {}: {}", file, e.toString());
        }
    }
}
