package org.edgeorch.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;


/**
 * Large blobs straight into a file, at the speed of the disk rather than of an {@code InputStream}: Jetty's
 * HTTP client reads the socket into 1 MiB buffers on its own thread, the bytes are copied into a ring of
 * chunks and handed on, the caller's thread hashes each chunk once (that one hash is both the registry
 * digest check and the caller's own), and a writer thread writes it to the file; a flusher forces the file
 * to disk every {@value #FLUSH_EVERY_MIB} MiB in the background so that the final fsync has little left to
 * do. Reading, hashing and writing overlap; the ring bounds the memory to {@value #CHUNKS} MiB per download.
 *
 * <p>Jetty's client rather than the JDK's: on this project's 2-core machine the JDK client alone delivers
 * 850 MB/s from a loopback registry, Jetty's 2 GB/s (bench/README.md), and hashing is the ceiling either way.
 */
final class BlobDownload implements AutoCloseable {

    static final int CHUNK_BYTES = 1 << 20;
    static final int CHUNKS = 16;
    static final int FLUSH_EVERY_MIB = 64;
    private static final int MAX_ERROR_BYTES = 64 << 10;
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final Duration idleTimeout;

    BlobDownload(Duration connectTimeout, Duration idleTimeout, SSLContext tls) {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        if (tls != null) {
            ssl.setSslContext(tls);
        }
        QueuedThreadPool threads = new QueuedThreadPool(8, 1, 60_000);
        threads.setName("oci-blob");
        threads.setDaemon(true);
        HttpClient client = new HttpClient(ssl);
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setResponseBufferSize(CHUNK_BYTES);
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new OciException("cannot start the HTTP client for blob downloads: " + e.getMessage(), e);
        }
        this.http = client;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Fetches {@code uri} into {@code target} at its position, redirects followed (the authorization sent only to
     * {@code origin}).
     *
     * @param expectStatus 200 for the whole blob, 206 for a range
     * @param maxBytes     the most the body may hold; more fails
     * @param hash         every byte received is added to it, once
     * @return the number of bytes written
     */
    long fetch(URI uri, String range, String authorization, Predicate<URI> origin, int expectStatus,
               long maxBytes, FileChannel target, MessageDigest hash, String what) throws IOException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            Transfer transfer = new Transfer(target, hash, maxBytes, expectStatus);
            Request request = http.newRequest(current).method(HttpMethod.GET).idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (range != null) {
                request.header(HttpHeader.RANGE, range);
            }
            if (authorization != null && origin.test(current)) {
                request.header(HttpHeader.AUTHORIZATION, authorization);
            }
            transfer.run(request, what);
            int status = transfer.status;
            if (status == expectStatus) {
                if (status == 206) {
                    transfer.requireContentRange(range, what);
                }
                return transfer.written;
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                if (redirects == MAX_REDIRECTS) {
                    throw new OciException(what + ": more than " + MAX_REDIRECTS + " redirects", status, null, null);
                }
                String location = transfer.location;
                if (location == null) {
                    throw new OciException(what + ": a redirect without Location", status, null, null);
                }
                current = current.resolve(location);
                continue;
            }
            if (status == 200 && expectStatus == 206) {
                throw new OciException(what + ": the registry ignored the Range request (200 instead of 206)", 200, null, null);
            }
            throw transfer.refusal(what);
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // Stopping daemon threads of a client given up on: nothing to report.
        }
    }

    /** One request: Jetty's thread fills chunks, the caller hashes them, a writer thread writes them. */
    private static final class Transfer {
        private static final ByteBuffer END = ByteBuffer.allocate(0);

        private final FileChannel target;
        private final MessageDigest hash;
        private final long maxBytes;
        private final int expectStatus;
        private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(CHUNKS);
        private final BlockingQueue<ByteBuffer> toHash = new ArrayBlockingQueue<>(CHUNKS + 1);
        private final BlockingQueue<ByteBuffer> toWrite = new ArrayBlockingQueue<>(CHUNKS + 1);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CompletableFuture<Result> done = new CompletableFuture<>();
        private final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
        private volatile int status;
        private volatile String challenge;
        private volatile String location;
        private volatile String contentRange;
        private ByteBuffer filling;
        private long received;
        private volatile long written;

        Transfer(FileChannel target, MessageDigest hash, long maxBytes, int expectStatus) {
            this.target = target;
            this.hash = hash;
            this.maxBytes = maxBytes;
            this.expectStatus = expectStatus;
            for (int i = 0; i < CHUNKS; i++) {
                free.add(ByteBuffer.allocateDirect(CHUNK_BYTES));
            }
        }

        void run(Request request, String what) throws IOException {
            request.onResponseHeaders(response -> {
                status = response.getStatus();
                location = response.getHeaders().get(HttpHeader.LOCATION);
                contentRange = response.getHeaders().get(HttpHeader.CONTENT_RANGE);
                challenge = response.getHeaders().get(HttpHeader.WWW_AUTHENTICATE);
                if (status == expectStatus) {
                    long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH.asString());
                    if (length > maxBytes) {
                        response.abort(new DigestMismatchException(what + ": the registry announces " + length
                                + " bytes, more than the " + maxBytes + " expected"));
                    }
                }
            });
            request.onResponseContentAsync((response, content, callback) -> {
                try {
                    if (status == expectStatus) {
                        accept(content);
                    } else if (errorBody.size() < MAX_ERROR_BYTES) {
                        byte[] bytes = new byte[Math.min(content.remaining(), MAX_ERROR_BYTES - errorBody.size())];
                        content.get(bytes);
                        errorBody.write(bytes, 0, bytes.length);
                    }
                    callback.succeeded();
                } catch (Throwable t) {
                    callback.failed(t);
                }
            });
            Thread writer = new Thread(this::writeLoop, "oci-blob-writer");
            writer.setDaemon(true);
            writer.start();
            Flusher flusher = new Flusher(target);
            try {
                request.send(result -> {
                    if (result.isSucceeded() && status == expectStatus && filling != null && filling.position() > 0) {
                        toHash.add(filling.flip());
                    }
                    filling = null;
                    toHash.add(END);
                    done.complete(result);
                });
                hashLoop(flusher);
                Result result = done.get();
                if (result.isFailed()) {
                    fail(result.getFailure());
                }
                writer.join();
                flusher.awaitIdle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new InterruptedIOException("interrupted while downloading"));
                request.abort(failure.get());
            } catch (ExecutionException e) {
                fail(e.getCause());
            } catch (RuntimeException e) {
                fail(e);
            } finally {
                if (failure.get() != null) {
                    request.abort(failure.get());
                    toWrite.offer(END);
                    writer.interrupt();
                    joinQuietly(writer);
                }
                flusher.close();
            }
            Throwable t = failure.get();
            if (t instanceof OciException oci) {
                throw oci;
            }
            if (t instanceof IOException io) {
                throw io;
            }
            if (t != null) {
                throw new OciException(what + ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()), t);
            }
        }

        /** On Jetty's thread: the content into chunks, a chunk handed on when full. */
        private void accept(ByteBuffer content) throws InterruptedException, DigestMismatchException {
            received += content.remaining();
            if (received > maxBytes) {
                throw new DigestMismatchException("the registry sent more than the " + maxBytes + " bytes expected");
            }
            while (content.hasRemaining()) {
                if (filling == null) {
                    filling = take(free);
                    filling.clear();
                }
                int n = Math.min(filling.remaining(), content.remaining());
                ByteBuffer slice = content.slice();
                slice.limit(n);
                filling.put(slice);
                content.position(content.position() + n);
                if (!filling.hasRemaining()) {
                    toHash.put(filling.flip());
                    filling = null;
                }
            }
        }

        private ByteBuffer take(BlockingQueue<ByteBuffer> queue) throws InterruptedException {
            while (true) {
                ByteBuffer b = queue.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
                if (failure.get() != null) {
                    throw new IllegalStateException("the download failed", failure.get());
                }
            }
        }

        /** On the caller's thread: the one hash pass, in order. */
        private void hashLoop(Flusher flusher) throws InterruptedException {
            while (true) {
                ByteBuffer chunk = take(toHash);
                if (chunk == END) {
                    toWrite.put(END);
                    return;
                }
                hash.update(chunk.duplicate());
                toWrite.put(chunk);
                flusher.poke(written);
            }
        }

        private void writeLoop() {
            try {
                while (true) {
                    ByteBuffer chunk = take(toWrite);
                    if (chunk == END) {
                        return;
                    }
                    while (chunk.hasRemaining()) {
                        written += target.write(chunk);
                    }
                    free.put(chunk);
                }
            } catch (InterruptedException e) {
                fail(new InterruptedIOException("interrupted while writing"));
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void fail(Throwable t) {
            failure.compareAndSet(null, t instanceof IllegalStateException && t.getCause() != null ? t.getCause() : t);
        }

        void requireContentRange(String range, String what) {
            String offset = range.substring("bytes=".length(), range.indexOf('-'));
            if (contentRange == null || !contentRange.matches("bytes " + offset + "-\\d+/(\\d+|\\*)")) {
                throw new OciException(what + ": the registry sent the range '" + contentRange + "'", 206, null, null);
            }
        }

        OciException refusal(String what) {
            return OciClient.refusal(what, status, errorBody.toByteArray(), challenge == null ? "" : challenge);
        }

        private static void joinQuietly(Thread t) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Forces the file to disk in the background every {@value #FLUSH_EVERY_MIB} MiB written, so that dirty pages
     * go out while the download runs instead of all at the final fsync (which the caller still does).
     */
    private static final class Flusher implements AutoCloseable {
        private final FileChannel target;
        private Thread running;
        private long lastFlushed;

        Flusher(FileChannel target) {
            this.target = target;
        }

        void poke(long written) {
            if (written - lastFlushed < ((long) FLUSH_EVERY_MIB << 20) || running != null && running.isAlive()) {
                return;
            }
            lastFlushed = written;
            running = new Thread(() -> {
                try {
                    target.force(false);
                } catch (IOException e) {
                    // The caller's final force reports a disk that fails.
                }
            }, "oci-blob-flush");
            running.setDaemon(true);
            running.start();
        }

        void awaitIdle() throws InterruptedException {
            if (running != null) {
                running.join();
            }
        }

        @Override
        public void close() {
            try {
                awaitIdle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
