/**
 * Plugin service provider interfaces. Vendors implement {@link org.edgeorch.spi.HardwarePlugin} and
 * {@link org.edgeorch.spi.OsPlugin} and register them as OSGi services; both runtimes find them by
 * whiteboard. Plain Java records, no dependencies, so the node runtime loads it without the orchestrator.
 */
@Export
@Version("1.3.0")
package org.edgeorch.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
