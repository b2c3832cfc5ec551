/** The OSGI application runtime: {@link org.edgeorch.runtime.osgi.OsgiRuntime}. */
@Export
@Version("1.0.0")
package org.edgeorch.runtime.osgi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
