package org.edgeorch.agent.localshell.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a TCP port for a server that is not running yet, and starts that server on the port's first connection.
 * The first client is accepted here; the port is then released, {@code startServer} is run (it must make the real
 * server listen on the same address), and once the server accepts, the first client's bytes are relayed to it
 * until either side closes. Later clients connect to the real server directly. A client that connects in the
 * moment between the release and the real server's bind is refused, as when no server runs: clients retry.
 */
final class FirstConnectionHandover implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FirstConnectionHandover.class);

    private final InetSocketAddress address;
    private final Runnable startServer;
    private final Duration serverDeadline;
    private final ServerSocketChannel listener;
    private final ExecutorService threads;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean handedOver;

    /**
     * Binds {@code address} at once (an {@link IOException} if it is taken) and waits for the first connection on a
     * thread of its own.
     */
    FirstConnectionHandover(InetSocketAddress address, Runnable startServer, Duration serverDeadline) throws IOException {
        this.startServer = startServer;
        this.serverDeadline = serverDeadline;
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        this.address = (InetSocketAddress) listener.getLocalAddress();
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "edge-local-shell-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::awaitFirstClient);
    }

    /** The address held (with the port the system chose when 0 was asked for). */
    InetSocketAddress address() {
        return address;
    }

    /** Whether the first client came and the port was handed to the real server. */
    boolean handedOver() {
        return handedOver;
    }

    private void awaitFirstClient() {
        SocketChannel first;
        try {
            first = listener.accept();
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("Local shell: stopped waiting on {} ({})", address, e.getMessage());
            }
            return;
        }
        open.add(first);
        closeQuietly(listener);
        handedOver = true;
        try {
            startServer.run();
        } catch (RuntimeException e) {
            LOG.warn("Local shell: the SSH server did not start on {}: {}", address, e.getMessage());
            closeQuietly(first);
            return;
        }
        SocketChannel upstream = connectWithin(serverDeadline);
        LOG.debug("Local shell: relaying the first client to {}", upstream);
        if (upstream == null) {
            if (!closed) {
                LOG.warn("Local shell: the SSH server did not listen on {} within {} s; the first client was disconnected",
                        address, serverDeadline.toSeconds());
            }
            closeQuietly(first);
            return;
        }
        relay(first, upstream);
    }

    /** Connects to the real server on the held address, polling until it listens or the deadline passes. */
    private SocketChannel connectWithin(Duration deadline) {
        InetSocketAddress target = address.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), address.getPort()) : address;
        long end = System.nanoTime() + deadline.toNanos();
        while (!closed) {
            try {
                SocketChannel channel = SocketChannel.open(target);
                open.add(channel);
                return channel;
            } catch (IOException notYet) {
                if (System.nanoTime() - end > 0) {
                    return null;
                }
                try {
                    Thread.sleep(50); // polling the server's bind, bounded by the deadline above
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    private void relay(SocketChannel client, SocketChannel server) {
        AtomicInteger directions = new AtomicInteger(2);
        Runnable done = () -> {
            if (directions.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(server);
                open.remove(client);
                open.remove(server);
            }
        };
        threads.execute(() -> copy(server, client, done));
        copy(client, server, done);
    }

    private static void copy(SocketChannel from, SocketChannel to, Runnable done) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            LOG.debug("Local shell: relay ended: {}", e.toString());
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            done.run();
        }
    }

    /** Releases the port if no client came yet, and ends a relay still running. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        open.forEach(FirstConnectionHandover::closeQuietly);
        threads.shutdownNow();
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
