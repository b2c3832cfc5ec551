package org.edgeorch.plugin.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

/** What the Linux hardware and OS plugins share: configuration PID, vendor, version, root path. */
final class LinuxPlugins {

    static final String PID = "org.edgeorch.plugin.linux";
    static final String VENDOR = "Edge Orchestrator";

    /** Used when the bundle was built without resource filtering (for example inside an IDE). */
    private static final String FALLBACK_VERSION = "0.1.0";

    private LinuxPlugins() {
    }

    /**
     * The plugin version: {@code plugin.properties} is filtered by Maven with the project version;
     * the package's Implementation-Version is the second choice.
     */
    static String version() {
        try (InputStream in = LinuxPlugins.class.getResourceAsStream("plugin.properties")) {
            if (in != null) {
                Properties props = new Properties();
                props.load(in);
                String version = props.getProperty("version", "").trim();
                if (!version.isEmpty() && !version.contains("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through to the other sources; a version is not worth failing the plugin for
        }
        String implementation = LinuxPlugins.class.getPackage().getImplementationVersion();
        return implementation == null || implementation.isBlank() ? FALLBACK_VERSION : implementation;
    }

    /** The configured root of the file system to read, which must be absolute. */
    static Path rootPath(LinuxPluginConfig config) {
        String configured = config.rootPath() == null ? "" : config.rootPath().trim();
        Path root = configured.isEmpty() ? null : Path.of(configured);
        if (root == null || !root.isAbsolute()) {
            throw new IllegalArgumentException("rootPath of configuration " + PID + " must be an absolute path"
                    + " such as '/', got '" + configured + "'");
        }
        return root;
    }
}
