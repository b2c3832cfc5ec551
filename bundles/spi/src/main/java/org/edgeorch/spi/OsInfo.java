package org.edgeorch.spi;

import java.util.Objects;

/**
 * The operating system a host is running.
 *
 * @param name       distribution or product name
 * @param version    its version
 * @param kernel     kernel release
 * @param type       whether the OS is changed in place or replaced as a whole image
 * @param activeSlot the A/B slot booted now, or {@code null} for a mutable OS
 */
public record OsInfo(String name, String version, String kernel, OsType type, String activeSlot) {

    public OsInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** How an OS is updated. */
    public enum OsType {
        /** Packages are changed in place (apt, dnf). */
        MUTABLE,
        /** The whole image is replaced, usually into an inactive A/B slot. */
        IMMUTABLE
    }
}
