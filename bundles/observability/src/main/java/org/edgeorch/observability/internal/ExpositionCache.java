package org.edgeorch.observability.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Rendered expositions, reused for {@code ttlMillis}: a scrape within that time of the last render of the same
 * endpoint and format gets the same bytes instead of a new snapshot of every collector and a new text rendering
 * (with 5,000 hosts a per-host page is a database read and some 10,000 series). Scrapes that arrive while one renders
 * wait for that render rather than starting their own. 0 turns the cache off. Keys are bounded by the caller: the
 * global endpoint's formats, and a project's per-host page per format (only after the caller is authorised for it).
 */
final class ExpositionCache {

    /** A rendered page: its content type and bytes. */
    record Rendered(String contentType, byte[] body) {
    }

    /** Renders a page; may fail with an I/O or runtime error, which the waiting scrapes see too and nothing caches. */
    interface Renderer {
        Rendered render() throws IOException;
    }

    private record Entry(CompletableFuture<Rendered> page, long renderedAt) {
    }

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ExpositionCache(long ttlMillis, LongSupplier nanoClock) {
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    Rendered get(String key, Renderer renderer) throws IOException {
        if (ttlNanos <= 0) {
            return renderer.render();
        }
        long now = nanoClock.getAsLong();
        Entry current = entries.get(key);
        if (current == null || now - current.renderedAt() >= ttlNanos) {
            Entry mine = new Entry(new CompletableFuture<>(), now);
            boolean won = current == null ? entries.putIfAbsent(key, mine) == null : entries.replace(key, current, mine);
            if (won) {
                evictStale();
                try {
                    mine.page().complete(renderer.render());
                } catch (IOException | RuntimeException | Error e) {
                    entries.remove(key, mine);
                    mine.page().completeExceptionally(e);
                    throw e;
                }
                return mine.page().join();
            }
            current = entries.get(key);
            if (current == null) {
                return renderer.render();
            }
        }
        try {
            return current.page().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while another scrape rendered the page", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException(new IOException(String.valueOf(cause), cause));
        }
    }

    /** Pages per-host endpoints of projects no longer scraped would otherwise keep: dropped when stale. */
    void evictStale() {
        long now = nanoClock.getAsLong();
        entries.entrySet().removeIf(e -> now - e.getValue().renderedAt() >= ttlNanos && e.getValue().page().isDone());
    }
}
