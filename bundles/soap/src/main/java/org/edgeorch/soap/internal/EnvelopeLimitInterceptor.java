package org.edgeorch.soap.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.servlet.http.HttpServletRequest;

import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.io.DelegatingInputStream;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.transport.http.AbstractHTTPDestination;

/**
 * Refuses an envelope larger than the configured limit before it is parsed: at once when the request declares a
 * larger {@code Content-Length}, and otherwise as soon as the body read so far passes the limit, so an oversized
 * envelope is never held whole in memory. The fault says what the limit is and echoes nothing of the envelope.
 */
final class EnvelopeLimitInterceptor extends AbstractPhaseInterceptor<Message> {

    private static final String EXCEEDED = EnvelopeLimitInterceptor.class.getName() + ".exceeded";

    private final long maxBytes;

    EnvelopeLimitInterceptor(long maxBytes) {
        super(Phase.RECEIVE);
        this.maxBytes = maxBytes;
    }

    @Override
    public void handleMessage(Message message) {
        Object request = message.get(AbstractHTTPDestination.HTTP_REQUEST);
        long declared = request instanceof HttpServletRequest http ? http.getContentLengthLong() : -1;
        if (declared > maxBytes) {
            message.getExchange().put(EXCEEDED, maxBytes);
            // Nothing of the body is read, so the connection cannot carry another request.
            if (message.get(AbstractHTTPDestination.HTTP_RESPONSE) instanceof javax.servlet.http.HttpServletResponse response) {
                response.setHeader("Connection", "close");
            }
            // Before it answers, CXF reads what is left of the request (up to 16 MiB, so that a client still sending
            // is not blocked): here there is nothing it should read.
            DelegatingInputStream body = message.getContent(DelegatingInputStream.class);
            if (body != null) {
                body.setInputStream(InputStream.nullInputStream());
            }
            Fault refused = new Fault(new TooLarge(maxBytes));
            refused.setStatusCode(413);
            throw refused;
        }
        // The limit applies to every reader of the body: the parser, and CXF reading the rest before it answers.
        DelegatingInputStream body = message.getContent(DelegatingInputStream.class);
        if (body != null) {
            body.setInputStream(new Limited(body.getInputStream(), maxBytes, message.getExchange()));
        } else if (message.getContent(InputStream.class) != null) {
            message.setContent(InputStream.class, new Limited(message.getContent(InputStream.class), maxBytes, message.getExchange()));
        }
    }

    /** The limit the exchange's request passed, or null when it did not. */
    static Long exceeded(Exchange exchange) {
        return exchange == null ? null : (Long) exchange.get(EXCEEDED);
    }

    /** The text of the refusal. */
    static String refusal(long maxBytes) {
        return "the envelope is larger than the limit of " + maxBytes + " bytes";
    }

    /** The envelope is larger than the limit. */
    static final class TooLarge extends IOException {

        private static final long serialVersionUID = 1L;

        TooLarge(long maxBytes) {
            super(refusal(maxBytes));
        }
    }

    private static final class Limited extends FilterInputStream {

        private final long maxBytes;
        private final Exchange exchange;
        private long read;

        Limited(InputStream in, long maxBytes, Exchange exchange) {
            super(in);
            this.maxBytes = maxBytes;
            this.exchange = exchange;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                exchange.put(EXCEEDED, maxBytes);
                throw new TooLarge(maxBytes);
            }
        }
    }
}
