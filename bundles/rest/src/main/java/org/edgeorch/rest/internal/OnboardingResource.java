package org.edgeorch.rest.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.Onboarding;
import org.edgeorch.fleet.OnboardingService;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Enrolment tokens, the host authority, a host's lifecycle, inventory and reports. Rooted at "/" (see FleetResource). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "onboarding", description = "Enrolment tokens, host certificates, invalidation, inventory and reports")
public class OnboardingResource {

    private final OnboardingService onboarding;

    @Context
    HttpServletRequest servletRequest;

    public OnboardingResource(OnboardingService onboarding) {
        this.onboarding = onboarding;
    }

    @GET
    @Path("southbound/ca")
    @Operation(summary = "The host certificate authority nodes trust, with the SHA-256 fingerprint to pin (public)")
    public Onboarding.CertificateAuthorityInfo certificateAuthority() {
        return onboarding.certificateAuthority();
    }

    @POST
    @Path("projects/{project}/enrolment-tokens")
    @Operation(summary = "Create an enrolment token; its secret is in this answer only (HOST_REGISTER)")
    public Response createToken(@PathParam("project") String project, Bodies.EnrolmentToken body) {
        Bodies.required(body);
        Duration validity;
        try {
            validity = body.validity() == null ? Duration.ofDays(1) : Duration.parse(body.validity());
        } catch (DateTimeParseException e) {
            throw new TenancyException(Reason.INVALID, "validity", "validity '" + body.validity()
                    + "' is not an ISO-8601 duration such as PT1H or P7D");
        }
        Onboarding.IssuedToken created = onboarding.createEnrolmentToken(Callers.of(servletRequest), project, body.name(),
                body.site(), validity, body.maxUses());
        return Response.created(ReleaseResource.location("projects/{project}/enrolment-tokens/{name}", project,
                created.token().name())).entity(created).build();
    }

    @GET
    @Path("projects/{project}/enrolment-tokens")
    @Operation(summary = "Enrolment tokens of the project, without their secrets")
    public List<Onboarding.EnrolmentToken> tokens(@PathParam("project") String project) {
        return onboarding.enrolmentTokens(Callers.of(servletRequest), project);
    }

    @DELETE
    @Path("projects/{project}/enrolment-tokens/{token}")
    @Operation(summary = "Revoke an enrolment token (HOST_REGISTER)")
    public Response revokeToken(@PathParam("project") String project, @PathParam("token") String token) {
        onboarding.revokeEnrolmentToken(Callers.of(servletRequest), project, token);
        return Response.noContent().build();
    }

    @POST
    @Path("projects/{project}/hosts/{host}/invalidate")
    @Operation(summary = "Invalidate a host: its certificates are revoked at once and its next call is refused (HOST_WRITE)")
    public Fleet.Host invalidate(@PathParam("project") String project, @PathParam("host") String host, Bodies.Invalidation body) {
        return onboarding.invalidateHost(Callers.of(servletRequest), project, host, body == null ? null : body.reason());
    }

    @DELETE
    @Path("projects/{project}/hosts/{host}")
    @Operation(summary = "Delete a host; its certificates stay on record as revoked (HOST_WRITE)")
    public Response delete(@PathParam("project") String project, @PathParam("host") String host) {
        onboarding.deleteHost(Callers.of(servletRequest), project, host);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/hosts/{host}/certificates")
    @Operation(summary = "Certificates issued to the host, newest first")
    public List<Onboarding.HostCertificate> certificates(@PathParam("project") String project, @PathParam("host") String host) {
        return onboarding.certificates(Callers.of(servletRequest), project, host);
    }

    @GET
    @Path("projects/{project}/hosts/{host}/inventory")
    @Operation(summary = "The host's last reported hardware inventory (404 until it reports one)")
    public Onboarding.Inventory inventory(@PathParam("project") String project, @PathParam("host") String host) {
        return onboarding.inventory(Callers.of(servletRequest), project, host);
    }

    @GET
    @Path("projects/{project}/hosts/{host}/inventory/changes")
    @Operation(summary = "Changes of the host's inventory, newest first")
    public List<Onboarding.InventoryChange> inventoryChanges(@PathParam("project") String project, @PathParam("host") String host,
                                                             @QueryParam("offset") @DefaultValue("0") int offset,
                                                             @QueryParam("limit") @DefaultValue("50") int limit) {
        return onboarding.inventoryChanges(Callers.of(servletRequest), project, host, offset, limit);
    }

    @GET
    @Path("projects/{project}/hosts/{host}/reports")
    @Operation(summary = "What the host's agent reported, newest first")
    public List<Onboarding.HostReport> reports(@PathParam("project") String project, @PathParam("host") String host,
                                               @QueryParam("offset") @DefaultValue("0") int offset,
                                               @QueryParam("limit") @DefaultValue("50") int limit) {
        return onboarding.reports(Callers.of(servletRequest), project, host, offset, limit);
    }
}
