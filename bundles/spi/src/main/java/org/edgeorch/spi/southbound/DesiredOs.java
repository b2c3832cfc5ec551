package org.edgeorch.spi.southbound;

import java.util.List;

/**
 * The OS a host should run: which release, where to download its image, and the signed release manifest
 * the node verifies itself before it writes a byte.
 *
 * @param runId           the orchestrator's update run this belongs to; the agent quotes it in its
 *                        {@link UpdateReport}s; null when the host already runs it (nothing to do)
 * @param profile         the OS profile
 * @param version         the release's version
 * @param imageDigest     {@code sha256:<hex>}
 * @param imageSize       bytes
 * @param imageUrls       where to download it, in order of preference: the orchestrator's southbound
 *                        ({@code /southbound/v1/images/<digest>}, relative to the orchestrator URL) and/or the
 *                        registry's blob URL; both answer HTTP Range
 * @param releaseManifest the release manifest JSON exactly as signed
 * @param signature       its detached CMS signature, DER in base64
 * @param deadline        epoch milliseconds after which the orchestrator counts the run as timed out, or 0
 */
public record DesiredOs(String runId, String profile, String version, String imageDigest, long imageSize,
                        List<String> imageUrls, String releaseManifest, String signature, long deadline) {

    public DesiredOs {
        imageUrls = imageUrls == null ? List.of() : List.copyOf(imageUrls);
    }
}
