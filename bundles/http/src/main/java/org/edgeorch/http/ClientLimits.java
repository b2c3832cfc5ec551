package org.edgeorch.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.ChannelEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one slow or greedy client may hold of a Jetty connector, so that it cannot freeze the port for the others.
 *
 * <ul>
 * <li>Bodies: Jetty's own minimum request data rate ({@link HttpConfiguration#setMinRequestDataRate}) refuses a body
 * trickled slower than {@link Settings#minRequestBytesPerSecond()} with 408, and the connector's idle timeout ends a
 * body that stops; a reader maps either to 408 with {@link #timedOut(Throwable)}.</li>
 * <li>Headers: Jetty parses headers without a thread but lets each byte restart the idle timeout, so a header block
 * trickled byte by byte could hold its connection for ever: a connection whose header block is not complete within
 * {@link Settings#headerTimeout()} is closed.</li>
 * <li>Connections per client address over {@link Settings#maxConnectionsPerAddress()} are closed as they are
 * accepted; requests in progress per client address over {@link Settings#maxRequestsPerAddress()} are answered 429
 * with the product's error body before any handler or servlet runs, so one address cannot take every thread.</li>
 * </ul>
 *
 * Everything here is Jetty's own extension points (a connection listener, a request customizer, the connector's
 * scheduler); nothing wraps or replaces a handler, so it can be added to a server that is already running (the web
 * container's).
 */
public final class ClientLimits {

    private static final Logger LOG = LoggerFactory.getLogger(ClientLimits.class);
    /** How often a refusal for one address is logged at INFO: a flood must not flood the log as well. */
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * The limits of one connector. A value of 0 or less switches that limit off.
     *
     * @param idleTimeout how long a connection may send nothing, between requests and within one
     * @param headerTimeout how long a request's header block may take from its first byte to its last
     * @param minRequestBytesPerSecond the slowest a body may arrive, averaged from its first byte
     * @param maxConnectionsPerAddress connections one client address may hold open at once
     * @param maxRequestsPerAddress requests one client address may have in progress at once
     */
    public record Settings(Duration idleTimeout, Duration headerTimeout, long minRequestBytesPerSecond,
            int maxConnectionsPerAddress, int maxRequestsPerAddress) {

        public Settings {
            if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("the idle timeout must be positive");
            }
            if (headerTimeout == null) {
                headerTimeout = Duration.ZERO;
            }
        }
    }

    private final String name;
    private final Settings settings;
    private final JsonErrorHandler errors;
    private final Map<InetAddress, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<HttpConnection, HeaderMark> parsing = new ConcurrentHashMap<>();
    /** The request each connection has in progress, released when it completes or, if it never does, on close. */
    private final Map<org.eclipse.jetty.io.EndPoint, Held> inProgress = new ConcurrentHashMap<>();
    private final Map<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong refusedRequests = new AtomicLong();
    private final AtomicLong headerTimeouts = new AtomicLong();

    private final ConnectionCap connectionCap = new ConnectionCap();
    private final RequestCap requestCap = new RequestCap();
    private final Completion completion = new Completion();
    private volatile ServerConnector connector;
    private volatile Scheduler.Task sweep;

    private ClientLimits(String name, Settings settings, JsonErrorHandler errors) {
        this.name = name;
        this.settings = settings;
        this.errors = errors;
    }

    /**
     * Applies {@code settings} to {@code connector}, before or after it started: new connections and requests get
     * them, those already open keep what they had. {@code errors} writes the 429's body. Undo with {@link #remove()}.
     */
    public static ClientLimits apply(String name, ServerConnector connector, Settings settings, JsonErrorHandler errors) {
        ClientLimits limits = new ClientLimits(name, settings, errors);
        limits.install(connector);
        return limits;
    }

    private void install(ServerConnector on) {
        connector = on;
        on.setIdleTimeout(settings.idleTimeout().toMillis());
        HttpConnectionFactory http = on.getConnectionFactory(HttpConnectionFactory.class);
        if (http != null) {
            HttpConfiguration config = http.getHttpConfiguration();
            config.setMinRequestDataRate(Math.max(0, settings.minRequestBytesPerSecond()));
            config.addCustomizer(requestCap);
        }
        // Connection listeners are looked up on the connector as each connection is made, so a bean added to a
        // running connector counts from its next connection on.
        on.addBean(connectionCap, false);
        // likewise the request listeners, for each new connection's channel
        on.addBean(completion, false);
        if (!settings.headerTimeout().isZero() && !settings.headerTimeout().isNegative()) {
            scheduleSweep();
        }
        LOG.info("{}: idle timeout {} ms, header timeout {} ms, bodies at least {} B/s, at most {} connections and {}"
                + " requests in progress per client address", name, settings.idleTimeout().toMillis(),
                settings.headerTimeout().toMillis(), settings.minRequestBytesPerSecond(),
                settings.maxConnectionsPerAddress(), settings.maxRequestsPerAddress());
    }

    /** Takes the limits off the connector again (the idle timeout and data rate stay as they are). */
    public void remove() {
        ServerConnector on = connector;
        connector = null;
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        if (on != null) {
            on.removeBean(connectionCap);
            on.removeBean(completion);
            HttpConnectionFactory http = on.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                http.getHttpConfiguration().getCustomizers().remove(requestCap);
            }
        }
        parsing.clear();
    }

    public Settings settings() {
        return settings;
    }

    /** Connections closed as they were accepted because their address held too many already. */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    /** Requests answered 429 because their address had too many in progress. */
    public long refusedRequests() {
        return refusedRequests.get();
    }

    /** Connections closed because a header block took longer than the header timeout. */
    public long headerTimeouts() {
        return headerTimeouts.get();
    }

    /** Requests in progress from {@code address} now. */
    public int requestsInProgress(InetAddress address) {
        AtomicInteger n = requests.get(address);
        return n == null ? 0 : n.get();
    }

    /** Connections open from {@code address} now. */
    public int connectionsOpen(InetAddress address) {
        AtomicInteger n = connections.get(address);
        return n == null ? 0 : n.get();
    }

    /**
     * Whether {@code failure}, thrown while a request body was read, says that the body came too slowly or stopped
     * coming: Jetty's data rate refusal (a 408 {@link BadMessageException}) or its idle timeout (an exception caused by
     * a {@link TimeoutException}), in whatever a reader wrapped them.
     */
    public static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadMessageException bad && bad.getCode() == 408) {
                return true;
            }
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The message of a 408 for a body that came too slowly or stopped. */
    public static String timeoutMessage() {
        return "the request body was not received in time; send it whole, without pauses";
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    private boolean shouldLog(InetAddress address) {
        long now = System.nanoTime();
        Long last = lastLogged.get(address);
        if (last != null && now - last < LOG_EVERY_NANOS) {
            return false;
        }
        if (lastLogged.size() > 10_000) {
            lastLogged.clear();
        }
        lastLogged.put(address, now);
        return true;
    }

    private static void release(Map<InetAddress, AtomicInteger> counts, InetAddress address) {
        counts.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Counts one more for {@code address} unless it has {@code max} already; true when it was counted. */
    private static boolean acquire(Map<InetAddress, AtomicInteger> counts, InetAddress address, int max) {
        boolean[] counted = {false};
        counts.compute(address, (a, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            if (max <= 0 || count.get() < max) {
                count.incrementAndGet();
                counted[0] = true;
            }
            return count.get() == 0 ? null : count;
        });
        return counted[0];
    }

    /** Counts the network connections of each address and closes those over the cap as they open. */
    final class ConnectionCap implements Connection.Listener {

        /** The network connections counted (the TLS one of a TLS connector, the HTTP one of a plain one). */
        private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();

        @Override
        public void onOpened(Connection connection) {
            if (connection instanceof HttpConnection http && !settings.headerTimeout().isZero()) {
                parsing.put(http, HeaderMark.NONE);
            }
            if (!(connection.getEndPoint() instanceof ChannelEndPoint)) {
                return; // a connection over another (HTTP over TLS): its network connection is counted
            }
            InetAddress address = address(connection.getEndPoint().getRemoteAddress());
            if (address == null) {
                return;
            }
            if (acquire(connections, address, settings.maxConnectionsPerAddress())) {
                counted.put(connection, address);
                return;
            }
            refusedConnections.incrementAndGet();
            if (shouldLog(address)) {
                LOG.info("{}: closed a connection from {}, which holds {} already (the limit per address)", name,
                        address.getHostAddress(), settings.maxConnectionsPerAddress());
            }
            connection.getEndPoint().close();
        }

        @Override
        public void onClosed(Connection connection) {
            if (connection instanceof HttpConnection http) {
                parsing.remove(http);
            }
            Held held = inProgress.remove(connection.getEndPoint());
            if (held != null) {
                held.release(); // an aborted request is not always completed
            }
            InetAddress address = counted.remove(connection);
            if (address != null) {
                release(connections, address);
            }
        }
    }

    /** Admits a request when its address has fewer than the cap in progress, else answers 429 before any handler. */
    final class RequestCap implements HttpConfiguration.Customizer {

        @Override
        public void customize(org.eclipse.jetty.server.Connector on, HttpConfiguration config, Request request) {
            InetAddress address = address(request.getHttpChannel().getRemoteAddress());
            if (address == null || settings.maxRequestsPerAddress() <= 0) {
                return;
            }
            if (acquire(requests, address, settings.maxRequestsPerAddress())) {
                Held held = new Held(address);
                org.eclipse.jetty.io.EndPoint endPoint = request.getHttpChannel().getEndPoint();
                Held previous = inProgress.put(endPoint, held);
                if (previous != null) {
                    previous.release();
                }
                if (!endPoint.isOpen() && inProgress.remove(endPoint, held)) {
                    held.release(); // closed while it was admitted: onClosed may have run before it was put
                }
                return;
            }
            refusedRequests.incrementAndGet();
            if (shouldLog(address)) {
                LOG.info("{}: answered 429 to {}, which has {} requests in progress already (the limit per address)",
                        name, address.getHostAddress(), settings.maxRequestsPerAddress());
            }
            request.setHandled(true);
            try {
                // what is left of its body is not read: the connection cannot carry another request
                request.getResponse().setHeader(HttpHeader.CONNECTION.asString(), "close");
                request.getResponse().setHeader(HttpHeader.RETRY_AFTER.asString(), "1");
                errors.write(request.getResponse(), 429, null);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: the 429 to {} failed: {}", name, address.getHostAddress(), e.toString());
            }
        }
    }

    /** Releases a request's place when it completes. */
    final class Completion implements HttpChannel.Listener {
        @Override
        public void onComplete(Request request) {
            Held held = inProgress.remove(request.getHttpChannel().getEndPoint());
            if (held != null) {
                held.release();
            }
        }
    }

    /** One request counted against its address, released once whichever way it ends. */
    private final class Held {
        private final InetAddress address;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        Held(InetAddress address) {
            this.address = address;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                ClientLimits.release(requests, address);
            }
        }
    }

    /** Since when a connection has been in the header block of its request number {@code messages}. */
    private record HeaderMark(long messages, long since) {
        static final HeaderMark NONE = new HeaderMark(-1, 0);
    }

    private void scheduleSweep() {
        ServerConnector on = connector;
        if (on == null) {
            return;
        }
        Scheduler scheduler = on.getScheduler();
        if (!scheduler.isRunning()) {
            // not started yet: the first sweep waits until it is
            on.addLifeCycleListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarted(LifeCycle event) {
                    on.removeLifeCycleListener(this);
                    scheduleSweep();
                }
            });
            return;
        }
        long every = Math.max(100, Math.min(1000, settings.headerTimeout().toMillis() / 4));
        sweep = scheduler.schedule(() -> {
            try {
                sweepHeaders();
            } finally {
                if (connector != null) {
                    scheduleSweep();
                }
            }
        }, every, TimeUnit.MILLISECONDS);
    }

    /** Closes the connections whose current header block has taken longer than the header timeout. */
    void sweepHeaders() {
        long now = System.nanoTime();
        long limit = settings.headerTimeout().toNanos();
        for (var entry : parsing.entrySet()) {
            HttpConnection http = entry.getKey();
            if (!http.getEndPoint().isOpen()) {
                parsing.remove(http);
                continue;
            }
            HttpParser parser = http.getParser();
            if (parser.isStart() || !parser.inHeaderState()) {
                entry.setValue(HeaderMark.NONE); // waiting for a request (the idle timeout's business), or past its headers
                continue;
            }
            long messages = http.getMessagesIn();
            HeaderMark mark = entry.getValue();
            if (mark.messages() != messages) {
                entry.setValue(new HeaderMark(messages, now));
            } else if (now - mark.since() > limit) {
                headerTimeouts.incrementAndGet();
                parsing.remove(http);
                InetAddress address = address(http.getEndPoint().getRemoteAddress());
                if (address != null && shouldLog(address)) {
                    LOG.info("{}: closed a connection from {} whose request headers took over {} ms", name,
                            address.getHostAddress(), settings.headerTimeout().toMillis());
                }
                http.getEndPoint().close();
            }
        }
    }
}
