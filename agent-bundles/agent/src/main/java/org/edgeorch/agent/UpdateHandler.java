package org.edgeorch.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.WindowSpec;

/**
 * What the agent does about the OS the orchestrator wants: the update agent on a real host, or a simulation
 * in tests and the fleet simulator. The agent asks it for the running version and the current run's state
 * before every sync, and hands it the desired OS and windows after every sync; the handler works on its own
 * thread and calls {@link Link#syncSoon()} when it has news.
 */
public interface UpdateHandler {

    /** What the handler may ask of the agent that runs it; given once, when the agent is made. */
    interface Link {
        /** Syncs as soon as possible, to report news. */
        void syncSoon();

        /** When the last successful sync with the orchestrator ended, or null when none has yet. */
        java.time.Instant lastSyncAt();
    }

    /** Called by the agent's constructor. */
    default void attach(Link agent) {
    }

    /** The OS release version running now, or null when unknown. */
    String runningVersion();

    /** The latest state of the current (or just finished) update run, or null when there is none. */
    UpdateReport current();

    /**
     * The desired state's OS and windows, after each sync. Must return quickly.
     *
     * @param os      null when nothing says what this host should run
     * @param images  downloads images from the orchestrator (mutual TLS) or the registry
     */
    void desired(DesiredOs os, List<WindowSpec> windows, ImageSource images);

    /** Stops its work (the agent is closing). */
    default void close() {
    }

    /** Where images come from: the URLs of a {@link DesiredOs}, resolved against the orchestrator. */
    interface ImageSource {
        /**
         * Opens the image at {@code url} from byte {@code offset} (HTTP Range), with the host's credentials when
         * the URL is the orchestrator's.
         *
         * @throws IOException when it cannot be read, or the server ignores the range
         */
        InputStream open(String url, long offset) throws IOException;
    }
}
