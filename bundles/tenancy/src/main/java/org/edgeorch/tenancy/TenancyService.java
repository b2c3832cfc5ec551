package org.edgeorch.tenancy;

import java.util.List;

import org.edgeorch.tenancy.Model.Group;
import org.edgeorch.tenancy.Model.Organization;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.RoleBinding;
import org.edgeorch.tenancy.Model.SubjectType;
import org.edgeorch.tenancy.Model.User;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Organisations, projects, users, groups and roles. Every method authorises the caller and audits
 * changes. A project the caller has no role in answers NOT_FOUND, never FORBIDDEN, so names of other
 * tenants' projects do not leak.
 */
@ProviderType
public interface TenancyService {

    // organisations: platform admins create them; members see their own
    Organization createOrganization(Caller caller, String name, String displayName);

    List<Organization> organizations(Caller caller);

    Organization organization(Caller caller, String name);

    // projects
    Project createProject(Caller caller, String orgName, String name, String displayName);

    List<Project> projects(Caller caller);

    /** The project by name, if the caller has any role in it. */
    Project project(Caller caller, String name);

    /** Resolves a project and checks one permission: the guard every project-scoped operation uses. */
    Project authorize(Caller caller, String projectName, Permission permission);

    void deleteProject(Caller caller, String name);

    // users and groups of an organisation: org admins
    User createUser(Caller caller, String orgName, String username, String displayName, char[] password);

    List<User> users(Caller caller, String orgName);

    void setPassword(Caller caller, String username, char[] newPassword);

    /** Disabling revokes the user's API tokens at once (re-enabling does not bring them back). */
    void setUserEnabled(Caller caller, String username, boolean enabled);

    /**
     * Deletes a user of an organisation the caller administers (not the caller itself): its role bindings, group
     * memberships and API tokens go with it, so a token it held answers 401 on its next use.
     */
    void deleteUser(Caller caller, String username);

    Group createGroup(Caller caller, String orgName, String name);

    List<Group> groups(Caller caller, String orgName);

    void addGroupMember(Caller caller, String orgName, String group, String username);

    // roles
    RoleBinding grantProjectRole(Caller caller, String projectName, SubjectType subjectType, String subject, Role role);

    RoleBinding grantOrganizationRole(Caller caller, String orgName, SubjectType subjectType, String subject, Role role);

    List<RoleBinding> projectRoles(Caller caller, String projectName);

    void revokeProjectRole(Caller caller, String projectName, String bindingId);
}
