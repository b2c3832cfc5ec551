package org.edgeorch.fleet;

import java.time.Duration;
import java.util.List;

import org.edgeorch.fleet.Onboarding.CertificateAuthorityInfo;
import org.edgeorch.fleet.Onboarding.EnrolmentToken;
import org.edgeorch.fleet.Onboarding.HostCertificate;
import org.edgeorch.fleet.Onboarding.HostReport;
import org.edgeorch.fleet.Onboarding.InventoryChange;
import org.edgeorch.fleet.Onboarding.IssuedToken;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What operators do about onboarding and a host's life: enrolment tokens, invalidating and deleting hosts
 * (which revokes their certificates at once), and reading what hosts reported. Refusals are
 * {@link org.edgeorch.tenancy.TenancyException}s like every domain service's.
 */
@ProviderType
public interface OnboardingService {

    /** Makes a token (HOST_REGISTER); validity 1 minute to 365 days, maxUses null or 1 to 1,000,000. */
    IssuedToken createEnrolmentToken(Caller caller, String project, String name, String site, Duration validity,
                                     Integer maxUses);

    List<EnrolmentToken> enrolmentTokens(Caller caller, String project);

    /** Refuses the token from now on (HOST_REGISTER); hosts it enrolled keep their certificates. */
    void revokeEnrolmentToken(Caller caller, String project, String name);

    /** Marks the host INVALIDATED and revokes its certificates (HOST_WRITE); its next call is refused. */
    Fleet.Host invalidateHost(Caller caller, String project, String host, String reason);

    /**
     * Removes the host with its inventory, reports, labels and cluster memberships (HOST_WRITE); its
     * certificates stay on record as revoked, so a node still holding one is told it was deleted.
     */
    void deleteHost(Caller caller, String project, String host);

    List<HostCertificate> certificates(Caller caller, String project, String host);

    /** The host's last inventory, or NOT_FOUND when it has not reported one. */
    Onboarding.Inventory inventory(Caller caller, String project, String host);

    /** Changes of the host's inventory, newest first. */
    List<InventoryChange> inventoryChanges(Caller caller, String project, String host, int offset, int limit);

    /** The host's reports, newest first. */
    List<HostReport> reports(Caller caller, String project, String host, int offset, int limit);

    /** The host certificate authority; public (nodes need it before they have credentials). */
    CertificateAuthorityInfo certificateAuthority();
}
