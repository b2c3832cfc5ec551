/** Crypto services built on Bouncy Castle: password hashing and secret digests. */
@Export
@Version("1.0.0")
package org.edgeorch.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
