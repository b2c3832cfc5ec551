package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/** SOAP forms of a project's events. Instants are ISO-8601 text, types and statuses enum names. */
public final class EventDtos {

    private EventDtos() {
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Event")
    public static class Event {
        public long id;
        public String time;
        public String type;
        public String subject;
        public String status;
        public String previous;
        public String message;
        @XmlElement(name = "attribute")
        public List<FleetDtos.Entry> attributes = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "EventPage")
    public static class Page {
        @XmlElement(name = "event")
        public List<Event> events = new ArrayList<>();
        public long total;
        public int offset;
        public int limit;
    }
}
