package org.edgeorch.agent;

import java.util.List;

import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.DesiredApp;

/**
 * What the agent does about the applications the orchestrator wants: the app agent (bundle
 * {@code org.edgeorch.agent.apps}) on a real node. Like {@link UpdateHandler}: the agent asks it for the app states
 * before every sync and hands it the desired apps after every sync; the handler converges on its own thread and calls
 * {@link UpdateHandler.Link#syncSoon()} when a state changed.
 */
public interface AppHandler {

    /** Called by the agent's constructor. */
    default void attach(UpdateHandler.Link agent) {
    }

    /** The state of every deployment the host has (desired, or still being removed); never null. */
    List<AppReport> current();

    /** The desired state's applications after each sync (every one, also when unchanged). Must return quickly. */
    void desired(List<DesiredApp> apps);

    /** Stops its work (the agent is closing). */
    default void close() {
    }
}
