package org.edgeorch.release.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciManifest;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.security.ReleaseTrust;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.edgeorch.spi.release.ReleaseManifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line publisher: exit codes, messages, and a real run in a JVM with only its documented class path. */
class PublishToolTest {

    /** What the tool's Javadoc says it needs on the class path. */
    private static final Pattern NEEDED = Pattern.compile(".*(/bundles/(release|spi|security|oci)/target/classes"
            + "|org\\.edgeorch\\.(spi|security|oci)-[^/]*(?<!-tests)\\.jar|jackson-(core|annotations|databind)-[^/]*\\.jar|bc(prov|pkix|util)-jdk18on-[^/]*\\.jar)");

    @TempDir
    Path dir;
    Path image;

    @BeforeEach
    void files() throws IOException {
        image = Files.writeString(dir.resolve("edge-1.0.0.raw"), "image");
        Files.writeString(dir.resolve("password"), "s3cret\n");
    }

    record Result(int status, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PublishTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> arguments(String registry, String... more) {
        List<String> args = new ArrayList<>(List.of("--registry", registry, "--profile", "edge", "--version", "1.0.0",
                "--os-type", "immutable", "--arch", "x86_64", "--key", dir.resolve("k.pem").toString(), "--cert", dir.resolve("c.pem").toString()));
        args.addAll(Arrays.asList(more));
        return args;
    }

    @Test
    void badArgumentsExitWith2AndTheUsage() throws IOException {
        openssl();
        String registry = "http://127.0.0.1:1";
        List<List<String>> cases = List.of(
                arguments(registry, "--colour", "blue", image.toString()),
                arguments(registry),
                arguments(registry, image.toString(), image.toString()),
                arguments(registry, dir.resolve("missing.raw").toString()),
                arguments(registry, "--user", "ci", image.toString()),
                replace(arguments(registry, image.toString()), "1.0.0", "1.0"),
                replace(arguments(registry, image.toString()), "immutable", "frozen"),
                replace(arguments(registry, image.toString()), dir.resolve("k.pem").toString(), dir.resolve("c.pem").toString()),
                arguments(registry, "--known-cves", "CVE-2024-3094,heartbleed", image.toString()));
        List<String> messages = List.of("unknown option --colour", "the image file is required", "one image only",
                "missing.raw is not a readable file", "--user and --password-file go together", "version '1.0' is not a semantic version",
                "--os-type frozen is not IMMUTABLE or MUTABLE", "--key " + dir.resolve("c.pem"), "knownCves: 'heartbleed' is not a CVE identifier");
        for (int i = 0; i < cases.size(); i++) {
            Result result = run(cases.get(i).toArray(String[]::new));
            assertEquals(2, result.status(), result.err());
            assertTrue(result.err().startsWith("PublishTool: ") && result.err().contains(messages.get(i)), result.err());
            assertTrue(result.err().contains("usage: PublishTool"), result.err());
            assertEquals("", result.out());
        }
        Result missing = run("--registry", registry, image.toString());
        assertTrue(missing.err().contains("--profile is required"), missing.err());
    }

    @Test
    void anUnreachableRegistryExitsWith1WithoutAStackTrace() throws IOException {
        openssl();
        Result result = run(arguments("http://127.0.0.1:1", image.toString()).toArray(String[]::new));
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("PublishTool: publishing os/edge:1.0.0 failed: HEAD manifest os/edge:1.0.0 on http://127.0.0.1:1/"), result.err());
        assertFalse(result.err().contains("\tat "), result.err());
    }

    @Test
    void aRunWithTheDocumentedClassPathPublishesAVerifiableReleaseOnceOnly() throws Exception {
        openssl();
        Files.write(image, new byte[3 << 20]);
        String classPath = Stream.of(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(entry -> NEEDED.matcher(entry.replace(File.separatorChar, '/')).matches())
                .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        assertEquals(10, classPath.split(File.pathSeparator).length, classPath);
        try (RegistryHarness registry = RegistryHarness.start()) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath, PublishTool.class.getName()));
            command.addAll(arguments(registry.uri().toString(), "--known-cves", "CVE-2024-3094", "--description", "first", image.toString()));

            Result first = exec(command);
            assertEquals(0, first.status(), first.err());
            assertTrue(first.out().matches("os/edge:1\\.0\\.0@sha256:[0-9a-f]{64}\\R"), first.out());
            assertTrue(first.err().contains("uploading os/edge:1.0.0: 100%"), first.err());

            OciClient client = registry.client();
            OciManifest artifact = client.manifest("os/edge", "1.0.0").ociManifest();
            assertEquals(first.out().strip().substring(first.out().indexOf('@') + 1), client.manifestDigest("os/edge", "1.0.0").orElseThrow());
            byte[] json = client.blobBytes("os/edge", artifact.layer(ReleaseArtifact.MANIFEST_MEDIA_TYPE).orElseThrow().digest(), 65536);
            byte[] signature = client.blobBytes("os/edge", artifact.layer(ReleaseArtifact.SIGNATURE_MEDIA_TYPE).orElseThrow().digest(), 65536);
            ReleaseManifest manifest = ReleasePublisher.parse(json);
            assertEquals(List.of("CVE-2024-3094"), manifest.knownCves());
            assertEquals(ReleaseManifest.OsType.IMMUTABLE, manifest.osType());
            ReleaseSignatures.SignatureCheck check = ReleaseSignatures.verify(json, signature,
                    ReleaseTrust.of(Pems.certificates(Files.readString(dir.resolve("c.pem"))).get(0)), Instant.now());
            assertTrue(check.valid(), check.toString());

            Result again = exec(command);
            assertEquals(1, again.status(), again.err());
            assertTrue(again.err().contains("release os/edge:1.0.0 already exists"), again.err());
            assertFalse(again.err().contains("\tat "), again.err());
        }
    }

    private static List<String> replace(List<String> args, String from, String to) {
        return args.stream().map(arg -> arg.equals(from) ? to : arg).toList();
    }

    private void openssl() throws IOException {
        exec(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=release",
                "-days", "30", "-keyout", dir.resolve("k.pem").toString(), "-out", dir.resolve("c.pem").toString()));
    }

    private static Result exec(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Small outputs: read one after the other.
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(process.exitValue(), out, err);
    }
}
