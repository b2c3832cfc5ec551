/**
 * The event journal every domain writes to: {@link org.edgeorch.store.event.EventPublisher} appends an
 * {@link org.edgeorch.store.event.Event} inside the caller's transaction. It lives in the store so that fleet,
 * release, scheduling and apps can publish without depending on the observability bundle that reads, streams and
 * purges the journal.
 */
@Export
@Version("0.1.0")
package org.edgeorch.store.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
