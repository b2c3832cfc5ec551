package org.edgeorch.agent.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health checks as greenboot runs them: every executable in {@code required.d} must exit 0, or the new OS is
 * rolled back; failures of those in {@code wanted.d} are logged and reported but do not roll back. They run in
 * name order with {@code EDGEORCH_SLOT}, {@code EDGEORCH_SLOT_DEVICE} and {@code EDGEORCH_VERSION} set, and
 * each gets a time limit.
 */
public final class ExecutableChecks {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutableChecks.class);

    private final Path dir;
    private final Duration timeout;

    /**
     * @param dir     the checks folder, holding {@code required.d} and {@code wanted.d} (either may be missing)
     * @param timeout how long one check may run
     */
    public ExecutableChecks(Path dir, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
    }

    /** The required checks, each as a {@link HealthCheck}. */
    public List<HealthCheck> required() {
        return checks("required.d");
    }

    /** The wanted checks. */
    public List<HealthCheck> wanted() {
        return checks("wanted.d");
    }

    /**
     * All of them as one check, read from the folder when it runs: the wanted ones first (a failure is logged),
     * then the required ones until one fails.
     */
    public HealthCheck asHealthCheck() {
        return new HealthCheck() {
            @Override
            public String name() {
                return "checks folder";
            }

            @Override
            public String check(Trial trial) throws InterruptedException {
                for (HealthCheck wanted : wanted()) {
                    String problem = wanted.check(trial);
                    if (problem != null) {
                        LOG.warn("Wanted health check {} failed (no rollback for it): {}", wanted.name(), problem);
                    }
                }
                for (HealthCheck required : required()) {
                    String problem = required.check(trial);
                    if (problem != null) {
                        return required.name() + " " + problem;
                    }
                }
                return null;
            }
        };
    }

    private List<HealthCheck> checks(String folder) {
        Path d = dir.resolve(folder);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<HealthCheck> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(d)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> {
                if (Files.isExecutable(f)) {
                    out.add(new Executable(f, timeout));
                } else {
                    LOG.warn("Health check {} is not executable; skipped", f);
                }
            });
        } catch (IOException e) {
            out.add(new Unreadable(d, e));
        }
        return out;
    }

    private record Unreadable(Path dir, IOException error) implements HealthCheck {
        @Override
        public String name() {
            return dir.toString();
        }

        @Override
        public String check(Trial trial) {
            return "cannot list the checks: " + error.getMessage();
        }
    }

    private record Executable(Path file, Duration timeout) implements HealthCheck {
        @Override
        public String name() {
            return file.getParent().getFileName() + "/" + file.getFileName();
        }

        @Override
        public String check(Trial trial) throws InterruptedException {
            Path log;
            try {
                log = Files.createTempFile("edgeorch-check", ".log");
            } catch (IOException e) {
                return "cannot capture its output: " + e.getMessage();
            }
            try {
                ProcessBuilder pb = new ProcessBuilder(file.toString()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                Map<String, String> env = pb.environment();
                env.put("EDGEORCH_SLOT", trial.slot().name());
                env.put("EDGEORCH_SLOT_DEVICE", trial.device().toString());
                env.put("EDGEORCH_VERSION", trial.version());
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    return "did not finish within " + timeout.toSeconds() + " s";
                }
                if (p.exitValue() == 0) {
                    return null;
                }
                String[] lines = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");
                String last = lines[lines.length - 1].isBlank() ? "" : ": " + lines[lines.length - 1].strip();
                return "exited with " + p.exitValue() + last;
            } catch (IOException e) {
                return "cannot run: " + e.getMessage();
            } finally {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}", log);
                }
            }
        }
    }
}
