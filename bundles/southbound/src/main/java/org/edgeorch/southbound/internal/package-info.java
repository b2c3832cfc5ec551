/** The southbound HTTPS endpoint: Jetty with mutual TLS, JSON bodies, handled by {@link org.edgeorch.fleet.SouthboundService}. */
package org.edgeorch.southbound.internal;
