package org.edgeorch.agent.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The bootloaders' own tools: grub-editenv, fw_printenv, mkenvimage. */
final class Tools {

    private Tools() {
    }

    static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out.lines().toList();
    }

    static List<String> grubEditenv(Path env) throws Exception {
        return run("grub-editenv", env.toString(), "list");
    }

    static List<String> fwPrintenv(Path config) throws Exception {
        return run("fw_printenv", "-c", config.toString()).stream().sorted().toList();
    }
}
