package org.edgeorch.release;

import java.util.List;

import org.edgeorch.release.Releases.EventOutcome;
import org.edgeorch.release.Releases.OsProfile;
import org.edgeorch.release.Releases.OsResource;
import org.edgeorch.release.Releases.ProfileSpec;
import org.edgeorch.release.Releases.Release;
import org.edgeorch.release.Releases.ReleaseEvent;
import org.edgeorch.release.Releases.RevocationList;
import org.edgeorch.release.Releases.Signer;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The release service as operators see it. Releases, their events and the trust store are platform-wide:
 * any signed-in user may list verified releases; events and the trust store are for platform
 * administrators. OS profiles and resources belong to a project (read: PROJECT_READ; change:
 * CONFIG_WRITE). Refusals are {@link org.edgeorch.tenancy.TenancyException}s.
 */
@ProviderType
public interface ReleaseService {

    // ---- releases -------------------------------------------------------------------------------

    /** Verified (and withdrawn) releases, newest first; {@code profile} null for all. */
    List<Release> releases(Caller caller, String profile, int offset, int limit);

    Release release(Caller caller, String profile, String version);

    /** What detection did, newest first (platform administrators). */
    List<ReleaseEvent> events(Caller caller, String profile, EventOutcome outcome, int offset, int limit);

    /**
     * Checks the registry now, as the polling route does, and returns the events this produced
     * (platform administrators). With {@code repository} and {@code tag}, checks only that one, even when
     * it was seen before (a manual import of a tag whose webhook was missed or whose verification failed).
     */
    List<ReleaseEvent> check(Caller caller, String repository, String tag);

    // ---- trust store (platform administrators) -----------------------------------------------------

    List<Signer> signers(Caller caller);

    /** Trusts a certificate (PEM) from now on, beside those already trusted: rotation is add, then revoke. */
    Signer addSigner(Caller caller, String name, String certificatePem);

    /**
     * Revokes a signer: its signatures are refused from now on, and releases it signed are withdrawn
     * (no longer offered or installable).
     */
    Signer revokeSigner(Caller caller, String name, String reason);

    /** Adds or replaces the revocation list of a trusted CA; the list's signature must verify. */
    RevocationList addRevocationList(Caller caller, String crlPem);

    List<RevocationList> revocationLists(Caller caller);

    // ---- OS profiles and resources (per project) ----------------------------------------------------

    List<OsProfile> profiles(Caller caller, String project);

    OsProfile profile(Caller caller, String project, String name);

    /** Creates a profile; in AUTOMATIC mode, verified releases already in range are offered at once. */
    OsProfile createProfile(Caller caller, String project, String name, ProfileSpec spec);

    /** Changes a profile; a wider range in AUTOMATIC mode offers what it now covers. */
    OsProfile updateProfile(Caller caller, String project, String name, ProfileSpec spec);

    /** Removes a profile and its OS resources (the releases stay). */
    void deleteProfile(Caller caller, String project, String name);

    /** The profile's OS resources, newest version first. */
    List<OsResource> osResources(Caller caller, String project, String profile);

    OsResource osResource(Caller caller, String project, String profile, String version);

    /** Offers a verified release in the profile's range to the project (manual mode, or to go back). */
    OsResource importRelease(Caller caller, String project, String profile, String version);

    /** Takes an OS resource away from the project. */
    void removeOsResource(Caller caller, String project, String profile, String version);
}
