package org.edgeorch.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

/** A body read through the limit: too large is 413, too slow (as Jetty reports it) is 408, anything else as it was. */
class BodyLimitFilterTest {

    private static InputStream failing(Exception failure) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (failure instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) failure;
            }
        };
    }

    @Test
    void aBodyUnderTheDataRateIs408() {
        var in = new BodyLimitFilter.Limited(failing(new BadMessageException(408, "Request content data rate < 256 B/s")), 10);
        ApiException e = assertThrows(ApiException.class, () -> in.read(new byte[4], 0, 4));
        assertEquals(408, e.error().status());
        assertEquals("request_timeout", e.error().code());
    }

    @Test
    void aBodyThatStopsIs408() {
        var in = new BodyLimitFilter.Limited(failing(new IOException(new TimeoutException("Idle timeout expired"))), 10);
        ApiException e = assertThrows(ApiException.class, in::read);
        assertEquals(408, e.error().status());
    }

    @Test
    void otherFailuresAndOversizeBodiesAreAsBefore() {
        var reset = new BodyLimitFilter.Limited(failing(new IOException("Connection reset")), 10);
        assertEquals("Connection reset", assertThrows(IOException.class, reset::read).getMessage());
        var large = new BodyLimitFilter.Limited(new ByteArrayInputStream(new byte[20]), 10);
        ApiException e = assertThrows(ApiException.class, () -> large.readAllBytes());
        assertEquals(413, e.error().status());
    }
}
