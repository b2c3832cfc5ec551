/**
 * Organisations, projects, users, groups, roles, API tokens and the audit log. Every operation takes
 * the {@link org.edgeorch.tenancy.Caller} it acts for, is authorised by the same rules whichever
 * adapter it came from, and is audited.
 */
@Export
@Version("1.1.0")
package org.edgeorch.tenancy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
