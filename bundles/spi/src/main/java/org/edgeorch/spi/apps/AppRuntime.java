package org.edgeorch.spi.apps;

import java.util.List;

import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs application units of one kind on the node. The app agent calls it from one thread at a time, level-triggered:
 * {@link #apply} with every unit that should run (again and again, so it must be idempotent and cheap when nothing
 * changed), {@link #remove} for what it found in {@link #installed()} that should no longer be there. Everything a
 * runtime installs must be recognisable by {@link #installed()} after a restart of the node (labels, not memory).
 */
@ConsumerType
public interface AppRuntime {

    /** The runtime kind of the manifests this runs, for example {@code CONTAINER} or {@code OSGI}. */
    String kind();

    PluginDescriptor descriptor();

    /** Whether it can run units on this host now; when not, why (for example: podman is not installed). */
    Availability availability();

    /**
     * Makes the unit run as given: installs it when missing, replaces it when its fingerprint differs, starts it when
     * stopped. Never logs a secret value.
     *
     * @return the unit's state afterwards
     * @throws PluginException when the runtime itself cannot be used
     */
    UnitStatus apply(AppUnit unit) throws PluginException;

    /** The units this runtime holds for the agent now, whether desired or not, with their state. */
    List<UnitStatus> installed() throws PluginException;

    /** Removes the unit of a deployment, and whatever it installed; nothing when there is none. */
    void remove(String deployment) throws PluginException;

    /** Whether the runtime can be used, and the reason when not. */
    record Availability(boolean available, String detail) {
    }
}
