package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;
import javax.xml.bind.annotation.XmlElement;

/**
 * Enrolment tokens, invalidating and deleting hosts, and what hosts reported, over SOAP at
 * {@code /soap/onboarding}; the same authorisation as REST and the shell.
 */
@WebService(name = "OnboardingService", targetNamespace = PlatformService.NAMESPACE)
public interface OnboardingPort {

    /**
     * Makes an enrolment token; its secret is in this answer only.
     *
     * @param validity ISO-8601 duration from PT1M to P365D, e.g. {@code P7D}; absent means 7 days
     * @param maxUses  1 to 1,000,000; absent for any number of enrolments until it expires
     */
    @WebMethod
    @WebResult(name = "issued")
    OnboardingDtos.IssuedToken createEnrolmentToken(@XmlElement(required = true) @WebParam(name = "project") String project,
                                                    @XmlElement(required = true) @WebParam(name = "name") String name,
                                                    @WebParam(name = "site") String site,
                                                    @WebParam(name = "validity") String validity,
                                                    @WebParam(name = "maxUses") Integer maxUses) throws TenancyFault;

    @WebMethod
    @WebResult(name = "token")
    List<OnboardingDtos.EnrolmentToken> listEnrolmentTokens(@XmlElement(required = true) @WebParam(name = "project") String project) throws TenancyFault;

    /** Refuses the token from now on; hosts it enrolled keep their certificates. */
    @WebMethod
    void revokeEnrolmentToken(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name)
            throws TenancyFault;

    /** Marks the host INVALIDATED and revokes its certificates; its next call is refused. */
    @WebMethod
    @WebResult(name = "host")
    FleetDtos.Host invalidateHost(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "host") String host,
                                  @WebParam(name = "reason") String reason) throws TenancyFault;

    /** Removes the host with its inventory, reports, labels and cluster memberships; its certificates stay revoked. */
    @WebMethod
    void deleteHost(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "host") String host) throws TenancyFault;

    @WebMethod
    @WebResult(name = "certificate")
    List<OnboardingDtos.HostCertificate> listHostCertificates(@XmlElement(required = true) @WebParam(name = "project") String project,
                                                              @XmlElement(required = true) @WebParam(name = "host") String host) throws TenancyFault;

    /** The host's last inventory; NOT_FOUND when it has not reported one. */
    @WebMethod
    @WebResult(name = "inventory")
    OnboardingDtos.Inventory getHostInventory(@XmlElement(required = true) @WebParam(name = "project") String project,
                                              @XmlElement(required = true) @WebParam(name = "host") String host) throws TenancyFault;

    /** Newest first; {@code limit} 0 means 50. */
    @WebMethod
    @WebResult(name = "change")
    List<OnboardingDtos.InventoryChange> listInventoryChanges(@XmlElement(required = true) @WebParam(name = "project") String project,
                                                              @XmlElement(required = true) @WebParam(name = "host") String host,
                                                              @WebParam(name = "offset") int offset,
                                                              @WebParam(name = "limit") int limit) throws TenancyFault;

    /** Newest first; {@code limit} 0 means 50. */
    @WebMethod
    @WebResult(name = "report")
    List<OnboardingDtos.HostReport> listHostReports(@XmlElement(required = true) @WebParam(name = "project") String project,
                                                    @XmlElement(required = true) @WebParam(name = "host") String host,
                                                    @WebParam(name = "offset") int offset,
                                                    @WebParam(name = "limit") int limit) throws TenancyFault;

    /** The host certificate authority (public data, but like every SOAP call it needs credentials). */
    @WebMethod
    @WebResult(name = "authority")
    OnboardingDtos.CertificateAuthority getCertificateAuthority() throws TenancyFault;
}
