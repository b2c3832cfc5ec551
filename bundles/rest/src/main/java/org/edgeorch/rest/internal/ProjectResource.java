package org.edgeorch.rest.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

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

import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.RoleBinding;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyService;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Projects, their role bindings and their audit log. A project the caller has no role in answers 404. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "projects", description = "Projects, roles and audit")
public class ProjectResource {

    private final TenancyService tenancy;
    private final AuditLog audit;

    @Context
    HttpServletRequest servletRequest;

    public ProjectResource(TenancyService tenancy, AuditLog audit) {
        this.tenancy = tenancy;
        this.audit = audit;
    }

    private Caller caller() {
        return Callers.of(servletRequest);
    }

    @GET
    @Path("projects")
    @Operation(summary = "Projects the caller has a role in")
    public List<Project> list() {
        return tenancy.projects(caller());
    }

    @POST
    @Path("projects")
    @Operation(summary = "Create a project in an organisation (its administrators)")
    public Response create(Bodies.Project body) {
        Bodies.required(body);
        Project created = tenancy.createProject(caller(), body.organization(), body.name(), body.displayName());
        return Response.created(ReleaseResource.location("projects/{project}", created.name())).entity(created).build();
    }

    @GET
    @Path("projects/{project}")
    @Operation(summary = "One project")
    public Project get(@PathParam("project") String project) {
        return tenancy.project(caller(), project);
    }

    @DELETE
    @Path("projects/{project}")
    @Operation(summary = "Delete a project (organisation administrators)")
    public Response delete(@PathParam("project") String project) {
        tenancy.deleteProject(caller(), project);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/roles")
    @Operation(summary = "Who holds which role in the project")
    public List<RoleBinding> roles(@PathParam("project") String project) {
        return tenancy.projectRoles(caller(), project);
    }

    @POST
    @Path("projects/{project}/roles")
    @Operation(summary = "Grant a project role to a user or group of the project's organisation")
    public Response grant(@PathParam("project") String project, Bodies.RoleGrant body) {
        Bodies.required(body);
        return Response.status(Response.Status.CREATED)
                .entity(tenancy.grantProjectRole(caller(), project, body.subjectType(), body.subject(), body.role())).build();
    }

    @DELETE
    @Path("projects/{project}/roles/{binding}")
    @Operation(summary = "Revoke a role binding")
    public Response revoke(@PathParam("project") String project, @PathParam("binding") String binding) {
        tenancy.revokeProjectRole(caller(), project, binding);
        return Response.noContent().build();
    }

    @GET
    @Path("projects/{project}/audit")
    @Operation(summary = "The project's audit log, newest first (needs AUDIT_READ)")
    public AuditLog.Page projectAudit(@PathParam("project") String project,
                                      @QueryParam("actor") String actor, @QueryParam("action") String action,
                                      @QueryParam("outcome") String outcome,
                                      @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("from") String from,
                                      @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("to") String to,
                                      @QueryParam("offset") @DefaultValue("0") String offset,
                                      @QueryParam("limit") @DefaultValue("50") String limit) {
        tenancy.authorize(caller(), project, Permission.AUDIT_READ);
        return audit.query(caller(), query(project, actor, action, outcome, from, to, offset, limit));
    }

    @GET
    @Path("audit")
    @Operation(summary = "Every audit event the caller may read, newest first, with filters")
    public AuditLog.Page audit(@QueryParam("project") String project, @QueryParam("actor") String actor,
                               @QueryParam("action") String action, @QueryParam("outcome") String outcome,
                               @QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("offset") @DefaultValue("0") String offset,
                               @QueryParam("limit") @DefaultValue("50") String limit) {
        return audit.query(caller(), query(project, actor, action, outcome, from, to, offset, limit));
    }

    static AuditLog.Query query(String project, String actor, String action, String outcome, String from, String to,
                                String offset, String limit) {
        AuditLog.Outcome o = null;
        if (outcome != null) {
            try {
                o = AuditLog.Outcome.valueOf(outcome.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("outcome", "'" + outcome + "' is not one of SUCCESS, DENIED, FAILED");
            }
        }
        return new AuditLog.Query(project, actor, action, o, instant("from", from), instant("to", to),
                integer("offset", offset), integer("limit", limit));
    }

    /** Query integers are parsed here: JAX-RS would answer a bad one with 404. */
    static int integer(String field, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(field, "'" + value + "' is not a whole number");
        }
    }

    private static Instant instant(String field, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter(field, "'" + value + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
