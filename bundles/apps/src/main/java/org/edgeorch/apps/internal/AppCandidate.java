package org.edgeorch.apps.internal;

import org.edgeorch.release.Releases.DetectionSource;

/**
 * A tag of an application repository the detection route should look at.
 *
 * @param digest the manifest digest when the notification named it; null to ask the registry
 */
record AppCandidate(String repository, String tag, String digest, DetectionSource source) {
}
