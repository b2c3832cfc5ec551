/**
 * The OCI distribution API on both sides of the platform: a registry client (blobs and manifests, every byte checked
 * against its digest), the descriptor and manifest records, canonical JSON, and the OSGI app artifact format
 * ({@link org.edgeorch.oci.BundleArtifact}: pushed by the orchestrator's tools, fetched by the node's OSGI runtime).
 * A library: no services, no state. Its one dependency beyond the JDK and Jackson is Jetty's HTTP client, imported
 * optionally and only for {@link org.edgeorch.oci.OciClient#download large downloads} inside the orchestrator.
 */
@Export
@Version("1.0.0")
package org.edgeorch.oci;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
