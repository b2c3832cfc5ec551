package org.edgeorch.plugin.grub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interoperability with the real grub-editenv (package grub-common, installed by the test command). */
class GrubEnvironmentTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void toolIsThere() {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/grub-editenv")),
                "grub-editenv is missing: run .ci/test.sh, which installs grub-common");
    }

    @Test
    void grubEditenvReadsWhatWeWrite() throws Exception {
        Path env = dir.resolve("grubenv");
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ORDER", "B A");
        vars.put("A_OK", "1");
        vars.put("A_TRY", "0");
        vars.put("B_OK", "1");
        vars.put("B_TRY", "1");
        GrubEnvironment.write(env, vars);
        assertEquals(1024, Files.size(env));
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=1"), run("grub-editenv", env.toString(), "list"));
        run("grub-editenv", env.toString(), "set", "B_TRY=0");
        assertEquals("0", GrubEnvironment.read(env).get("B_TRY"));
    }

    @Test
    void weReadWhatGrubEditenvWrites() throws Exception {
        Path env = dir.resolve("grubenv");
        run("grub-editenv", env.toString(), "create");
        run("grub-editenv", env.toString(), "set", "ORDER=A B", "A_OK=1", "A_TRY=0", "weird=a\\b");
        Map<String, String> vars = GrubEnvironment.read(env);
        assertEquals("A B", vars.get("ORDER"));
        assertEquals("a\\b", vars.get("weird"));
        GrubEnvironment.update(env, Map.of("A_TRY", "1"));
        assertTrue(run("grub-editenv", env.toString(), "list").containsAll(List.of("ORDER=A B", "A_TRY=1", "weird=a\\b")));
    }

    @Test
    void refusesWhatDoesNotFitOrIsNotABlock() throws IOException {
        Path env = dir.resolve("grubenv");
        assertThrows(IOException.class, () -> GrubEnvironment.write(env, Map.of("X", "y".repeat(1100))));
        assertTrue(Files.notExists(env), "nothing written when the block would overflow");
        Files.writeString(dir.resolve("other"), "not an environment");
        assertThrows(IOException.class, () -> GrubEnvironment.read(dir.resolve("other")));
    }

    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>(new String(p.getInputStream().readAllBytes()).lines().toList());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + lines);
        return lines;
    }
}
