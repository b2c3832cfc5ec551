package org.edgeorch.plugin.uboot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the real mkenvimage (u-boot-tools) and fw_printenv/fw_setenv (libubootenv-tool),
 * installed by the test command.
 */
class UbootEnvironmentTest {

    static final int SIZE = 0x4000;

    @TempDir
    Path dir;

    @BeforeAll
    static void toolsAreThere() {
        for (String tool : List.of("/usr/bin/mkenvimage", "/usr/bin/fw_printenv", "/usr/bin/fw_setenv")) {
            assertTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: run .ci/test.sh, which installs it");
        }
    }

    @Test
    void singleCopyInteroperatesWithTheRealTools() throws Exception {
        Path image = mkenvimage("env.bin", false, "BOOT_ORDER=A B\nBOOT_A_LEFT=3\nBOOT_B_LEFT=3\n");
        Path config = config(image);
        UbootEnvironment env = new UbootEnvironment(List.of(new UbootEnvironment.Copy(image, 0, SIZE)));
        assertEquals(Map.of("BOOT_ORDER", "A B", "BOOT_A_LEFT", "3", "BOOT_B_LEFT", "3"), env.read());

        env.update(Map.of("BOOT_ORDER", "B A", "BOOT_B_LEFT", "1"));
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=1", "BOOT_ORDER=B A"), run("fw_printenv", "-c", config.toString()));

        run("fw_setenv", "-c", config.toString(), "BOOT_B_LEFT", "0");
        assertEquals("0", env.read().get("BOOT_B_LEFT"));
    }

    @Test
    void redundantCopiesAlternateAndSurviveATornWrite() throws Exception {
        Path first = mkenvimage("env1.bin", true, "BOOT_ORDER=A B\nBOOT_A_LEFT=3\n");
        Path second = dir.resolve("env2.bin");
        Files.copy(first, second);
        Path config = dir.resolve("fw_env.config");
        Files.writeString(config, first + " 0x0 0x4000\n" + second + " 0x0 0x4000\n");
        UbootEnvironment env = new UbootEnvironment(List.of(new UbootEnvironment.Copy(first, 0, SIZE),
                new UbootEnvironment.Copy(second, 0, SIZE)));

        run("fw_setenv", "-c", config.toString(), "BOOT_A_LEFT", "2");
        assertEquals("2", env.read().get("BOOT_A_LEFT"));
        env.update(Map.of("BOOT_A_LEFT", "1"));
        assertTrue(run("fw_printenv", "-c", config.toString()).contains("BOOT_A_LEFT=1"));
        env.update(Map.of("BOOT_A_LEFT", "0"));
        assertTrue(run("fw_printenv", "-c", config.toString()).contains("BOOT_A_LEFT=0"));

        // Tear the copy written last: the other, older copy becomes current again.
        Path newest = Files.readAllBytes(first)[4] > Files.readAllBytes(second)[4] ? first : second;
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.seek(40);
            f.write(new byte[] {1, 2, 3});
        }
        assertEquals("1", env.read().get("BOOT_A_LEFT"));
        assertTrue(run("fw_printenv", "-c", config.toString()).contains("BOOT_A_LEFT=1"));
    }

    @Test
    void refusesABlankEnvironment() throws IOException {
        Path blank = dir.resolve("blank.bin");
        byte[] ff = new byte[SIZE];
        java.util.Arrays.fill(ff, (byte) 0xff);
        Files.write(blank, ff);
        UbootEnvironment env = new UbootEnvironment(List.of(new UbootEnvironment.Copy(blank, 0, SIZE)));
        assertThrows(IOException.class, env::read);
    }

    private Path mkenvimage(String name, boolean redundant, String text) throws Exception {
        Path input = dir.resolve(name + ".txt");
        Files.writeString(input, text);
        Path image = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("mkenvimage", "-s", "0x4000", "-o", image.toString()));
        if (redundant) {
            cmd.add(1, "-r");
        }
        cmd.add(input.toString());
        run(cmd.toArray(String[]::new));
        return image;
    }

    private Path config(Path image) throws IOException {
        Path config = dir.resolve(image.getFileName() + ".config");
        Files.writeString(config, image + " 0x0 0x4000\n");
        return config;
    }

    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + lines);
        return lines;
    }
}
