package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/**
 * SOAP forms of maintenance windows, update policies and a host's schedule. Instants are ISO-8601 text; a target is
 * {@code targetType} (REGION, SITE, CLUSTER or HOST) and {@code target}, its name.
 */
public final class ScheduleDtos {

    private ScheduleDtos() {
    }

    /**
     * A maintenance window. {@code kind}: SINGLE ({@code start}, {@code end} absent when open-ended) or REPEATED
     * ({@code cron}, {@code zone}, {@code duration}).
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "MaintenanceWindow")
    public static class Window {
        public String name;
        public String targetType;
        public String target;
        public String kind;
        public String start;
        public String end;
        public String cron;
        public String zone;
        public String duration;
        public String createdAt;
        public String updatedAt;
    }

    /**
     * A new maintenance window. Single: {@code start}, an ISO-8601 instant such as 2026-06-01T22:00:00Z, and an optional
     * {@code end}. Repeated: {@code cron} (five fields: minute hour day-of-month month day-of-week, with lists, ranges
     * and steps), {@code zone} (IANA, such as Europe/Berlin) and {@code duration} (ISO-8601, such as PT2H).
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "MaintenanceWindowSpec")
    public static class WindowSpec {
        public String name;
        public String targetType;
        public String target;
        public String start;
        public String end;
        public String cron;
        public String zone;
        public String duration;
    }

    /**
     * A change to a maintenance window; absent fields stay as they are. {@code start} makes it single, {@code cron}
     * repeated; an empty {@code end} makes a single window open-ended; {@code targetType} and {@code target} move it.
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "MaintenanceWindowChange")
    public static class WindowChange {
        public String targetType;
        public String target;
        public String start;
        public String end;
        public String cron;
        public String zone;
        public String duration;
    }

    /** An update policy. {@code kind}: LATEST (follows the profile's newest OS resource) or TARGET ({@code version}). */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "UpdatePolicy")
    public static class Policy {
        public String targetType;
        public String target;
        public String kind;
        public String profile;
        public String version;
        public String updatedBy;
        public String updatedAt;
    }

    /**
     * A window a host is subject to: where it gets it from, whether it is open, and its occurrence open now or next
     * ({@code occurrenceStart}, {@code occurrenceEnd}; both absent when it never opens again, the end when it never
     * closes).
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "EffectiveWindow")
    public static class EffectiveWindow {
        public Window window;
        public String source;
        public boolean open;
        public String occurrenceStart;
        public String occurrenceEnd;
    }

    /**
     * When a host may change and what it should run, at {@code at}: its windows, whether one is open (and which),
     * when the next opens, its effective policy and where it comes from, and the OS version it asks for, or in
     * {@code desiredNote} why none.
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "HostSchedule")
    public static class HostSchedule {
        public String host;
        public String at;
        @XmlElement(name = "window")
        public List<EffectiveWindow> windows = new ArrayList<>();
        public boolean inWindow;
        @XmlElement(name = "openWindow")
        public List<String> openWindows = new ArrayList<>();
        public String occurrenceWindow;
        public String occurrenceStart;
        public String occurrenceEnd;
        public String nextOpening;
        public Policy policy;
        public String policySource;
        public String desiredProfile;
        public String desiredVersion;
        public String desiredNote;
    }
}
