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

/**
 * Refuses request bodies over {@link #MAX_BYTES} ({@link #MAX_IMPORT_BYTES} for CSV host imports,
 * {@link #MAX_NOTIFICATION_BYTES} for the release registry's notification envelopes, which batch events),
 * declared or streamed, with 413 before they are parsed.
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

    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                check(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) {
                check(n);
            }
            return n;
        }

        private void check(int n) {
            count += n;
            if (count > max) {
                throw tooLarge(max);
            }
        }
    }
}
