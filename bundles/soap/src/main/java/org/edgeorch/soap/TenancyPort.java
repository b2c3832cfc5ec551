package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;
import javax.xml.bind.annotation.XmlElement;

/**
 * Organisations, projects, users, roles and the audit log over SOAP, with the same authorisation as
 * REST and the shell. Authenticate with {@code Authorization: Bearer} or a WS-Security UsernameToken.
 */
@WebService(name = "TenancyService", targetNamespace = PlatformService.NAMESPACE)
public interface TenancyPort {

    @WebMethod
    @WebResult(name = "organization")
    List<TenancyDtos.Organization> listOrganizations() throws TenancyFault;

    @WebMethod
    @WebResult(name = "organization")
    TenancyDtos.Organization createOrganization(@XmlElement(required = true) @WebParam(name = "name") String name,
                                                @WebParam(name = "displayName") String displayName) throws TenancyFault;

    @WebMethod
    @WebResult(name = "project")
    List<TenancyDtos.Project> listProjects() throws TenancyFault;

    @WebMethod
    @WebResult(name = "project")
    TenancyDtos.Project createProject(@XmlElement(required = true) @WebParam(name = "organization") String organization,
                                      @XmlElement(required = true) @WebParam(name = "name") String name,
                                      @WebParam(name = "displayName") String displayName) throws TenancyFault;

    @WebMethod
    @WebResult(name = "username")
    String createUser(@XmlElement(required = true) @WebParam(name = "organization") String organization, @XmlElement(required = true) @WebParam(name = "username") String username,
                      @XmlElement(required = true) @WebParam(name = "password") String password) throws TenancyFault;

    /** Disables (enabled false: its API tokens are revoked at once) or enables a user. */
    @WebMethod
    void setUserEnabled(@XmlElement(required = true) @WebParam(name = "username") String username,
                        @XmlElement(required = true) @WebParam(name = "enabled") boolean enabled) throws TenancyFault;

    /** Deletes a user of an organisation the caller administers, with its roles, memberships and API tokens. */
    @WebMethod
    void deleteUser(@XmlElement(required = true) @WebParam(name = "username") String username) throws TenancyFault;

    @WebMethod
    @WebResult(name = "binding")
    TenancyDtos.RoleBinding grantProjectRole(@XmlElement(required = true) @WebParam(name = "project") String project,
                                             @XmlElement(required = true) @WebParam(name = "subjectType") String subjectType,
                                             @XmlElement(required = true) @WebParam(name = "subject") String subject,
                                             @XmlElement(required = true) @WebParam(name = "role") String role) throws TenancyFault;

    @WebMethod
    @WebResult(name = "binding")
    List<TenancyDtos.RoleBinding> listProjectRoles(@XmlElement(required = true) @WebParam(name = "project") String project) throws TenancyFault;

    @WebMethod
    @WebResult(name = "page")
    TenancyDtos.AuditPage queryAudit(@XmlElement(required = true) @WebParam(name = "project") String project, @WebParam(name = "actor") String actor,
                                     @WebParam(name = "action") String action, @WebParam(name = "offset") int offset,
                                     @WebParam(name = "limit") int limit) throws TenancyFault;
}
