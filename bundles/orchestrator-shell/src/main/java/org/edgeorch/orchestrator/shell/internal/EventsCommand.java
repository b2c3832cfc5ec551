package org.edgeorch.orchestrator.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.observability.EventService;
import org.edgeorch.observability.EventStream;
import org.edgeorch.observability.Events;
import org.edgeorch.store.event.EventType;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.OptionsAnywhere;

/**
 * A project's events, newest last; with {@code --follow} it keeps printing them as they happen until Ctrl-C (the
 * same stream as {@code GET /projects/{p}/events/stream}).
 */
@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "events", description = "Shows a project's events; --follow keeps printing them as they happen")
public class EventsCommand extends TenancyCommand {

    @Reference
    EventService events;

    @Option(name = "--project", required = true)
    String project;

    @Option(name = "--type", description = "event types, comma-separated: host.status-changed, rollout.changed, ...")
    String type;

    @Option(name = "--subject", description = "a host, rollout, deployment or OS profile name")
    String subject;

    @Option(name = "--from", description = "ISO-8601 instant, inclusive")
    String from;

    @Option(name = "--limit", description = "how many of the latest events to show first (1 to 1000)")
    int limit = 20;

    @Option(name = "--follow", aliases = "-f", description = "keep printing new events until Ctrl-C")
    boolean follow;

    @Option(name = "--after", description = "with --follow: replay the events after this id first")
    Long after;

    @Override
    protected void run(Caller caller) throws Exception {
        Events.Filter filter = new Events.Filter(types(type), subject == null || subject.isBlank() ? null : subject);
        Instant since = instant("--from", from);
        if (!follow || after == null) {
            Events.Page page = events.events(caller, project, new Events.Query(filter, since, null, null, 0, limit));
            List<Events.Event> latest = new ArrayList<>(page.events());
            java.util.Collections.reverse(latest);
            ShellTable t = table();
            for (Events.Event e : latest) {
                row(t, e);
            }
            t.print(System.out);
            if (!follow) {
                System.out.printf("%d of %d event(s)%n", latest.size(), page.total());
                return;
            }
            after = latest.isEmpty() ? null : latest.get(latest.size() - 1).id();
        }
        System.out.println("Following the events of " + project + " (Ctrl-C to stop)");
        try (EventStream stream = events.follow(caller, project, filter, after)) {
            while (!Thread.currentThread().isInterrupted()) {
                for (Events.Event e : stream.next(Duration.ofSeconds(1))) {
                    System.out.println(line(e));
                }
                System.out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            System.out.println("The orchestrator is stopping; the stream ended.");
        } catch (Events.TooManyStreamsException e) {
            error(e.getMessage());
        }
    }

    private static ShellTable table() {
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Id", "When", "Type", "Subject", "Status", "Was", "Message"}) {
            t.column(c);
        }
        return t;
    }

    private static void row(ShellTable t, Events.Event e) {
        t.addRow().addContent(e.id(), e.time(), e.type(), e.subject(), dash(e.status()), dash(e.previous()), message(e));
    }

    static String line(Events.Event e) {
        return e.id() + "  " + e.time() + "  " + e.type() + "  " + e.subject() + "  " + dash(e.status())
                + (e.previous() == null ? "" : " (was " + e.previous() + ")") + "  " + message(e);
    }

    private static String message(Events.Event e) {
        String attrs = e.attributes().entrySet().stream().filter(a -> !a.getKey().equals("run"))
                .map(Map.Entry::getKey).map(k -> k + "=" + e.attributes().get(k)).collect(Collectors.joining(" "));
        String m = e.message() == null ? "" : e.message();
        return attrs.isEmpty() ? m : (m.isEmpty() ? attrs : m + " [" + attrs + "]");
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    static Set<EventType> types(String list) {
        Set<EventType> out = EnumSet.noneOf(EventType.class);
        if (list == null || list.isBlank()) {
            return out;
        }
        for (String t : list.split(",")) {
            out.add(EventType.parse(t).orElseThrow(() -> new TenancyException(TenancyException.Reason.INVALID, "type",
                    "type must be one or more of " + EventType.keys())));
        }
        return out;
    }
}
