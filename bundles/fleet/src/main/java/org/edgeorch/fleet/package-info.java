/**
 * The fleet of a project: regions (nested), sites and hosts, with metadata inherited region to site to
 * host. Every operation takes the tenancy {@link org.edgeorch.tenancy.Caller} and is authorised and
 * audited like the rest of the product.
 */
@Export
@Version("1.4.0")
package org.edgeorch.fleet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
