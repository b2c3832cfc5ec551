/** Helpers for adapters that publish CXF endpoints (REST, SOAP). */
@Export
@Version("1.0.0")
package org.edgeorch.cxf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
