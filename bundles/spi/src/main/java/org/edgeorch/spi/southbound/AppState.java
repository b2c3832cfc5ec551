package org.edgeorch.spi.southbound;

/** Where one deployment stands on one host, as its app agent reports it. */
public enum AppState {
    /** Desired, not yet worked on (or waiting for a runtime). */
    PENDING,
    /** Its artifacts are being fetched. */
    DOWNLOADING,
    /** Being installed or started. */
    INSTALLING,
    /** Installed and running. */
    RUNNING,
    /** Installed but not healthy (exited, crashing). */
    UNHEALTHY,
    /** Could not be installed or started; the reason says why. */
    FAILED,
    /** Being removed. */
    REMOVING,
    /**
     * The reported version failed its health check and the host went back to the version it ran before, which runs;
     * the reason says why and which version runs. Retried after the runtime's retry interval.
     */
    ROLLED_BACK
}
