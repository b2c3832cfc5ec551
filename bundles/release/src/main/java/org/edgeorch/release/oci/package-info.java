/**
 * A small client for the OCI distribution API and the release publisher built on it, usable inside the
 * orchestrator and standalone from a build pipeline.
 */
@Export
@Version("1.0.0")
package org.edgeorch.release.oci;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
