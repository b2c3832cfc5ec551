/** The CONTAINER application runtime on Podman: {@link org.edgeorch.runtime.container.Podman}. */
@Export
@Version("1.0.0")
package org.edgeorch.runtime.container;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
