package org.edgeorch.spi.southbound;

/** Why an update attempt did not succeed. */
public enum UpdateFailure {
    /** The image could not be downloaded. */
    DOWNLOAD_FAILED,
    /** The release manifest's signature did not verify on the node. */
    SIGNATURE_INVALID,
    /** The downloaded image does not hash to the signed digest. */
    DIGEST_MISMATCH,
    /** Writing the inactive slot or arming the boot failed. */
    INSTALL_FAILED,
    /** The new slot did not boot; the bootloader fell back. */
    BOOT_FAILED,
    /** The new slot booted but a health check failed; rolled back. */
    HEALTH_CHECK_FAILED,
    /** Not enough space for the image. */
    NO_SPACE,
    /** The host cannot run this release (architecture, OS type, no A/B plugin). */
    INCOMPATIBLE,
    /** The host did not report a result in time. */
    TIMEOUT,
    /** The rollout was aborted before the host finished. */
    ABORTED,
    /** Anything else; the detail says what. */
    OTHER
}
