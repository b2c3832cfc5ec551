package org.edgeorch.spi.southbound;

/**
 * A refusal. {@code code} is stable for programs (for example {@code CERTIFICATE_REVOKED},
 * {@code HOST_INVALIDATED}, {@code TOKEN_EXPIRED}); {@code message} is for people.
 */
public record SouthboundError(int status, String code, String message) {
}
