package org.edgeorch.agent.localshell.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's local shell over SSH, without an SSH server idling in memory: Karaf's SSH bundle is installed but not
 * started (the node's features), this component holds its configured address ({@code sshHost}/{@code sshPort} of
 * {@code etc/org.apache.karaf.shell.cfg}, loopback on the node) and starts the bundle, transiently, on the first
 * connection. After a restart the node is back to waiting. Where the SSH bundle is already running (started by
 * hand, or another distribution), this component does nothing.
 */
@Component(configurationPid = LocalShellOnDemand.SHELL_PID, immediate = true)
public final class LocalShellOnDemand {

    static final String SHELL_PID = "org.apache.karaf.shell";
    static final String SSH_BUNDLE = "org.apache.karaf.shell.ssh";
    private static final Duration SERVER_DEADLINE = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(LocalShellOnDemand.class);

    private final BundleContext context;
    private InetSocketAddress address;
    private FirstConnectionHandover handover;

    @Activate
    public LocalShellOnDemand(BundleContext context, Map<String, Object> config) {
        this.context = context;
        this.address = address(config);
        hold();
    }

    /** A change of the shell's other settings leaves the held port alone; a new address is held instead. */
    @Modified
    synchronized void modified(Map<String, Object> config) {
        InetSocketAddress next = address(config);
        if (next.equals(address)) {
            return;
        }
        address = next;
        if (handover != null && !handover.handedOver()) {
            handover.close();
            handover = null;
            hold();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (handover != null) {
            handover.close();
            handover = null;
        }
    }

    private synchronized void hold() {
        Bundle ssh = sshBundle();
        if (ssh == null) {
            LOG.info("Local shell: no {} bundle, no SSH", SSH_BUNDLE);
            return;
        }
        if ((ssh.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            return;
        }
        try {
            handover = new FirstConnectionHandover(address, () -> start(ssh), SERVER_DEADLINE);
            LOG.info("Local shell: SSH on {}:{} starts on the first connection", address.getHostString(), address.getPort());
        } catch (IOException e) {
            LOG.warn("Local shell: cannot hold {}:{} ({}); the SSH server starts now instead",
                    address.getHostString(), address.getPort(), e.getMessage());
            try {
                start(ssh);
            } catch (IllegalStateException notStarted) {
                LOG.warn("Local shell: {}", notStarted.getMessage());
            }
        }
    }

    private Bundle sshBundle() {
        for (Bundle bundle : context.getBundles()) {
            if (SSH_BUNDLE.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private static void start(Bundle ssh) {
        try {
            ssh.start(Bundle.START_TRANSIENT);
        } catch (BundleException | IllegalStateException e) {
            throw new IllegalStateException(SSH_BUNDLE + " did not start: " + e.getMessage(), e);
        }
    }

    /** The SSH server's own defaults (Karaf's {@code ssh} Activator) where the configuration says nothing. */
    static InetSocketAddress address(Map<String, Object> config) {
        Object host = config.get("sshHost");
        Object port = config.get("sshPort");
        String h = host == null || host.toString().isBlank() ? "0.0.0.0" : host.toString().trim();
        int p = 8101;
        if (port != null) {
            try {
                p = Integer.parseInt(port.toString().trim());
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException("out of range");
                }
            } catch (NumberFormatException e) {
                p = 8101;
                LOG.warn("Local shell: sshPort '{}' is not a port number; using {}", abbreviate(port.toString()), p);
            }
        }
        return new InetSocketAddress(h, p);
    }

    private static String abbreviate(String value) {
        return value.length() <= 20 ? value : value.substring(0, 20) + "...";
    }
}
