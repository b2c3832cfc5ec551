package org.edgeorch.agent.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real openssl in a test's directory. */
final class Openssl {

    record Result(int exit, String out, String err) {
    }

    private Openssl() {
    }

    /** Runs openssl with the arguments in dir; stdin is empty, output is captured in files so nothing blocks. */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "openssl", ".out");
        Path err = Files.createTempFile(dir, "openssl", ".err");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl did not finish: " + command);
        Result result = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** Runs openssl and asserts that it succeeds; returns its standard output. */
    static String ok(Path dir, String... args) throws IOException, InterruptedException {
        Result r = run(dir, args);
        assertEquals(0, r.exit(), "openssl " + String.join(" ", args) + " failed: " + r.err());
        return r.out();
    }

    /** A self-signed certificate (c.pem-like name + ".pem") and its PKCS#8 key (name + ".key"), 30 days. */
    static void selfSigned(Path dir, String name, String keyType) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-newkey"));
        args.addAll(keyType.equals("ec") ? List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256") : List.of("rsa:2048"));
        args.addAll(List.of("-nodes", "-subj", "/CN=" + name, "-days", "30", "-keyout", name + ".key", "-out", name + ".pem"));
        ok(dir, args.toArray(String[]::new));
    }

    /** openssl's SHA-256 fingerprint of a PEM certificate, in its own AB:CD:… form. */
    static String fingerprint(Path dir, String certificateFile) throws IOException, InterruptedException {
        String line = ok(dir, "x509", "-in", certificateFile, "-noout", "-fingerprint", "-sha256").strip();
        return line.substring(line.indexOf('=') + 1);
    }
}
