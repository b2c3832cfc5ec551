package org.edgeorch.spi;

/** What a plugin is responsible for. */
public enum PluginKind {
    /** Reports the host's hardware inventory. */
    HARDWARE,
    /** Reports and changes the host's operating system. */
    OS,
    /** Runs applications of one runtime kind (containers, OSGi bundles). */
    APP_RUNTIME
}
