package org.edgeorch.release.internal;

import org.edgeorch.release.Releases.DetectionSource;

/**
 * A tag the release route should look at.
 *
 * @param digest the manifest digest when the notification named it; null to ask the registry
 */
record Candidate(String repository, String tag, String digest, DetectionSource source) {
}
