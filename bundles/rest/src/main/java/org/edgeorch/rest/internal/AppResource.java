package org.edgeorch.rest.internal;

import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.apps.AppService;
import org.edgeorch.apps.Apps;
import org.edgeorch.apps.Apps.DeploymentSpec;
import org.edgeorch.apps.Apps.ProfileSpec;
import org.edgeorch.apps.Apps.TargetKind;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A project's applications, their signed versions and profiles, and deployments. Secret values are write-only: every
 * answer shows them as "********", and sending that back keeps the stored value. Rooted at "/" (see FleetResource).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "applications", description = "Applications, signed versions, profiles and deployments by selector or host list")
public class AppResource {

    private final AppService apps;

    @Context
    HttpServletRequest servletRequest;

    public AppResource(AppService apps) {
        this.apps = apps;
    }

    @Schema(name = "ApplicationRequest")
    record ApplicationBody(String name, String description) {
    }

    @Schema(name = "AppVersionRequest", description = "The version's manifest (JSON text, exactly as signed) and the"
            + " detached CMS signature over its UTF-8 bytes (DER, base64)")
    record VersionBody(String manifest, String signature) {
    }

    @Schema(name = "AppProfileRequest")
    record ProfileBody(String name, String description, Map<String, String> values) {
    }

    @Schema(name = "DeploymentRequest")
    record DeploymentBody(String name, String application, String version, String profile, Map<String, String> overrides,
                          TargetKind targetKind, String selector, List<String> hosts, String versionRange) {
    }

    @Schema(name = "PackageRequest")
    record PackageBody(String name, String description) {
    }

    @Schema(name = "PackageVersionRequest", description = "A version of a package: one entry per application, each an"
            + " application version of the project and optionally a profile of it")
    record PackageVersionBody(String version, String description, List<Apps.PackageEntry> entries) {
    }

    @Schema(name = "PackageDeploymentRequest", description = "Deploy a package version to a target: one member"
            + " deployment <name>-<application> per entry")
    record PackageDeploymentBody(String name, String version, TargetKind targetKind, String selector, List<String> hosts) {
    }

    @Schema(name = "PackageUpgradeRequest")
    record PackageUpgradeBody(String version) {
    }

    // ---- applications -----------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/apps")
    @Operation(summary = "The project's applications, each with its versions (newest first)")
    public List<Apps.Application> applications(@PathParam("project") String project) {
        return apps.applications(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/apps")
    @Operation(summary = "Create an application (CONFIG_WRITE)")
    public Response createApplication(@PathParam("project") String project, ApplicationBody body) {
        Bodies.required(body);
        Apps.Application created = apps.createApplication(Callers.of(servletRequest), project, body.name(), body.description());
        return Response.created(ReleaseResource.location("projects/{project}/apps/{app}", project, created.name()))
                .entity(created).build();
    }

    @GET
    @Path("projects/{project}/apps/{app}")
    @Operation(summary = "One application")
    public Apps.Application application(@PathParam("project") String project, @PathParam("app") String app) {
        return apps.application(Callers.of(servletRequest), project, app);
    }

    @DELETE
    @Path("projects/{project}/apps/{app}")
    @Operation(summary = "Delete an application no deployment uses, with its versions and profiles (CONFIG_WRITE)")
    public Response deleteApplication(@PathParam("project") String project, @PathParam("app") String app) {
        apps.deleteApplication(Callers.of(servletRequest), project, app);
        return Response.noContent().build();
    }

    // ---- versions ---------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/apps/{app}/versions")
    @Operation(summary = "The application's versions, newest first")
    public List<Apps.AppVersion> versions(@PathParam("project") String project, @PathParam("app") String app) {
        return apps.versions(Callers.of(servletRequest), project, app);
    }

    @POST
    @Path("projects/{project}/apps/{app}/versions")
    @Operation(summary = "Publish a version: its signed manifest, checked against the release trust store; unsigned,"
            + " tampered, untrusted or revoked-signer versions are refused (CONFIG_WRITE)")
    public Response publishVersion(@PathParam("project") String project, @PathParam("app") String app, VersionBody body) {
        Bodies.required(body);
        Apps.AppVersion created = apps.publishVersion(Callers.of(servletRequest), project, app, body.manifest(),
                body.signature());
        return Response.created(ReleaseResource.location("projects/{project}/apps/{app}/versions/{version}", project, app,
                created.version())).entity(created).build();
    }

    @GET
    @Path("projects/{project}/apps/{app}/versions/{version}")
    @Operation(summary = "One version: runtime, artifacts by digest, parameter template, signer")
    public Apps.AppVersion version(@PathParam("project") String project, @PathParam("app") String app,
                                   @PathParam("version") String version) {
        return apps.version(Callers.of(servletRequest), project, app, version);
    }

    @DELETE
    @Path("projects/{project}/apps/{app}/versions/{version}")
    @Operation(summary = "Delete a version no deployment uses, with its profiles (CONFIG_WRITE)")
    public Response deleteVersion(@PathParam("project") String project, @PathParam("app") String app,
                                  @PathParam("version") String version) {
        apps.deleteVersion(Callers.of(servletRequest), project, app, version);
        return Response.noContent().build();
    }

    // ---- profiles ---------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/apps/{app}/versions/{version}/profiles")
    @Operation(summary = "The version's profiles; secret values redacted")
    public List<Apps.Profile> profiles(@PathParam("project") String project, @PathParam("app") String app,
                                       @PathParam("version") String version) {
        return apps.profiles(Callers.of(servletRequest), project, app, version);
    }

    @POST
    @Path("projects/{project}/apps/{app}/versions/{version}/profiles")
    @Operation(summary = "Create a profile: values checked per parameter against the version's template (CONFIG_WRITE)")
    public Response createProfile(@PathParam("project") String project, @PathParam("app") String app,
                                  @PathParam("version") String version, ProfileBody body) {
        Bodies.required(body);
        Apps.Profile created = apps.createProfile(Callers.of(servletRequest), project, app, version,
                new ProfileSpec(body.name(), body.description(), body.values()));
        return Response.created(ReleaseResource.location("projects/{project}/apps/{app}/versions/{version}/profiles/{name}",
                project, app, version, created.name())).entity(created).build();
    }

    @GET
    @Path("projects/{project}/apps/{app}/versions/{version}/profiles/{name}")
    @Operation(summary = "One profile; secret values redacted")
    public Apps.Profile profile(@PathParam("project") String project, @PathParam("app") String app,
                                @PathParam("version") String version, @PathParam("name") String name) {
        return apps.profile(Callers.of(servletRequest), project, app, version, name);
    }

    @PUT
    @Path("projects/{project}/apps/{app}/versions/{version}/profiles/{name}")
    @Operation(summary = "Replace a profile's description and values; a secret sent as ******** keeps its value"
            + " (CONFIG_WRITE)")
    public Apps.Profile updateProfile(@PathParam("project") String project, @PathParam("app") String app,
                                      @PathParam("version") String version, @PathParam("name") String name,
                                      ProfileBody body) {
        Bodies.required(body);
        return apps.updateProfile(Callers.of(servletRequest), project, app, version, name,
                new ProfileSpec(name, body.description(), body.values()));
    }

    @DELETE
    @Path("projects/{project}/apps/{app}/versions/{version}/profiles/{name}")
    @Operation(summary = "Delete a profile no deployment uses (CONFIG_WRITE)")
    public Response deleteProfile(@PathParam("project") String project, @PathParam("app") String app,
                                  @PathParam("version") String version, @PathParam("name") String name) {
        apps.deleteProfile(Callers.of(servletRequest), project, app, version, name);
        return Response.noContent().build();
    }

    // ---- deployments ------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/deployments")
    @Operation(summary = "The project's deployments; secret overrides redacted")
    public List<Apps.Deployment> deployments(@PathParam("project") String project) {
        return apps.deployments(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/deployments")
    @Operation(summary = "Deploy a version (profile, overrides) to the hosts a selector (site=berlin, tier in (pos))"
            + " or a host list names (OPERATE)")
    public Response createDeployment(@PathParam("project") String project, DeploymentBody body) {
        Bodies.required(body);
        Apps.Deployment created = apps.createDeployment(Callers.of(servletRequest), project, spec(body));
        return Response.created(ReleaseResource.location("projects/{project}/deployments/{name}", project, created.name()))
                .entity(created).build();
    }

    @GET
    @Path("projects/{project}/deployments/{name}")
    @Operation(summary = "One deployment; secret overrides redacted")
    public Apps.Deployment deployment(@PathParam("project") String project, @PathParam("name") String name) {
        return apps.deployment(Callers.of(servletRequest), project, name);
    }

    @PATCH
    @Path("projects/{project}/deployments/{name}")
    @Operation(summary = "Change a deployment's version, profile, overrides or target; absent fields stay (OPERATE)")
    public Apps.Deployment updateDeployment(@PathParam("project") String project, @PathParam("name") String name,
                                            DeploymentBody body) {
        Bodies.required(body);
        return apps.updateDeployment(Callers.of(servletRequest), project, name, spec(body));
    }

    @DELETE
    @Path("projects/{project}/deployments/{name}")
    @Operation(summary = "Delete a deployment: its hosts remove the application at their next sync (OPERATE)")
    public Response deleteDeployment(@PathParam("project") String project, @PathParam("name") String name) {
        apps.deleteDeployment(Callers.of(servletRequest), project, name);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/deployments/{name}/targets")
    @Operation(summary = "The hosts the deployment targets now, with the metadata they were chosen by")
    public List<Apps.TargetHost> targets(@PathParam("project") String project, @PathParam("name") String name) {
        return apps.targets(Callers.of(servletRequest), project, name);
    }

    @GET
    @Path("projects/{project}/deployments/{name}/status")
    @Operation(summary = "The deployment's state on each host it targets, as their app agents report it, with counts"
            + " per state")
    public Apps.DeploymentStatus status(@PathParam("project") String project, @PathParam("name") String name) {
        return apps.deploymentStatus(Callers.of(servletRequest), project, name);
    }

    // ---- deployment packages ------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/packages")
    @Operation(summary = "The project's deployment packages, each with its versions (newest first)")
    public List<Apps.DeploymentPackage> packages(@PathParam("project") String project) {
        return apps.packages(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/packages")
    @Operation(summary = "Create a deployment package (CONFIG_WRITE)")
    public Response createPackage(@PathParam("project") String project, PackageBody body) {
        Bodies.required(body);
        Apps.DeploymentPackage created = apps.createPackage(Callers.of(servletRequest), project, body.name(),
                body.description());
        return Response.created(ReleaseResource.location("projects/{project}/packages/{package}", project, created.name()))
                .entity(created).build();
    }

    @GET
    @Path("projects/{project}/packages/{package}")
    @Operation(summary = "One deployment package")
    public Apps.DeploymentPackage deploymentPackage(@PathParam("project") String project, @PathParam("package") String name) {
        return apps.deploymentPackage(Callers.of(servletRequest), project, name);
    }

    @DELETE
    @Path("projects/{project}/packages/{package}")
    @Operation(summary = "Delete a package no deployment runs, with its versions (CONFIG_WRITE)")
    public Response deletePackage(@PathParam("project") String project, @PathParam("package") String name) {
        apps.deletePackage(Callers.of(servletRequest), project, name);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/packages/{package}/versions")
    @Operation(summary = "The package's versions, newest first, with their entries")
    public List<Apps.PackageVersion> packageVersions(@PathParam("project") String project,
                                                     @PathParam("package") String name) {
        return apps.packageVersions(Callers.of(servletRequest), project, name);
    }

    @POST
    @Path("projects/{project}/packages/{package}/versions")
    @Operation(summary = "Create a package version: application versions, a profile each; immutable (CONFIG_WRITE)")
    public Response createPackageVersion(@PathParam("project") String project, @PathParam("package") String name,
                                         PackageVersionBody body) {
        Bodies.required(body);
        Apps.PackageVersion created = apps.createPackageVersion(Callers.of(servletRequest), project, name,
                new Apps.PackageVersionSpec(body.version(), body.description(), body.entries()));
        return Response.created(ReleaseResource.location("projects/{project}/packages/{package}/versions/{version}", project,
                name, created.version())).entity(created).build();
    }

    @GET
    @Path("projects/{project}/packages/{package}/versions/{version}")
    @Operation(summary = "One package version with its entries")
    public Apps.PackageVersion packageVersion(@PathParam("project") String project, @PathParam("package") String name,
                                              @PathParam("version") String version) {
        return apps.packageVersion(Callers.of(servletRequest), project, name, version);
    }

    @DELETE
    @Path("projects/{project}/packages/{package}/versions/{version}")
    @Operation(summary = "Delete a package version no deployment runs (CONFIG_WRITE)")
    public Response deletePackageVersion(@PathParam("project") String project, @PathParam("package") String name,
                                         @PathParam("version") String version) {
        apps.deletePackageVersion(Callers.of(servletRequest), project, name, version);
        return Response.noContent().build();
    }

    @POST
    @Path("projects/{project}/packages/{package}/deployments")
    @Operation(summary = "Deploy a package version to a selector or host list: one member deployment per entry, all or"
            + " none (OPERATE)")
    public Response deployPackage(@PathParam("project") String project, @PathParam("package") String name,
                                  PackageDeploymentBody body) {
        Bodies.required(body);
        List<Apps.Deployment> members = apps.deployPackage(Callers.of(servletRequest), project, name,
                new Apps.PackageDeploymentSpec(body.name(), body.version(), body.targetKind(), body.selector(), body.hosts()));
        return Response.created(ReleaseResource.location("projects/{project}/packages/{package}/deployments/{name}", project,
                name, body.name())).entity(members).build();
    }

    @GET
    @Path("projects/{project}/packages/{package}/deployments/{name}")
    @Operation(summary = "A package deployment's member deployments")
    public List<Apps.Deployment> packageDeployment(@PathParam("project") String project, @PathParam("package") String name,
                                                   @PathParam("name") String deployment) {
        return apps.packageDeployment(Callers.of(servletRequest), project, name, deployment);
    }

    @PATCH
    @Path("projects/{project}/packages/{package}/deployments/{name}")
    @Operation(summary = "Move a package deployment to another version of its package, every member together (OPERATE)")
    public List<Apps.Deployment> upgradePackageDeployment(@PathParam("project") String project,
                                                          @PathParam("package") String name,
                                                          @PathParam("name") String deployment, PackageUpgradeBody body) {
        Bodies.required(body);
        return apps.upgradePackageDeployment(Callers.of(servletRequest), project, name, deployment, body.version());
    }

    @DELETE
    @Path("projects/{project}/packages/{package}/deployments/{name}")
    @Operation(summary = "Remove a package deployment: every member (OPERATE)")
    public Response deletePackageDeployment(@PathParam("project") String project, @PathParam("package") String name,
                                            @PathParam("name") String deployment) {
        apps.deletePackageDeployment(Callers.of(servletRequest), project, name, deployment);
        return Response.noContent().build();
    }

    private static DeploymentSpec spec(DeploymentBody b) {
        return new DeploymentSpec(b.name(), b.application(), b.version(), b.profile(), b.overrides(), b.targetKind(),
                b.selector(), b.hosts(), b.versionRange());
    }
}
