package org.edgeorch.observability.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;

/**
 * The real peers alert receivers are tested against: Debian's {@code prometheus-alertmanager} (v2 API) and an SMTP
 * server ({@code python3 -m aiosmtpd} writing a maildir) as processes on free loopback ports, and a webhook (an HTTP
 * server in the test JVM) that records what it is sent, when, and with which signature. {@code .ci/deps.sh} installs
 * the packages.
 */
public final class AlertPeers implements AutoCloseable {

    /** One request the webhook took: when it arrived, its body and its {@code X-Edgeorch-Signature}. */
    public record Delivery(Instant at, String body, String signature) {
    }

    /** One mail the SMTP server stored: when its file was written, and the whole message. */
    public record Mail(Instant at, String text) {
    }

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final int alertmanagerPort;
    private final int smtpPort;
    private final HttpServer webhook;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuse = new AtomicInteger();

    private AlertPeers(Path dir) throws IOException {
        this.dir = dir;
        this.alertmanagerPort = freePort();
        this.smtpPort = freePort();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            Instant at = Instant.now();
            boolean refused = refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (!refused) {
                deliveries.add(new Delivery(at, new String(body, StandardCharsets.UTF_8),
                        x.getRequestHeaders().getFirst("X-Edgeorch-Signature")));
            }
            x.sendResponseHeaders(refused ? 503 : 204, -1);
            x.close();
        });
        webhook.start();
    }

    /** Starts all three under {@code dir} and waits until they answer. */
    public static AlertPeers start(Path dir) throws IOException, InterruptedException {
        AlertPeers p = new AlertPeers(dir);
        try {
            Path config = dir.resolve("alertmanager.yml");
            Files.writeString(config, "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n");
            p.launch(dir.resolve("alertmanager.log"), "prometheus-alertmanager", "--config.file=" + config,
                    "--storage.path=" + dir.resolve("am-data"), "--web.listen-address=127.0.0.1:" + p.alertmanagerPort,
                    "--cluster.listen-address=");
            p.launch(dir.resolve("smtp.log"), "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                    "127.0.0.1:" + p.smtpPort, "-c", "aiosmtpd.handlers.Mailbox", p.maildir().toString());
            await("Alertmanager on " + p.alertmanagerPort, Duration.ofSeconds(30),
                    () -> get(p.alertmanagerUrl() + "/-/ready").contains("OK"));
            await("aiosmtpd on " + p.smtpPort, Duration.ofSeconds(30), () -> listening(p.smtpPort));
            return p;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    private void launch(Path log, String... command) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    public String alertmanagerUrl() {
        return "http://127.0.0.1:" + alertmanagerPort;
    }

    public String smtpUrl() {
        return "smtp://127.0.0.1:" + smtpPort;
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
    }

    public Path maildir() {
        return dir.resolve("maildir");
    }

    /** The webhook answers the next {@code n} requests 503 (and does not record them). */
    public void refuseNext(int n) {
        refuse.set(n);
    }

    /** What the webhook took, in order. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Alertmanager's {@code GET /api/v2/alerts} (the active alerts), or "" while it does not answer. */
    public String alertmanagerAlerts() {
        return get(alertmanagerUrl() + "/api/v2/alerts");
    }

    /** The mails stored so far, oldest first. */
    public List<Mail> mails() {
        Path fresh = maildir().resolve("new");
        try (Stream<Path> files = Files.exists(fresh) ? Files.list(fresh) : Stream.empty()) {
            List<Mail> mails = new ArrayList<>();
            for (Path f : files.toList()) {
                mails.add(new Mail(Files.getLastModifiedTime(f).toInstant(), Files.readString(f)));
            }
            mails.sort(java.util.Comparator.comparing(Mail::at));
            return mails;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The log a peer wrote ({@code alertmanager.log}, {@code smtp.log}). */
    public String log(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    @Override
    public void close() {
        webhook.stop(0);
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Polls until {@code done} holds, failing the test after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
