/**
 * Application versions in the release service: how a version is laid out as a signed OCI artifact
 * ({@link org.edgeorch.apps.oci.AppArtifact}), its publisher and the standalone tool that runs it from a build
 * pipeline. Signing and the push are the release publisher's ({@link org.edgeorch.release.oci.SignedArtifacts},
 * {@link org.edgeorch.release.oci.PublishOptions}).
 */
@Export
@Version("1.0.0")
package org.edgeorch.apps.oci;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
