package org.edgeorch.rest.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.IssuedToken;
import org.edgeorch.tenancy.Model.Organization;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.TokenInfo;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyService;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Login, who am I, and the caller's own API tokens. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Logins and API tokens")
public class AuthResource {

    private final AuthService auth;
    private final TenancyService tenancy;

    @Context
    HttpServletRequest servletRequest;

    public AuthResource(AuthService auth, TenancyService tenancy) {
        this.auth = auth;
        this.tenancy = tenancy;
    }

    @POST
    @Path("auth/login")
    @Operation(summary = "Exchange a user name and password for a bearer token")
    public IssuedToken login(Bodies.Login body) {
        Bodies.required(body);
        return auth.login(body.username(), Bodies.chars(body.password()), servletRequest.getRemoteAddr());
    }

    @GET
    @Path("auth/oidc")
    @Operation(summary = "Whether and how the dashboard logs in with the OpenID Connect provider (no token needed)")
    public Bodies.OidcConfiguration oidc() {
        try {
            return auth.oidcLogin().map(Bodies.OidcConfiguration::of).orElse(Bodies.OidcConfiguration.OFF);
        } catch (IllegalStateException e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "unavailable", e.getMessage(), List.of());
        }
    }

    @GET
    @Path("auth/me")
    @Operation(summary = "The caller: organisation and roles per project")
    public Bodies.Me me() {
        Caller caller = Callers.of(servletRequest);
        Map<String, Set<Role>> roles = new TreeMap<>();
        for (Project p : tenancy.projects(caller)) {
            roles.put(p.name(), caller.projectRoles().get(p.id()));
        }
        List<Organization> orgs = tenancy.organizations(caller);
        String own = orgs.stream().filter(o -> o.id().equals(caller.orgId())).map(Organization::name).findFirst().orElse(null);
        List<String> administers = orgs.stream().filter(o -> caller.orgAdminOf().contains(o.id())).map(Organization::name).toList();
        return new Bodies.Me(caller.username(), own, caller.platformAdmin(), administers, roles);
    }

    @GET
    @Path("tokens")
    @Operation(summary = "The caller's unexpired tokens (never the token values)")
    public List<TokenInfo> tokens() {
        return auth.tokens(Callers.of(servletRequest));
    }

    @POST
    @Path("tokens")
    @Operation(summary = "Issue a named API token for the caller; the value is shown only in this answer")
    public Response createToken(Bodies.Token body) {
        Bodies.required(body);
        int days = body.expiresInDays() == null ? 90 : body.expiresInDays();
        IssuedToken token = auth.createApiToken(Callers.of(servletRequest), body.name(), Duration.ofDays(days));
        return Response.status(Response.Status.CREATED).entity(token).build();
    }

    @DELETE
    @Path("tokens/{id}")
    @Operation(summary = "Revoke one of the caller's tokens")
    public Response revokeToken(@PathParam("id") String id) {
        auth.revokeToken(Callers.of(servletRequest), id);
        return Response.noContent().build();
    }
}
