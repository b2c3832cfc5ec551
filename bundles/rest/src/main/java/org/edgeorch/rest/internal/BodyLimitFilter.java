package org.edgeorch.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.Response;

import org.edgeorch.http.ClientLimits;

/**
 * Refuses request bodies over {@link #MAX_BYTES} ({@link #MAX_IMPORT_BYTES} for CSV host imports,
 * {@link #MAX_NOTIFICATION_BYTES} for the release registry's notification envelopes, which batch events),
 * declared or streamed, with 413 before they are parsed; and a body that comes too slowly or stops (Jetty's minimum
 * data rate or idle timeout, see {@link ClientLimits}) with 408.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyLimitFilter implements ContainerRequestFilter {

    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_IMPORT_BYTES = 16 * 1024 * 1024;
    static final int MAX_NOTIFICATION_BYTES = 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        long max = max(request.getUriInfo().getPath());
        if (request.getLength() > max) {
            throw tooLarge(max);
        }
        request.setEntityStream(new Limited(request.getEntityStream(), max));
    }

    static long max(String path) {
        if (path.endsWith("hosts/import")) {
            return MAX_IMPORT_BYTES;
        }
        return path.endsWith(ReleaseResource.NOTIFICATIONS) ? MAX_NOTIFICATION_BYTES : MAX_BYTES;
    }

    static ApiException tooLarge(long max) {
        return new ApiException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "request bodies may be at most " + max + " bytes here", List.of());
    }

    static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                throw slow(e);
            } catch (RuntimeException e) {
                throw slow(e);
            }
            if (b >= 0) {
                check(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(buffer, off, len);
            } catch (IOException e) {
                throw slow(e);
            } catch (RuntimeException e) {
                throw slow(e);
            }
            if (n > 0) {
                check(n);
            }
            return n;
        }

        /** A body that came too slowly or stopped is the client's 408; anything else goes on as it was. */
        private static <E extends Exception> E slow(E e) {
            if (e instanceof ApiException || !ClientLimits.timedOut(e)) {
                return e;
            }
            throw new ApiException(Response.Status.REQUEST_TIMEOUT, "request_timeout", ClientLimits.timeoutMessage(),
                    List.of());
        }

        private void check(int n) {
            count += n;
            if (count > max) {
                throw tooLarge(max);
            }
        }
    }
}
