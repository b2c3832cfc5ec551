package org.edgeorch.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests as the OCI distribution spec writes them: {@code sha256:<64 hex>} (or sha512). */
public final class Digests {

    public static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");

    private Digests() {
    }

    public static void requireValid(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("'" + digest + "' is not a digest this client can verify: expected sha256:<64 lower-case hex digits> (or sha512:<128>)");
        }
    }

    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    public static String algorithm(String digest) {
        return digest.substring(0, digest.indexOf(':'));
    }

    public static String sha256(byte[] bytes) {
        return of("sha256", bytes);
    }

    public static String of(String algorithm, byte[] bytes) {
        return format(algorithm, newDigest(algorithm).digest(bytes));
    }

    public static String format(String algorithm, byte[] hash) {
        return algorithm + ":" + HexFormat.of().formatHex(hash);
    }

    /** Whether {@code bytes} hash to {@code digest}, with the digest's own algorithm. */
    public static boolean matches(String digest, byte[] bytes) {
        return of(algorithm(digest), bytes).equals(digest);
    }

    /** Passes bytes through, hashing them; at the end of the stream, fails unless they hashed to the digest. */
    public static final class VerifyingInputStream extends FilterInputStream {
        private final String expected;
        private final String source;
        private final MessageDigest hash;
        private boolean checked;

        public VerifyingInputStream(InputStream in, String expected, String source) {
            super(in);
            this.expected = expected;
            this.source = source;
            this.hash = newDigest(algorithm(expected));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                check();
            } else {
                hash.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                check();
            } else {
                hash.update(buffer, offset, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes must still be hashed.
            byte[] buffer = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check() throws IOException {
            if (!checked) {
                checked = true;
                String actual = format(algorithm(expected), hash.digest());
                if (!actual.equals(expected)) {
                    throw new DigestMismatchException(source + " does not match its digest: expected " + expected + ", received " + actual);
                }
            }
        }
    }
}
