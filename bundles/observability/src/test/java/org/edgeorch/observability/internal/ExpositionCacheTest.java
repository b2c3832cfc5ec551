package org.edgeorch.observability.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Rendered /metrics pages reused within their time, rendered once for scrapes that come together, per key. */
class ExpositionCacheTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger renders = new AtomicInteger();

    private ExpositionCache.Renderer page(String text) {
        return () -> {
            renders.incrementAndGet();
            return new ExpositionCache.Rendered("text/plain; version=0.0.4", text.getBytes(StandardCharsets.UTF_8));
        };
    }

    @Test
    void aPageIsReusedWithinItsTimeThenRenderedAgain() throws Exception {
        ExpositionCache cache = new ExpositionCache(5_000, nanos::get);
        ExpositionCache.Rendered first = cache.get("global:text", page("a 1\n"));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(4_999));
        assertSame(first, cache.get("global:text", page("a 2\n")));
        assertEquals(1, renders.get());
        assertEquals("a 1\n", new String(cache.get("global:text", page("a 3\n")).body(), StandardCharsets.UTF_8));

        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertArrayEquals("a 4\n".getBytes(StandardCharsets.UTF_8), cache.get("global:text", page("a 4\n")).body());
        assertEquals(2, renders.get());
        // another format, another project's page: each its own
        cache.get("global:openmetrics", page("b\n"));
        cache.get("hosts:p1:text", page("c\n"));
        assertEquals(4, renders.get());
    }

    @Test
    void offRendersEveryScrapeAndAFailureIsNotKept() throws Exception {
        ExpositionCache off = new ExpositionCache(0, nanos::get);
        off.get("global:text", page("a\n"));
        off.get("global:text", page("a\n"));
        assertEquals(2, renders.get());

        ExpositionCache cache = new ExpositionCache(5_000, nanos::get);
        assertThrows(IOException.class, () -> cache.get("global:text", () -> {
            throw new IOException("database down");
        }));
        assertEquals("ok\n", new String(cache.get("global:text", page("ok\n")).body(), StandardCharsets.UTF_8),
                "the next scrape renders again");
    }

    @Test
    void scrapesThatArriveTogetherShareOneRendering() throws Exception {
        ExpositionCache cache = new ExpositionCache(5_000, nanos::get);
        CountDownLatch rendering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            ExpositionCache.Renderer slow = () -> {
                renders.incrementAndGet();
                rendering.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ExpositionCache.Rendered("text/plain", "x 1\n".getBytes(StandardCharsets.UTF_8));
            };
            List<Future<ExpositionCache.Rendered>> scrapes = new ArrayList<>();
            scrapes.add(pool.submit(() -> cache.get("global:text", slow)));
            rendering.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < 7; i++) {
                scrapes.add(pool.submit(() -> cache.get("global:text", slow)));
            }
            release.countDown();
            ExpositionCache.Rendered first = scrapes.get(0).get(30, TimeUnit.SECONDS);
            for (Future<ExpositionCache.Rendered> f : scrapes) {
                assertSame(first, f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, renders.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
