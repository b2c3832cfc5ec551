package org.edgeorch.oci;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run by {@link OciClientTest} in a JVM with a heap smaller than the file: pushes a file, then streams it
 * back and hashes it. If either direction held the file in memory, this JVM would run out of heap.
 * Prints {@code pushed <digest> <last progress>} and {@code read <digest> <bytes>}.
 */
public final class LargeBlobRoundTrip {

    public static void main(String[] args) throws Exception {
        OciClient client = new OciClient(URI.create(args[0]));
        String repo = args[1];
        Path file = Path.of(args[2]);
        AtomicLong progress = new AtomicLong();
        Descriptor pushed = client.pushBlob(repo, file, "application/octet-stream", progress::set);
        System.out.println("pushed " + pushed.digest() + " " + progress.get());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long count = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = client.blob(repo, pushed.digest(), 0)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                count += n;
            }
        }
        System.out.println("read sha256:" + HexFormat.of().formatHex(sha256.digest()) + " " + count);
        System.out.println("max heap " + Runtime.getRuntime().maxMemory());
    }
}
