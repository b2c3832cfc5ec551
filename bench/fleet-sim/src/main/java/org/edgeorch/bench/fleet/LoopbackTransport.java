package org.edgeorch.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.http.HttpClientTransportOverHTTP;

/**
 * Jetty's HTTP/1.1 transport, binding each connection's source to the loopback address it connects to (127.x.y.z):
 * the orchestrator then sees each simulated host at its own address, as it would see real hosts, so a per-address
 * connection cap or log line treats them as distinct. Jetty calls {@link #configure} on the connecting thread, between
 * opening the channel and connecting it.
 */
final class LoopbackTransport extends HttpClientTransportOverHTTP {

    private static final ThreadLocal<InetSocketAddress> CONNECTING = new ThreadLocal<>();

    LoopbackTransport(int selectors) {
        super(selectors);
    }

    @Override
    public void connect(InetSocketAddress address, Map<String, Object> context) {
        CONNECTING.set(address);
        try {
            super.connect(address, context);
        } finally {
            CONNECTING.remove();
        }
    }

    @Override
    protected void configure(HttpClient client, SocketChannel channel) throws IOException {
        super.configure(client, channel);
        InetSocketAddress to = CONNECTING.get();
        if (to != null && to.getAddress() != null && to.getAddress().isLoopbackAddress()) {
            channel.bind(new InetSocketAddress(to.getAddress(), 0));
        }
    }
}
