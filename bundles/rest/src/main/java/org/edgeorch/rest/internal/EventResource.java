package org.edgeorch.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.edgeorch.observability.EventService;
import org.edgeorch.observability.EventStream;
import org.edgeorch.observability.Events;
import org.edgeorch.store.event.EventType;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A project's events: the journal with filters and paging, and the live stream as Server-Sent Events. The stream is
 * authorised before its first byte (another tenant's project is a 404 like every other path) and resumes after
 * {@code Last-Event-ID}; it works with a bearer header, so a page reads it with {@code fetch}. Every 30 s the stream
 * checks that bearer token again (as the request filter did: signature, expiry, revocation, account, and the roles
 * it grants now, stored or, for an OpenID Connect token, in its claims), so it ends with the token.
 */
@Path("/")
@Tag(name = "events", description = "One stream of what happens in a project")
public class EventResource {

    static final String EVENT_STREAM = "text/event-stream";
    /** A comment line this often keeps proxies from closing a quiet stream, and finds readers that left. */
    static final Duration KEEPALIVE = Duration.ofSeconds(20);

    private final EventService events;
    private final AuthService auth;
    private final ObjectMapper json = RestComponent.objectMapper();

    @Context
    HttpServletRequest servletRequest;

    public EventResource(EventService events, AuthService auth) {
        this.events = events;
        this.auth = auth;
    }

    @GET
    @Path("projects/{project}/events")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The project's events, newest first, with filters and paging (PROJECT_READ)")
    public Events.Page list(@PathParam("project") String project,
                            @Parameter(description = "event types, comma-separated (host.status-changed, rollout.changed, ...)")
                            @QueryParam("type") String type,
                            @Parameter(description = "the object: a host, rollout, deployment or OS profile name")
                            @QueryParam("subject") String subject,
                            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("from") String from,
                            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("to") String to,
                            @Parameter(description = "only events with a greater id") @QueryParam("after") String after,
                            @QueryParam("offset") @DefaultValue("0") String offset,
                            @QueryParam("limit") @DefaultValue("50") String limit) {
        return events.events(Callers.of(servletRequest), project, new Events.Query(filter(type, subject),
                instant("from", from), instant("to", to), after == null ? null : id("after", after),
                ProjectResource.integer("offset", offset), ProjectResource.integer("limit", limit)));
    }

    @GET
    @Path("projects/{project}/events/stream")
    @Produces(EVENT_STREAM)
    @Operation(summary = "The project's events as they happen, as Server-Sent Events (PROJECT_READ); with Last-Event-ID"
            + " (header, or lastEventId) the retained events after that id come first")
    public Response stream(@PathParam("project") String project,
                           @QueryParam("type") String type, @QueryParam("subject") String subject,
                           @Parameter(description = "the id of the last event received; the header wins")
                           @QueryParam("lastEventId") String lastEventId,
                           @HeaderParam("Last-Event-ID") String lastEventIdHeader,
                           @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String resume = lastEventIdHeader != null && !lastEventIdHeader.isBlank() ? lastEventIdHeader : lastEventId;
        Caller caller = Callers.of(servletRequest);
        String token = AuthFilter.bearer(authorization);
        String source = servletRequest.getRemoteAddr();
        EventStream stream;
        try {
            stream = events.follow(caller, () -> auth.authenticate(token, source), project, filter(type, subject),
                    resume == null || resume.isBlank() ? null : id("Last-Event-ID", resume));
        } catch (Events.TooManyStreamsException e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "too_many_streams", e.getMessage(), List.of());
        }
        StreamingOutput body = out -> pump(stream, out);
        return Response.ok(body, EVENT_STREAM).header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no").build();
    }

    private void pump(EventStream stream, OutputStream out) {
        try (stream) {
            write(out, "retry: 3000\n: events of this project\n\n");
            while (true) {
                List<Events.Event> batch;
                try {
                    batch = stream.next(KEEPALIVE);
                } catch (TenancyException e) {
                    ApiError error = e.reason() == TenancyException.Reason.UNAUTHENTICATED
                            ? new ApiError(401, "unauthenticated", "the stream's credentials ended: " + e.getMessage(), List.of())
                            : new ApiError(403, "forbidden", "access to the project ended: " + e.getMessage(), List.of());
                    write(out, "event: error\ndata: " + json.writeValueAsString(error) + "\n\n");
                    return;
                } catch (IllegalStateException e) {
                    return; // the orchestrator is stopping
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (batch.isEmpty()) {
                    write(out, ": keepalive\n\n");
                    continue;
                }
                StringBuilder b = new StringBuilder();
                for (Events.Event e : batch) {
                    b.append("id: ").append(e.id()).append('\n');
                    b.append("event: ").append(e.type()).append('\n');
                    b.append("data: ").append(json.writeValueAsString(e)).append("\n\n");
                }
                write(out, b.toString());
            }
        } catch (IOException e) {
            // The reader left (a closed tab, a page that ended its stream): the stream is closed by the try and the
            // connection ends. That is how every stream ends, so it is no error: thrown on, CXF would log an ERROR and
            // a stack trace for each; and CXF's closing of the response would fail the same way (a WARN and a stack
            // trace, then a second for the fault it tries to write): what is left of the response goes nowhere.
            Message message = PhaseInterceptorChain.getCurrentMessage();
            if (message != null) {
                message.setContent(OutputStream.class, OutputStream.nullOutputStream());
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static Events.Filter filter(String type, String subject) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        if (type != null && !type.isBlank()) {
            for (String t : type.split(",")) {
                types.add(EventType.parse(t).orElseThrow(() -> ApiException.badParameter("type", "'" + cut(t.strip())
                        + "' is not an event type; one of " + EventType.keys())));
            }
        }
        if (subject != null && subject.length() > 255) {
            throw ApiException.badParameter("subject", "at most 255 characters");
        }
        return new Events.Filter(types, subject == null || subject.isBlank() ? null : subject);
    }

    private static long id(String field, String value) {
        try {
            long id = Long.parseLong(value.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(field, "'" + cut(value) + "' is not an event id (a whole number, 0 or more)");
        }
    }

    static Instant instant(String field, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter(field, "'" + cut(value) + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static String cut(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
