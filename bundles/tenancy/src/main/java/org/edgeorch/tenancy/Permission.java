package org.edgeorch.tenancy;

/** What a caller may do inside one project. Roles are sets of these (see {@link Role}). */
public enum Permission {
    /** See the project and every object in it. */
    PROJECT_READ,
    /** Grant and revoke roles in the project. */
    MEMBERS_MANAGE,
    /** Read the project's audit log. */
    AUDIT_READ,
    /** Register hosts and onboard them. */
    HOST_REGISTER,
    /** Change, invalidate and delete hosts. */
    HOST_WRITE,
    /** Change configuration: regions, sites, OS resources, policies, windows, applications. */
    CONFIG_WRITE,
    /** Operate: start, pause and abort rollouts, deploy applications. */
    OPERATE
}
