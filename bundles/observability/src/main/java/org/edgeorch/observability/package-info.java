/**
 * Observability: {@link org.edgeorch.observability.EventService}, one stream of what happens in a project (host
 * status changes, onboarding, update runs, rollouts and waves, application deployments, OS resources from releases),
 * read from the retained journal with filters and paging, or followed live from a
 * {@link org.edgeorch.observability.EventStream} that replays from a given event id first; and
 * {@link org.edgeorch.observability.Instruments}, where adapters report the calls they serve for {@code /metrics}.
 */
@Export
@Version("0.5.0")
package org.edgeorch.observability;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
