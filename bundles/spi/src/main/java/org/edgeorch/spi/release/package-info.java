/**
 * Releases as published to the release service: the signed {@link ReleaseManifest} that describes an OS
 * image, and the OCI artifact layout it travels in ({@link ReleaseArtifact}).
 */
@Export
@Version("1.0.0")
package org.edgeorch.spi.release;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
