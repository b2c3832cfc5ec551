/**
 * Crypto services built on Bouncy Castle: password hashing, the hosts' certificate authority, PEM reading and
 * detached CMS signatures over releases; SecretBox seals secrets at rest (application parameters, alert receivers).
 */
@Export
@Version("1.2.0")
package org.edgeorch.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
