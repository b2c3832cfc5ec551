package org.edgeorch.security;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What release signatures are checked against at one moment: the content of the release trust store.
 *
 * <p>An <em>anchor</em> is either the release key's own certificate (pinned; self-signed or not) or a CA
 * certificate that issued it, directly or through intermediates carried in the signature. Several anchors may
 * be trusted at once, so that a key can be rotated: trust old and new, re-sign, then drop the old one.
 *
 * <p>Revocation, which {@link ReleaseSignatures#verify} applies to every certificate from the signer up to and
 * including the anchor:
 * <ul>
 * <li>{@code revokedFingerprints}: SHA-256 fingerprints of certificates' DER encoding, as
 *     {@link HostCertificateAuthority#fingerprint} writes them; openssl's {@code AB:CD:…} form is accepted too.</li>
 * <li>{@code crls}: a CRL counts for a certificate when it is issued by the next certificate up the path (the
 *     anchor's own for a self-signed anchor) and its signature verifies with that certificate's key; any other
 *     CRL is ignored, so a forged one can neither revoke nor fail the store. It is not refused here: the store
 *     is rebuilt from saved state for every check, and a CRL left behind by a CA replaced under the same name
 *     must not stop every verification; check a CRL when it is added instead. An entry revokes regardless of
 *     the CRL's next-update time and of its revocation date: a compromised key's signing time proves nothing.</li>
 * </ul>
 *
 * @param anchors             trusted certificates; may be empty (nothing is then trusted)
 * @param revokedFingerprints fingerprints of certificates no longer trusted, stored lower-case without colons
 * @param crls                certificate revocation lists of the anchors and of intermediates
 */
public record ReleaseTrust(List<X509Certificate> anchors, Set<String> revokedFingerprints, List<X509CRL> crls) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * @throws IllegalArgumentException when a fingerprint is not a SHA-256 hex digest
     * @throws NullPointerException     when a list, set or element is null
     */
    public ReleaseTrust {
        anchors = List.copyOf(anchors);
        crls = List.copyOf(crls);
        Set<String> normalized = new HashSet<>();
        for (String fingerprint : revokedFingerprints) {
            String hex = fingerprint.strip().replace(":", "").toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(hex).matches()) {
                throw new IllegalArgumentException("a revoked fingerprint must be 64 hex digits (SHA-256 of the DER"
                        + " certificate), not \"" + fingerprint + "\"");
            }
            normalized.add(hex);
        }
        revokedFingerprints = Set.copyOf(normalized);
    }

    /** Trusts the given anchors, with nothing revoked. */
    public static ReleaseTrust of(X509Certificate... anchors) {
        return new ReleaseTrust(List.of(anchors), Set.of(), List.of());
    }
}
