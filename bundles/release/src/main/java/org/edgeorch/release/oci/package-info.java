/**
 * The release publisher and its standalone tool (manifest, image and detached CMS signature pushed as one OCI
 * artifact), on the registry client of {@code org.edgeorch.oci}; usable inside the orchestrator and standalone from
 * a build pipeline.
 */
@Export
@Version("1.1.0")
package org.edgeorch.release.oci;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
