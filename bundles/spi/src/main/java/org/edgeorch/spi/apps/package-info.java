/**
 * Application runtimes of the node: a vendor (or this project's {@code runtime-container}) implements
 * {@link org.edgeorch.spi.apps.AppRuntime} for one runtime kind and registers it as an OSGi service; the node's app
 * agent finds it by whiteboard, so a runtime dropped into a running node is used at once and one removed is no longer
 * asked. Plain Java, no dependencies.
 */
@Export
@Version("1.0.0")
package org.edgeorch.spi.apps;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
