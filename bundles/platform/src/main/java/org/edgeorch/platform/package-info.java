/**
 * What a runtime is and what it has: its status, the health of its parts and the plugins it found.
 * Adapters (REST, SOAP, shell) are thin layers over these services.
 */
@Export
@Version("1.2.0")
package org.edgeorch.platform;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
