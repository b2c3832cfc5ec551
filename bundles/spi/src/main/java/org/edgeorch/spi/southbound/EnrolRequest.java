package org.edgeorch.spi.southbound;

/**
 * A node asking for a certificate.
 *
 * @param token        an enrolment token's secret, or null when the host was pre-registered with
 *                     auto-onboard and is recognised by serial number or UUID
 * @param serialNumber the machine's serial number (DMI), if known
 * @param uuid         the machine's UUID (DMI), if known
 * @param hostname     suggests the host's name when the token creates a new host
 * @param csr          PKCS#10 request in PEM for an ECDSA P-256 key
 */
public record EnrolRequest(String token, String serialNumber, String uuid, String hostname, String csr) {
}
