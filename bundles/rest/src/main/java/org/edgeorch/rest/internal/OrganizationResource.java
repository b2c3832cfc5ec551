package org.edgeorch.rest.internal;

import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Group;
import org.edgeorch.tenancy.Model.Organization;
import org.edgeorch.tenancy.Model.RoleBinding;
import org.edgeorch.tenancy.Model.User;
import org.edgeorch.tenancy.TenancyService;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Organisations with their users, groups and organisation roles. */
@Path("/orgs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "organizations", description = "Organisations, users and groups")
public class OrganizationResource {

    private final TenancyService tenancy;

    @Context
    HttpServletRequest servletRequest;

    public OrganizationResource(TenancyService tenancy) {
        this.tenancy = tenancy;
    }

    private Caller caller() {
        return Callers.of(servletRequest);
    }

    @GET
    @Operation(summary = "Organisations the caller belongs to (platform administrators: all)")
    public List<Organization> list() {
        return tenancy.organizations(caller());
    }

    @POST
    @Operation(summary = "Create an organisation (platform administrators)")
    public Response create(Bodies.Organization body) {
        Bodies.required(body);
        Organization created = tenancy.createOrganization(caller(), body.name(), body.displayName());
        return Response.created(ReleaseResource.location("orgs/{org}", created.name())).entity(created).build();
    }

    @GET
    @Path("{org}")
    @Operation(summary = "One organisation")
    public Organization get(@PathParam("org") String org) {
        return tenancy.organization(caller(), org);
    }

    @GET
    @Path("{org}/users")
    @Operation(summary = "Users of the organisation (its administrators)")
    public List<User> users(@PathParam("org") String org) {
        return tenancy.users(caller(), org);
    }

    @POST
    @Path("{org}/users")
    @Operation(summary = "Create a local user in the organisation (its administrators)")
    public Response createUser(@PathParam("org") String org, Bodies.User body) {
        Bodies.required(body);
        User created = tenancy.createUser(caller(), org, body.username(), body.displayName(), Bodies.chars(body.password()));
        return Response.created(ReleaseResource.location("orgs/{org}/users/{username}", org, created.username()))
                .entity(created).build();
    }

    @PATCH
    @Path("{org}/users/{username}")
    @Operation(summary = "Enable, disable or set the password of a user (the user itself, or its administrators)")
    public Response updateUser(@PathParam("org") String org, @PathParam("username") String username, Bodies.UserUpdate body) {
        Bodies.required(body);
        tenancy.organization(caller(), org);
        if (body.password() != null) {
            tenancy.setPassword(caller(), username, body.password().toCharArray());
        }
        if (body.enabled() != null) {
            tenancy.setUserEnabled(caller(), username, body.enabled());
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("{org}/users/{username}")
    @Operation(summary = "Delete a user (its organisation's administrators): its roles, memberships and API tokens go with it")
    public Response deleteUser(@PathParam("org") String org, @PathParam("username") String username) {
        tenancy.organization(caller(), org);
        tenancy.deleteUser(caller(), username);
        return Response.noContent().build();
    }

    @GET
    @Path("{org}/groups")
    @Operation(summary = "Groups of the organisation with their members")
    public List<Group> groups(@PathParam("org") String org) {
        return tenancy.groups(caller(), org);
    }

    @POST
    @Path("{org}/groups")
    @Operation(summary = "Create a group")
    public Response createGroup(@PathParam("org") String org, Bodies.Group body) {
        Bodies.required(body);
        Group created = tenancy.createGroup(caller(), org, body.name());
        return Response.created(ReleaseResource.location("orgs/{org}/groups/{name}", org, created.name())).entity(created).build();
    }

    @POST
    @Path("{org}/groups/{group}/members")
    @Operation(summary = "Add a user of the organisation to a group")
    public Response addMember(@PathParam("org") String org, @PathParam("group") String group, Bodies.Member body) {
        Bodies.required(body);
        tenancy.addGroupMember(caller(), org, group, body.username());
        return Response.noContent().build();
    }

    @POST
    @Path("{org}/roles")
    @Operation(summary = "Grant ORG_ADMIN on the organisation to a user or group of it")
    public Response grant(@PathParam("org") String org, Bodies.RoleGrant body) {
        Bodies.required(body);
        RoleBinding b = tenancy.grantOrganizationRole(caller(), org, body.subjectType(), body.subject(), body.role());
        return Response.status(Response.Status.CREATED).entity(b).build();
    }
}
