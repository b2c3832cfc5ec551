package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;
import javax.xml.bind.annotation.XmlElement;

/**
 * Releases, release events, the release trust store, and each project's OS profiles and OS resources, over SOAP at
 * {@code /soap/releases}; the same authorisation as REST and the shell. Releases are readable by every user; events,
 * checks and the trust store are for platform administrators; OS profiles and resources need a role in the project
 * (changes: CONFIG_WRITE).
 */
@WebService(name = "ReleaseService", targetNamespace = PlatformService.NAMESPACE)
public interface ReleasePort {

    /** Verified and withdrawn releases, newest first; {@code profile} absent for all; {@code limit} 0 means 50. */
    @WebMethod
    @WebResult(name = "release")
    List<ReleaseDtos.Release> listReleases(@WebParam(name = "profile") String profile,
                                           @WebParam(name = "offset") int offset,
                                           @WebParam(name = "limit") int limit) throws TenancyFault;

    @WebMethod
    @WebResult(name = "release")
    ReleaseDtos.Release getRelease(@XmlElement(required = true) @WebParam(name = "profile") String profile,
                                   @XmlElement(required = true) @WebParam(name = "version") String version) throws TenancyFault;

    /**
     * What detection did, newest first. {@code outcome}: ACCEPTED, REJECTED, FAILED or WITHDRAWN, absent for all;
     * {@code limit} 0 means 50.
     */
    @WebMethod
    @WebResult(name = "event")
    List<ReleaseDtos.ReleaseEvent> listReleaseEvents(@WebParam(name = "profile") String profile,
                                                     @WebParam(name = "outcome") String outcome,
                                                     @WebParam(name = "offset") int offset,
                                                     @WebParam(name = "limit") int limit) throws TenancyFault;

    /**
     * Checks the registry now and returns the events this produced. With {@code repository} and {@code tag}, checks
     * that one again even when it was seen before.
     */
    @WebMethod
    @WebResult(name = "event")
    List<ReleaseDtos.ReleaseEvent> checkReleases(@WebParam(name = "repository") String repository,
                                                 @WebParam(name = "tag") String tag) throws TenancyFault;

    @WebMethod
    @WebResult(name = "signer")
    List<ReleaseDtos.Signer> listSigners() throws TenancyFault;

    /** Trusts a certificate (PEM) beside those already trusted: rotation is add, then revoke. */
    @WebMethod
    @WebResult(name = "signer")
    ReleaseDtos.Signer addSigner(@XmlElement(required = true) @WebParam(name = "name") String name,
                                 @XmlElement(required = true) @WebParam(name = "certificate") String certificate) throws TenancyFault;

    /** Refuses the signer's signatures from now on and withdraws the releases it signed. */
    @WebMethod
    @WebResult(name = "signer")
    ReleaseDtos.Signer revokeSigner(@XmlElement(required = true) @WebParam(name = "name") String name,
                                    @WebParam(name = "reason") String reason) throws TenancyFault;

    /** Adds or replaces a trusted CA's revocation list (PEM); its signature must verify. */
    @WebMethod
    @WebResult(name = "revocationList")
    ReleaseDtos.RevocationList addRevocationList(@XmlElement(required = true) @WebParam(name = "crl") String crl) throws TenancyFault;

    @WebMethod
    @WebResult(name = "revocationList")
    List<ReleaseDtos.RevocationList> listRevocationLists() throws TenancyFault;

    @WebMethod
    @WebResult(name = "profile")
    List<ReleaseDtos.OsProfile> listOsProfiles(@XmlElement(required = true) @WebParam(name = "project") String project) throws TenancyFault;

    @WebMethod
    @WebResult(name = "profile")
    ReleaseDtos.OsProfile getOsProfile(@XmlElement(required = true) @WebParam(name = "project") String project,
                                       @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    /** In AUTOMATIC mode, verified releases already in range are offered at once. */
    @WebMethod
    @WebResult(name = "profile")
    ReleaseDtos.OsProfile createOsProfile(@XmlElement(required = true) @WebParam(name = "project") String project,
                                          @XmlElement(required = true) @WebParam(name = "name") String name,
                                          @WebParam(name = "spec") ReleaseDtos.OsProfileSpec spec) throws TenancyFault;

    /** Absent fields of {@code spec} stay as they are; a wider range in AUTOMATIC mode offers what it now covers. */
    @WebMethod
    @WebResult(name = "profile")
    ReleaseDtos.OsProfile updateOsProfile(@XmlElement(required = true) @WebParam(name = "project") String project,
                                          @XmlElement(required = true) @WebParam(name = "name") String name,
                                          @WebParam(name = "spec") ReleaseDtos.OsProfileSpec spec) throws TenancyFault;

    /** Removes the profile and its OS resources; the releases stay. */
    @WebMethod
    void deleteOsProfile(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name)
            throws TenancyFault;

    /** Newest version first. */
    @WebMethod
    @WebResult(name = "resource")
    List<ReleaseDtos.OsResource> listOsResources(@XmlElement(required = true) @WebParam(name = "project") String project,
                                                 @XmlElement(required = true) @WebParam(name = "profile") String profile) throws TenancyFault;

    @WebMethod
    @WebResult(name = "resource")
    ReleaseDtos.OsResource getOsResource(@XmlElement(required = true) @WebParam(name = "project") String project,
                                         @XmlElement(required = true) @WebParam(name = "profile") String profile,
                                         @XmlElement(required = true) @WebParam(name = "version") String version) throws TenancyFault;

    /** Offers a verified release in the profile's range to the project (manual mode, or to go back). */
    @WebMethod
    @WebResult(name = "resource")
    ReleaseDtos.OsResource importRelease(@XmlElement(required = true) @WebParam(name = "project") String project,
                                         @XmlElement(required = true) @WebParam(name = "profile") String profile,
                                         @XmlElement(required = true) @WebParam(name = "version") String version) throws TenancyFault;

    @WebMethod
    void removeOsResource(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "profile") String profile,
                          @XmlElement(required = true) @WebParam(name = "version") String version) throws TenancyFault;
}
