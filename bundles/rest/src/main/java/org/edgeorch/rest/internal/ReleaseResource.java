package org.edgeorch.rest.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;

import org.edgeorch.release.ReleaseNotifications;
import org.edgeorch.release.ReleaseService;
import org.edgeorch.release.Releases;
import org.edgeorch.release.Releases.EventOutcome;
import org.edgeorch.release.Releases.ProfileSpec;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Verified releases, what detection did, the release trust store, each project's OS profiles and OS resources, and
 * the registry's webhook. Rooted at "/" (see FleetResource).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "releases", description = "Releases, the release trust store, OS profiles and OS resources")
public class ReleaseResource {

    static final String NOTIFICATIONS = "release/notifications";

    private final ReleaseService releases;
    private final ReleaseNotifications notifications;

    @Context
    HttpServletRequest servletRequest;

    public ReleaseResource(ReleaseService releases, ReleaseNotifications notifications) {
        this.releases = releases;
        this.notifications = notifications;
    }

    // ---- releases and events ----------------------------------------------------------------------

    @GET
    @Path("releases")
    @Operation(summary = "Verified and withdrawn releases, newest first (every signed-in user)")
    public List<Releases.Release> releases(@QueryParam("profile") String profile,
                                           @QueryParam("offset") @DefaultValue("0") String offset,
                                           @QueryParam("limit") @DefaultValue("50") String limit) {
        return releases.releases(Callers.of(servletRequest), profile, ProjectResource.integer("offset", offset),
                ProjectResource.integer("limit", limit));
    }

    @GET
    @Path("releases/{profile}/{version}")
    @Operation(summary = "One release with its image digest, signer and CVE lists")
    public Releases.Release release(@PathParam("profile") String profile, @PathParam("version") String version) {
        return releases.release(Callers.of(servletRequest), profile, version);
    }

    @GET
    @Path("releases/events")
    @Operation(summary = "What release detection did, newest first: accepted, rejected with the reason, failed, withdrawn"
            + " (platform administrators)")
    public List<Releases.ReleaseEvent> events(@QueryParam("profile") String profile,
                                              @Parameter(description = "ACCEPTED, REJECTED, FAILED or WITHDRAWN")
                                              @QueryParam("outcome") String outcome,
                                              @QueryParam("offset") @DefaultValue("0") String offset,
                                              @QueryParam("limit") @DefaultValue("50") String limit) {
        return releases.events(Callers.of(servletRequest), profile,
                outcome == null ? null : FleetResource.parse(EventOutcome.class, "outcome", outcome),
                ProjectResource.integer("offset", offset), ProjectResource.integer("limit", limit));
    }

    @POST
    @Path("releases/check")
    @Operation(summary = "Check the registry now, or one repository and tag again, and return the events this produced"
            + " (platform administrators)")
    public List<Releases.ReleaseEvent> check(Bodies.ReleaseCheck body) {
        return releases.check(Callers.of(servletRequest), body == null ? null : body.repository(),
                body == null ? null : body.tag());
    }

    // ---- trust store ------------------------------------------------------------------------------

    @GET
    @Path("release-signers")
    @Operation(summary = "Certificates whose release signatures are trusted, revoked ones included (platform administrators)")
    public List<Releases.Signer> signers() {
        return releases.signers(Callers.of(servletRequest));
    }

    @POST
    @Path("release-signers")
    @Operation(summary = "Trust a signing certificate (PEM) beside those already trusted; rotation is add, then revoke"
            + " (platform administrators)")
    public Response addSigner(Bodies.Signer body) {
        Bodies.required(body);
        return Response.status(Response.Status.CREATED)
                .entity(releases.addSigner(Callers.of(servletRequest), body.name(), body.certificate())).build();
    }

    @POST
    @Path("release-signers/{name}/revoke")
    @Operation(summary = "Revoke a signer: its signatures are refused and the releases it signed are withdrawn"
            + " (platform administrators)")
    public Releases.Signer revokeSigner(@PathParam("name") String name, Bodies.SignerRevocation body) {
        return releases.revokeSigner(Callers.of(servletRequest), name, body == null ? null : body.reason());
    }

    @GET
    @Path("release-crls")
    @Operation(summary = "Certificate revocation lists in the release trust store (platform administrators)")
    public List<Releases.RevocationList> revocationLists() {
        return releases.revocationLists(Callers.of(servletRequest));
    }

    @POST
    @Path("release-crls")
    @Operation(summary = "Add or replace a trusted CA's revocation list (PEM); its signature must verify"
            + " (platform administrators)")
    public Response addRevocationList(Bodies.RevocationList body) {
        Bodies.required(body);
        return Response.status(Response.Status.CREATED)
                .entity(releases.addRevocationList(Callers.of(servletRequest), body.crl())).build();
    }

    // ---- OS profiles and resources ------------------------------------------------------------------

    @GET
    @Path("projects/{project}/os-profiles")
    @Operation(summary = "OS profiles of the project: which releases each follows and how")
    public List<Releases.OsProfile> profiles(@PathParam("project") String project) {
        return releases.profiles(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/os-profiles")
    @Operation(summary = "Create an OS profile; in AUTOMATIC mode, verified releases already in range are offered at once"
            + " (CONFIG_WRITE)")
    public Response createProfile(@PathParam("project") String project, Bodies.OsProfile body) {
        Bodies.required(body);
        Releases.OsProfile created = releases.createProfile(Callers.of(servletRequest), project, body.name(),
                new ProfileSpec(body.releaseProfile(), body.versionRange(), body.mode(), body.architecture(),
                        body.description()));
        return Response.created(location("projects/{project}/os-profiles/{name}", project, created.name()))
                .entity(created).build();
    }

    @GET
    @Path("projects/{project}/os-profiles/{name}")
    @Operation(summary = "One OS profile with its latest version and how many OS resources it has")
    public Releases.OsProfile profile(@PathParam("project") String project, @PathParam("name") String name) {
        return releases.profile(Callers.of(servletRequest), project, name);
    }

    @PATCH
    @Path("projects/{project}/os-profiles/{name}")
    @Operation(summary = "Change an OS profile; a wider range in AUTOMATIC mode offers what it now covers (CONFIG_WRITE)")
    public Releases.OsProfile updateProfile(@PathParam("project") String project, @PathParam("name") String name,
                                            Bodies.OsProfileUpdate body) {
        Bodies.required(body);
        return releases.updateProfile(Callers.of(servletRequest), project, name, new ProfileSpec(body.releaseProfile(),
                body.versionRange(), body.mode(), body.architecture(), body.description()));
    }

    @DELETE
    @Path("projects/{project}/os-profiles/{name}")
    @Operation(summary = "Delete an OS profile and its OS resources; the releases stay (CONFIG_WRITE)")
    public Response deleteProfile(@PathParam("project") String project, @PathParam("name") String name) {
        releases.deleteProfile(Callers.of(servletRequest), project, name);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/os-profiles/{profile}/resources")
    @Operation(summary = "The profile's OS resources, newest version first: what the project's hosts can be updated to")
    public List<Releases.OsResource> resources(@PathParam("project") String project, @PathParam("profile") String profile) {
        return releases.osResources(Callers.of(servletRequest), project, profile);
    }

    @POST
    @Path("projects/{project}/os-profiles/{profile}/resources")
    @Operation(summary = "Import a verified release in the profile's range as an OS resource (manual mode, or to go back)"
            + " (CONFIG_WRITE)")
    public Response importRelease(@PathParam("project") String project, @PathParam("profile") String profile,
                                  Bodies.OsResourceImport body) {
        Bodies.required(body);
        Releases.OsResource imported = releases.importRelease(Callers.of(servletRequest), project, profile, body.version());
        return Response.created(location("projects/{project}/os-profiles/{profile}/resources/{version}", project, profile,
                imported.version())).entity(imported).build();
    }

    @GET
    @Path("projects/{project}/os-profiles/{profile}/resources/{version}")
    @Operation(summary = "One OS resource with its release")
    public Releases.OsResource resource(@PathParam("project") String project, @PathParam("profile") String profile,
                                        @PathParam("version") String version) {
        return releases.osResource(Callers.of(servletRequest), project, profile, version);
    }

    @DELETE
    @Path("projects/{project}/os-profiles/{profile}/resources/{version}")
    @Operation(summary = "Take an OS resource away from the project (CONFIG_WRITE)")
    public Response removeResource(@PathParam("project") String project, @PathParam("profile") String profile,
                                   @PathParam("version") String version) {
        releases.removeOsResource(Callers.of(servletRequest), project, profile, version);
        return Response.noContent().build();
    }

    // ---- the registry's webhook ---------------------------------------------------------------------

    /**
     * Public in {@link AuthFilter}: the registry sends the webhook token, which the service checks, not a user's. Any
     * media type, since the registry labels its envelopes {@code application/vnd.docker.distribution.events.v2+json}.
     */
    @POST
    @Path(NOTIFICATIONS)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "The release registry's push notifications (Authorization: Bearer <webhook token>, not a user"
            + " token); answers 202 with how many events were queued for verification")
    public Response notifications(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        int queued = notifications.accept(authorization, body == null ? new byte[0] : body);
        return Response.accepted(Map.of("queued", queued)).build();
    }

    /** Relative to the API's base; CXF makes it absolute from the request. Segments are encoded. */
    static URI location(String template, Object... values) {
        return UriBuilder.fromPath(template).build(values);
    }
}
