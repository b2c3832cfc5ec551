/**
 * Releases and OS resources: what the release service offers, the trust store its signatures are checked
 * against, and each project's OS profiles and resources.
 */
@Export
@Version("1.4.0")
package org.edgeorch.release;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
