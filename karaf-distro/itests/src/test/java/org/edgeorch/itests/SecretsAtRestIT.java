package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

/**
 * The orchestrator distribution started as an administrator would ({@code bin/karaf server}, so {@code bin/setenv}
 * runs) with the initial administrator's password in {@code etc/org.edgeorch.tenancy.cfg}: the first start replaces it
 * there by its hash, and neither that file nor Configuration Admin's copy under {@code data/cache} is readable by
 * anyone but the owner; a first start from that hash alone (fresh data) gives the same administrator password.
 */
public class SecretsAtRestIT {

    private static final int HTTP = 18331;
    private static final String PASSWORD = OrchestratorProcess.ADMIN_PASSWORD;

    private OrchestratorProcess orchestrator;

    @After
    public void tearDown() throws Exception {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    @Test
    public void theConfiguredAdminPasswordIsKeptOnlyAsItsHashInOwnerOnlyFiles() throws Exception {
        Path home = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "secrets").resolve("orchestrator");
        orchestrator = new OrchestratorProcess(home, HTTP, 18332, 11331,
                Map.of("org.edgeorch.southbound.cfg", Map.of("port", "18471")));
        Path cfg = home.resolve("etc/org.edgeorch.tenancy.cfg");
        assertTrue("the test starts from a plain-text password", Files.readString(cfg).contains(PASSWORD));
        orchestrator.start();

        Processes.await("the password in etc/ replaced by its hash", Duration.ofSeconds(60),
                () -> !Files.readString(cfg).contains(PASSWORD));
        String text = Files.readString(cfg);
        assertTrue(text, text.contains("\ninitialAdminPassword = $argon2id$v=19$"));
        assertEquals("rw-------", perms(cfg));
        Processes.await("Configuration Admin's copy holding the hash, owner-only", Duration.ofSeconds(60), () -> {
            Path stored = configAdminCopy(home);
            String s = stored == null ? "" : Files.readString(stored);
            return s.contains("$argon2id$") && !s.contains(PASSWORD) && perms(stored).equals("rw-------");
        });
        assertEquals("rwx------", perms(configAdminCopy(home).getParent()));
        // that change reached the running components in place: AuthService (and all above it) stayed registered
        Path log = home.resolve("data/log/karaf.log");
        Processes.await("the tenancy configuration's change applied in place", Duration.ofSeconds(60),
                () -> Files.readString(log).contains("Configuration org.edgeorch.tenancy changed: applied in place"));
        assertEquals(200, orchestrator.call("GET", "/api/v1/orgs/default", null).statusCode());
        String firstStartLog = Files.readString(log);
        assertEquals("SOAP ports published once (none withdrawn and published again)", 1,
                firstStartLog.split("Setting the server's publish address to be /tenancy\n", -1).length - 1);
        // bin/setenv's umask: what the orchestrator writes is its owner's only
        assertEquals("rw-------", perms(home.resolve("data/log/karaf.log")));
        assertEquals(List.of(), filesHolding(home, PASSWORD));

        // a first start with nothing but the hash (fresh data) makes an administrator with that same password
        orchestrator.kill();
        deleteTree(home.resolve("data"));
        orchestrator.start();
        assertEquals(text, Files.readString(cfg));
        assertEquals(List.of(), filesHolding(home, PASSWORD));
    }

    private static Path configAdminCopy(Path home) throws Exception {
        try (Stream<Path> files = Files.walk(home.resolve("data/cache"))) {
            return files.filter(p -> p.endsWith(Path.of("config/org/edgeorch/tenancy.config"))).findFirst().orElse(null);
        }
    }

    /** Files under etc/ and data/ (bundle jars aside) whose bytes contain {@code secret}. */
    private static List<Path> filesHolding(Path home, String secret) throws Exception {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("etc", "data")) {
            try (Stream<Path> files = Files.walk(home.resolve(dir))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p) && !p.toString().endsWith(".jar") && Files.size(p) < 64 << 20
                            && contains(Files.readAllBytes(p), needle)) {
                        out.add(home.relativize(p));
                    }
                }
            }
        }
        return out;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
