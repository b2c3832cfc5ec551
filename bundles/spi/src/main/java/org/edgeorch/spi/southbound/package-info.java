/**
 * The southbound protocol between a node's agent and the orchestrator: plain records, serialised as
 * JSON, under {@code /southbound/v1} over HTTPS. Enrolment needs no client certificate; every other
 * call is made with the host's certificate (mutual TLS) and acts on that host only.
 *
 * <ul>
 * <li>{@code POST /southbound/v1/enrol}: {@link EnrolRequest} → {@link EnrolResponse}</li>
 * <li>{@code POST /southbound/v1/renew}: {@link RenewRequest} → {@link EnrolResponse}</li>
 * <li>{@code POST /southbound/v1/sync}: {@link SyncRequest} → {@link DesiredState}, or 304 when the
 * desired state's ETag equals the request's {@code If-None-Match}. Both answers carry
 * {@value Southbound#ACKED_HEADER} and {@value Southbound#INVENTORY_HEADER}.</li>
 * <li>{@code GET /southbound/v1/images/sha256:<hex>}: an OS image the host's project is offered, with
 * HTTP Range support.</li>
 * </ul>
 * Refusals are {@link SouthboundError}s with an HTTP 4xx status.
 */
@Export
@Version("1.5.0")
package org.edgeorch.spi.southbound;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
