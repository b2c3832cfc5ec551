package org.edgeorch.bench.update;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.edgeorch.agent.UpdateHandler;
import org.edgeorch.agent.internal.ImageDownloads;
import org.edgeorch.agent.update.AbUpdater;
import org.edgeorch.agent.update.ReleaseVerifier;
import org.edgeorch.plugin.grub.internal.GrubAbBootloader;
import org.edgeorch.plugin.grub.internal.GrubBootEmulator;
import org.edgeorch.plugin.grub.internal.GrubEnvironment;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.ab.PathSlotDevice;
import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.release.ReleaseManifest;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.UpdateStatus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Install throughput of the update agent against dd. One signed release of SIZE MiB is served over HTTP on
 * loopback (with Range); the real {@link AbUpdater} checks its signature, streams it into slot B (an image
 * file in the work folder), hashing and syncing every checkpoint and at the end, until it reports DOWNLOADED.
 * Then {@code dd bs=1M conv=fsync} copies the same image to the same folder, and writes as many zeros.
 * Each is run RUNS times; the best of each is compared.
 *
 * <pre>java ... InstallBench WORK_DIR SIZE_MIB RUNS</pre>
 */
public final class InstallBench {

    private InstallBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        int mib = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        long size = (long) mib << 20;

        Path image = work.resolve("release.img");
        writeRandom(image, size);
        String hex = sha256(image);
        HostCertificateAuthority signer = HostCertificateAuthority.createRoot("bench-release-signer", Duration.ofDays(1));
        String manifest = new ObjectMapper().writeValueAsString(new ReleaseManifest(ReleaseManifest.SCHEMA, "bench", "2.0.0",
                ReleaseManifest.OsType.IMMUTABLE, "x86_64", hex, size, "NONE", "", List.of(), List.of(), Instant.now().toString()));
        String signature = Base64.getEncoder().encodeToString(ReleaseSignatures.sign(manifest.getBytes(StandardCharsets.UTF_8),
                Pems.privateKey(signer.privateKeyPem()), List.of(signer.certificate())));
        ReleaseVerifier verifier = new ReleaseVerifier(List.of(signer.certificate()));

        HttpServer server = serve(image);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/image";
        // The agent's own download path (HttpsURLConnection for https, plain HTTP here).
        UpdateHandler.ImageSource source = (u, offset) -> ImageDownloads.open(URI.create(u), offset, null);

        List<Long> install = new ArrayList<>();
        List<Long> single = new ArrayList<>();
        List<Long> ddCopy = new ArrayList<>();
        List<Long> ddZero = new ArrayList<>();
        try {
            for (int i = 1; i <= runs; i++) {
                install.add(install(work.resolve("host-" + i), verifier, new DesiredOs("run-" + i, "bench", "2.0.0",
                        "sha256:" + hex, size, List.of(url), manifest, signature, 0), source, true));
                single.add(install(work.resolve("host-single-" + i), verifier, new DesiredOs("single-" + i, "bench", "2.0.0",
                        "sha256:" + hex, size, List.of(url), manifest, signature, 0), source, false));
                ddCopy.add(dd(work, "if=" + image, "of=" + work.resolve("dd-copy.img"), "bs=1M", "conv=fsync"));
                ddZero.add(dd(work, "if=/dev/zero", "of=" + work.resolve("dd-zero.img"), "bs=1M", "count=" + mib, "conv=fsync"));
                System.out.printf("run %d: install %.0f MB/s (one thread %.0f MB/s), dd copy %.0f MB/s, dd zeros %.0f MB/s%n", i,
                        rate(size, install.get(i - 1)), rate(size, single.get(i - 1)), rate(size, ddCopy.get(i - 1)),
                        rate(size, ddZero.get(i - 1)));
            }
        } finally {
            server.stop(0);
        }
        long bestInstall = install.stream().min(Long::compare).orElseThrow();
        long bestSingle = single.stream().min(Long::compare).orElseThrow();
        long bestCopy = ddCopy.stream().min(Long::compare).orElseThrow();
        long bestZero = ddZero.stream().min(Long::compare).orElseThrow();
        System.out.printf("%nimage %d MiB, best of %d runs, same disk (%s)%n", mib, runs, work);
        System.out.printf("  update agent (signature + HTTP + SHA-256 + write + fsync) %7.0f MB/s  %6.2f s%n",
                rate(size, bestInstall), bestInstall / 1e9);
        System.out.printf("  the same, hash and write on one thread (pipelined = false)  %7.0f MB/s  %6.2f s%n",
                rate(size, bestSingle), bestSingle / 1e9);
        System.out.printf("  dd bs=1M conv=fsync, the image file                        %7.0f MB/s  %6.2f s%n",
                rate(size, bestCopy), bestCopy / 1e9);
        System.out.printf("  dd bs=1M conv=fsync, zeros                                 %7.0f MB/s  %6.2f s%n",
                rate(size, bestZero), bestZero / 1e9);
        System.out.printf("  install / dd copy: %.2f of dd's throughput (%.2fx the time)%n",
                (double) bestCopy / bestInstall, (double) bestInstall / bestCopy);
        System.out.printf("  one thread / dd copy: %.2f of dd's throughput; pipelined / one thread: %.2fx as fast%n",
                (double) bestCopy / bestSingle, (double) bestSingle / bestInstall);
        System.out.printf("  install / dd zeros: %.2f of dd's throughput (%.2fx the time)%n",
                (double) bestZero / bestInstall, (double) bestInstall / bestZero);
    }

    /** One host, one run to DOWNLOADED; returns the nanoseconds from the desired state to the report. */
    private static long install(Path dir, ReleaseVerifier verifier, DesiredOs os, UpdateHandler.ImageSource source,
                                boolean pipelined) throws Exception {
        Files.createDirectories(dir);
        Path env = dir.resolve("grubenv");
        Path cmdline = dir.resolve("cmdline");
        GrubEnvironment.write(env, Map.of("ORDER", "A B", "A_OK", "1", "A_TRY", "0", "B_OK", "0", "B_TRY", "0"));
        PathSlotDevice slots = new PathSlotDevice(dir.resolve("slot-a.img"), dir.resolve("slot-b.img"), 0);
        GrubBootEmulator emulator = new GrubBootEmulator(env, cmdline, () -> { });
        emulator.powerOn();
        AbUpdater updater = new AbUpdater(new AbUpdater.Settings(dir.resolve("update"), verifier, Duration.ZERO,
                Duration.ofSeconds(5), "1.0.0", 16L << 20, pipelined), new GrubAbBootloader(env, cmdline), slots, emulator, List.of(),
                AbUpdater.CrashPoints.NONE, Clock.systemUTC(), new Random());
        updater.attach(new UpdateHandler.Link() {
            @Override
            public void syncSoon() {
            }

            @Override
            public Instant lastSyncAt() {
                return Instant.now();
            }
        });
        updater.start();
        long start = System.nanoTime();
        updater.desired(os, List.of(), source);
        try {
            while (true) {
                UpdateReport r = updater.current();
                if (r != null && r.status() == UpdateStatus.FAILED) {
                    throw new IllegalStateException("the install failed: " + r);
                }
                if (r != null && r.status().ordinal() >= UpdateStatus.DOWNLOADED.ordinal()) {
                    long elapsed = System.nanoTime() - start;
                    if (Files.size(slots.path(Slot.B)) != os.imageSize()) {
                        throw new IllegalStateException("slot B holds " + Files.size(slots.path(Slot.B)) + " bytes");
                    }
                    return elapsed;
                }
                Thread.sleep(1);
            }
        } finally {
            updater.stop();
            deleteTree(dir);
        }
    }

    private static long dd(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dd"));
        command.addAll(List.of(args));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("dd failed: " + command);
        }
        long elapsed = System.nanoTime() - start;
        for (String a : args) {
            if (a.startsWith("of=")) {
                Files.delete(Path.of(a.substring(3)));
            }
        }
        return elapsed;
    }

    private static HttpServer serve(Path image) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/image", exchange -> {
            try (exchange) {
                send(exchange, image);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "image-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, Path image) throws IOException {
        long size = Files.size(image);
        String range = exchange.getRequestHeaders().getFirst("Range");
        long from = range == null ? 0 : Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
        if (from > 0) {
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
        }
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, size - from);
        try (InputStream in = Files.newInputStream(image); OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(from);
            // 1 MiB writes: InputStream.transferTo's 8 KiB would make the server, on the same cores, the slow side
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        }
    }

    private static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += buffer.length) {
                for (int i = 0; i < buffer.length; i += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        buffer[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                out.write(buffer, 0, (int) Math.min(buffer.length, size - done));
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static double rate(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
