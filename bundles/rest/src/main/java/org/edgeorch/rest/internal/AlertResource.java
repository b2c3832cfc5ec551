package org.edgeorch.rest.internal;

import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.edgeorch.observability.AlertService;
import org.edgeorch.observability.Alerts;
import org.edgeorch.observability.Alerts.AlertState;
import org.edgeorch.observability.Alerts.ReceiverKind;
import org.edgeorch.observability.Alerts.RuleKind;
import org.edgeorch.observability.Alerts.Severity;
import org.edgeorch.observability.Alerts.TargetType;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A project's alerts, alert rules (with overrides per region, site or host), silences and receivers. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "alerts", description = "Alert rules, the alerts they fire and resolve, acknowledgements and silences")
public class AlertResource {

    private final AlertService alerts;

    @Context
    HttpServletRequest servletRequest;

    public AlertResource(AlertService alerts) {
        this.alerts = alerts;
    }

    @Schema(name = "AlertRuleRequest")
    record RuleBody(String name, RuleKind kind, String parameter, Double threshold, Long durationSeconds,
                    Severity severity, String selector, Boolean enabled) {
    }

    @Schema(name = "AlertRuleUpdate", description = "Fields left out stay as they are; an empty selector applies the"
            + " rule to every host again")
    record RuleUpdate(Double threshold, Long durationSeconds, Severity severity, String selector, Boolean enabled) {
    }

    @Schema(name = "AlertRuleOverrideRequest", description = "Fields left out are inherited (host, then site, then"
            + " the nearest region, then the rule)")
    record OverrideBody(Double threshold, Long durationSeconds, Boolean enabled) {
    }

    @Schema(name = "AlertReceiverRequest", description = "WEBHOOK: url (http/https), secret = HMAC key (16 to 512"
            + " characters, optional); ALERTMANAGER: url = its base URL; EMAIL: url = smtp://host[:port], emailFrom,"
            + " emailTo, optional smtpUser with its password as secret. The secret is write-only.")
    record ReceiverBody(String name, ReceiverKind kind, String url, String emailFrom, List<String> emailTo,
                        String smtpUser, String secret, Severity minSeverity) {
        @Override
        public String toString() {
            return "ReceiverBody[" + name + ", secret " + (secret == null ? "none" : "set") + "]";
        }
    }

    @Schema(name = "AlertReceiverUpdate", description = "Fields left out stay as they are; an empty secret or smtpUser"
            + " removes it")
    record ReceiverUpdate(String url, String emailFrom, List<String> emailTo, String smtpUser, String secret,
                          Severity minSeverity) {
        @Override
        public String toString() {
            return "ReceiverUpdate[" + url + ", secret " + (secret == null ? "unchanged" : "given") + "]";
        }
    }

    @Schema(name = "SilenceRequest")
    record SilenceBody(String rule, String subject, String comment, Long minutes) {
    }

    // ---- alerts ------------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/alerts")
    @Operation(summary = "The project's alerts, newest first (PROJECT_READ)")
    public Alerts.AlertPage alerts(@PathParam("project") String project, @QueryParam("state") String state,
                                   @QueryParam("rule") String rule, @QueryParam("subject") String subject,
                                   @QueryParam("offset") @DefaultValue("0") String offset,
                                   @QueryParam("limit") @DefaultValue("100") String limit) {
        return alerts.alerts(Callers.of(servletRequest), project, new Alerts.AlertQuery(state(state), rule, subject,
                ProjectResource.integer("offset", offset), ProjectResource.integer("limit", limit)));
    }

    @GET
    @Path("projects/{project}/alerts/{id}")
    @Operation(summary = "One alert (PROJECT_READ)")
    public Alerts.Alert alert(@PathParam("project") String project, @PathParam("id") String id) {
        return alerts.alert(Callers.of(servletRequest), project, id);
    }

    @POST
    @Path("projects/{project}/alerts/{id}/acknowledge")
    @Operation(summary = "Acknowledge a firing alert (OPERATE)")
    public Alerts.Alert acknowledge(@PathParam("project") String project, @PathParam("id") String id) {
        return alerts.acknowledge(Callers.of(servletRequest), project, id);
    }

    private static AlertState state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return AlertState.valueOf(state.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("state", "'" + org.edgeorch.platform.Inputs.prefix(state)
                    + "' is not a state; FIRING or RESOLVED");
        }
    }

    // ---- rules -------------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/alert-rules")
    @Operation(summary = "The project's alert rules, the defaults among them (PROJECT_READ)")
    public List<Alerts.Rule> rules(@PathParam("project") String project) {
        return alerts.rules(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/alert-rules")
    @Operation(summary = "Create an alert rule (CONFIG_WRITE)")
    public Response createRule(@PathParam("project") String project, RuleBody body) {
        Bodies.required(body);
        Alerts.Rule created = alerts.createRule(Callers.of(servletRequest), project, new Alerts.RuleSpec(body.name(),
                body.kind(), body.parameter(), body.threshold(), body.durationSeconds(), body.severity(), body.selector(),
                body.enabled()));
        return Response.created(ReleaseResource.location("projects/{project}/alert-rules/{name}", project, created.name()))
                .entity(created).build();
    }

    @GET
    @Path("projects/{project}/alert-rules/{name}")
    @Operation(summary = "One alert rule with its overrides (PROJECT_READ)")
    public Alerts.Rule rule(@PathParam("project") String project, @PathParam("name") String name) {
        return alerts.rule(Callers.of(servletRequest), project, name);
    }

    @PATCH
    @Path("projects/{project}/alert-rules/{name}")
    @Operation(summary = "Change a rule's threshold, duration, severity, selector or enablement within bounds (CONFIG_WRITE)")
    public Alerts.Rule updateRule(@PathParam("project") String project, @PathParam("name") String name, RuleUpdate body) {
        Bodies.required(body);
        return alerts.updateRule(Callers.of(servletRequest), project, name, new Alerts.RuleChange(body.threshold(),
                body.durationSeconds(), body.severity(), body.selector(), body.enabled()));
    }

    @DELETE
    @Path("projects/{project}/alert-rules/{name}")
    @Operation(summary = "Delete a rule of the project's own; its alerts resolve (CONFIG_WRITE; defaults are disabled instead)")
    public Response deleteRule(@PathParam("project") String project, @PathParam("name") String name) {
        alerts.deleteRule(Callers.of(servletRequest), project, name);
        return Response.noContent().build();
    }

    @PUT
    @Path("projects/{project}/alert-rules/{name}/overrides/{targetType}/{target}")
    @Operation(summary = "Set the rule's threshold, duration or enablement for a region, site or host (CONFIG_WRITE)")
    public Alerts.Rule setOverride(@PathParam("project") String project, @PathParam("name") String name,
                                   @PathParam("targetType") String targetType, @PathParam("target") String target,
                                   OverrideBody body) {
        Bodies.required(body);
        return alerts.setOverride(Callers.of(servletRequest), project, name, new Alerts.RuleOverride(
                targetType(targetType), target, body.threshold(), body.durationSeconds(), body.enabled()));
    }

    @DELETE
    @Path("projects/{project}/alert-rules/{name}/overrides/{targetType}/{target}")
    @Operation(summary = "Remove the rule's override for a region, site or host (CONFIG_WRITE)")
    public Alerts.Rule clearOverride(@PathParam("project") String project, @PathParam("name") String name,
                                     @PathParam("targetType") String targetType, @PathParam("target") String target) {
        return alerts.clearOverride(Callers.of(servletRequest), project, name, targetType(targetType), target);
    }

    /** The type, or null for one that is not: the service answers that after authorising the caller. */
    private static TargetType targetType(String value) {
        try {
            return TargetType.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- silences ----------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/silences")
    @Operation(summary = "The project's silences (PROJECT_READ)")
    public List<Alerts.Silence> silences(@PathParam("project") String project) {
        return alerts.silences(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/silences")
    @Operation(summary = "Mute the alerts of a rule and/or a subject for some minutes (OPERATE)")
    public Response createSilence(@PathParam("project") String project, SilenceBody body) {
        Bodies.required(body);
        Alerts.Silence created = alerts.createSilence(Callers.of(servletRequest), project, new Alerts.SilenceSpec(
                body.rule(), body.subject(), body.comment(), body.minutes()));
        return Response.created(ReleaseResource.location("projects/{project}/silences/{id}", project, created.id()))
                .entity(created).build();
    }

    @DELETE
    @Path("projects/{project}/silences/{id}")
    @Operation(summary = "End a silence now (OPERATE)")
    public Alerts.Silence expireSilence(@PathParam("project") String project, @PathParam("id") String id) {
        return alerts.expireSilence(Callers.of(servletRequest), project, id);
    }

    // ---- receivers ---------------------------------------------------------------------------------------

    @GET
    @Path("projects/{project}/alert-receivers")
    @Operation(summary = "The project's alert receivers; a secret shows only as {\"set\": true} (PROJECT_READ)")
    public List<Alerts.Receiver> receivers(@PathParam("project") String project) {
        return alerts.receivers(Callers.of(servletRequest), project);
    }

    @POST
    @Path("projects/{project}/alert-receivers")
    @Operation(summary = "Add a webhook, Alertmanager or email receiver (CONFIG_WRITE)")
    public Response createReceiver(@PathParam("project") String project, ReceiverBody body) {
        Bodies.required(body);
        Alerts.Receiver created = alerts.createReceiver(Callers.of(servletRequest), project, new Alerts.ReceiverSpec(
                body.name(), body.kind(), body.url(), body.emailFrom(), body.emailTo(), body.smtpUser(), body.secret(),
                body.minSeverity()));
        return Response.created(ReleaseResource.location("projects/{project}/alert-receivers/{name}", project,
                created.name())).entity(created).build();
    }

    @GET
    @Path("projects/{project}/alert-receivers/{name}")
    @Operation(summary = "One alert receiver (PROJECT_READ)")
    public Alerts.Receiver receiver(@PathParam("project") String project, @PathParam("name") String name) {
        return alerts.receiver(Callers.of(servletRequest), project, name);
    }

    @PATCH
    @Path("projects/{project}/alert-receivers/{name}")
    @Operation(summary = "Change a receiver's url, addresses, secret or minimum severity (CONFIG_WRITE)")
    public Alerts.Receiver updateReceiver(@PathParam("project") String project, @PathParam("name") String name,
                                          ReceiverUpdate body) {
        Bodies.required(body);
        return alerts.updateReceiver(Callers.of(servletRequest), project, name, new Alerts.ReceiverChange(body.url(),
                body.emailFrom(), body.emailTo(), body.smtpUser(), body.secret(), body.minSeverity()));
    }

    @DELETE
    @Path("projects/{project}/alert-receivers/{name}")
    @Operation(summary = "Remove a receiver and its unsent notifications (CONFIG_WRITE)")
    public Response deleteReceiver(@PathParam("project") String project, @PathParam("name") String name) {
        alerts.deleteReceiver(Callers.of(servletRequest), project, name);
        return Response.noContent().build();
    }

    @POST
    @Path("projects/{project}/alert-receivers/{name}/test")
    @Operation(summary = "Send a test notification now and say whether the peer took it (CONFIG_WRITE)")
    public Alerts.ReceiverTestResult testReceiver(@PathParam("project") String project, @PathParam("name") String name) {
        return alerts.testReceiver(Callers.of(servletRequest), project, name);
    }
}
