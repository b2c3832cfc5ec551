/**
 * The orchestrator's database. Domain bundles take a {@link org.edgeorch.store.Database} service,
 * which appears once the configured database is reachable and its schema migrated.
 */
@Export
@Version("1.4.1")
package org.edgeorch.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
