package org.edgeorch.release;

import org.edgeorch.security.ReleaseSignatures.SignatureCheck;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The release trust store for other domains that sign what they publish (application versions): one detached CMS
 * signature checked against the signers, revocations and CRLs as they are now, with the same rules and the same
 * failures as OS releases ({@link org.edgeorch.security.ReleaseSignatures#verify}). No caller: the system checks.
 */
@ProviderType
public interface SignatureVerifier {

    /** Never throws for a bad signature: every problem is a failed check with its reason. */
    SignatureCheck verify(byte[] content, byte[] signatureDer);
}
