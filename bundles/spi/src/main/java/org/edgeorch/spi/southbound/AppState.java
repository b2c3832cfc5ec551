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
    REMOVING
}
