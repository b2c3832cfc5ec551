package org.edgeorch.spi.apps;

import org.edgeorch.spi.southbound.AppState;

/**
 * A unit as a runtime finds it.
 *
 * @param fingerprint the {@link AppUnit#fingerprint()} it was installed with
 * @param reason      why it is not RUNNING, null when it is
 */
public record UnitStatus(String deployment, String version, String fingerprint, AppState state, String reason) {
}
