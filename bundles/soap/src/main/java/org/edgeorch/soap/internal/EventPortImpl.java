package org.edgeorch.soap.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.jws.WebService;

import org.edgeorch.observability.EventService;
import org.edgeorch.observability.Events;
import org.edgeorch.soap.EventDtos;
import org.edgeorch.soap.EventPort;
import org.edgeorch.soap.FleetDtos;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.TenancyFault;
import org.edgeorch.store.event.EventType;
import org.edgeorch.tenancy.TenancyException;

@WebService(serviceName = "EventService", portName = "EventPort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.EventPort")
public class EventPortImpl implements EventPort {

    private final EventService events;

    public EventPortImpl(EventService events) {
        this.events = events;
    }

    @Override
    public EventDtos.Page listEvents(String project, List<String> types, String subject, String from, String to,
                                     Long afterId, int offset, int limit) throws TenancyFault {
        return TenancyPortImpl.call(() -> {
            Set<EventType> wanted = EnumSet.noneOf(EventType.class);
            if (types != null) {
                for (String t : types) {
                    if (t != null && !t.isBlank()) {
                        wanted.add(EventType.parse(t).orElseThrow(() -> new TenancyException(TenancyException.Reason.INVALID,
                                "type", "type must be one of " + EventType.keys())));
                    }
                }
            }
            Events.Query q = new Events.Query(new Events.Filter(wanted, subject == null || subject.isBlank() ? null : subject),
                    instant("from", from), instant("to", to), afterId, offset, limit == 0 ? 50 : limit);
            return page(events.events(SoapAuthInterceptor.caller(), project, q));
        });
    }

    private static Instant instant(String field, String value) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new TenancyException(TenancyException.Reason.INVALID, field, field + " must be an ISO-8601 instant such"
                    + " as 2026-01-31T12:00:00Z");
        }
    }

    static EventDtos.Page page(Events.Page p) {
        EventDtos.Page d = new EventDtos.Page();
        for (Events.Event e : p.events()) {
            EventDtos.Event x = new EventDtos.Event();
            x.id = e.id();
            x.time = e.time().toString();
            x.type = e.type();
            x.subject = e.subject();
            x.status = e.status();
            x.previous = e.previous();
            x.message = e.message();
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                FleetDtos.Entry entry = new FleetDtos.Entry();
                entry.key = a.getKey();
                entry.value = a.getValue();
                x.attributes.add(entry);
            }
            d.events.add(x);
        }
        d.total = p.total();
        d.offset = p.offset();
        d.limit = p.limit();
        return d;
    }
}
