package org.edgeorch.observability.internal.alert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Just enough SMTP (RFC 5321) to hand one plain-text mail to a relay: EHLO, AUTH PLAIN when a user is given, MAIL,
 * RCPT, DATA with dot-stuffing, QUIT. A reply outside the expected class fails with the server's words (never the
 * password, which is sent only inside AUTH).
 */
final class SmtpClient {

    private static final int TIMEOUT_MS = 10_000;

    private SmtpClient() {
    }

    static void send(String host, int port, String user, String password, String from, List<String> to, String subject,
                     String body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            expect(in, 2, "greeting");
            command(out, "EHLO edgeorch");
            expect(in, 2, "EHLO");
            if (user != null && !user.isBlank()) {
                String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + (password == null ? "" : password))
                        .getBytes(StandardCharsets.UTF_8));
                command(out, "AUTH PLAIN " + token);
                expect(in, 2, "AUTH");
            }
            command(out, "MAIL FROM:<" + address(from) + ">");
            expect(in, 2, "MAIL FROM");
            for (String r : to) {
                command(out, "RCPT TO:<" + address(r) + ">");
                expect(in, 2, "RCPT TO " + r);
            }
            command(out, "DATA");
            expect(in, 3, "DATA");
            StringBuilder msg = new StringBuilder();
            msg.append("From: ").append(from).append("\r\n");
            msg.append("To: ").append(String.join(", ", to)).append("\r\n");
            msg.append("Subject: ").append(subject.replaceAll("[\\r\\n]", " ")).append("\r\n");
            msg.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
            for (String line : body.split("\\r?\\n", -1)) {
                msg.append(line.startsWith(".") ? "." + line : line).append("\r\n");
            }
            msg.append(".\r\n");
            out.write(msg.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            expect(in, 2, "message");
            command(out, "QUIT");
        }
    }

    private static String address(String a) {
        if (a == null || a.isBlank() || a.contains("<") || a.contains(">") || a.contains("\r") || a.contains("\n")) {
            throw new IllegalArgumentException("not a mail address: " + org.edgeorch.platform.Inputs.prefix(a));
        }
        return a.strip();
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads a (multi-line) reply and fails unless its code is of the class expected (2xx, 3xx). */
    private static void expect(BufferedReader in, int klass, String step) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("the SMTP server closed the connection at " + step);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (line.isEmpty() || line.charAt(0) != (char) ('0' + klass)) {
            throw new IOException("the SMTP server refused " + step + ": " + org.edgeorch.platform.Inputs.prefix(line));
        }
    }
}
