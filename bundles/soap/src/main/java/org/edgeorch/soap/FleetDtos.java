package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlElementWrapper;
import javax.xml.bind.annotation.XmlType;

/** SOAP forms of the fleet records. */
public final class FleetDtos {

    private FleetDtos() {
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "MetadataEntry")
    public static class Entry {
        public String key;
        public String value;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Region")
    public static class Region {
        public String name;
        public String parent;
        @XmlElement(name = "metadata")
        public List<Entry> metadata = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Site")
    public static class Site {
        public String name;
        public String region;
        public String address;
        public Double latitude;
        public Double longitude;
        @XmlElement(name = "metadata")
        public List<Entry> metadata = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Host")
    public static class Host {
        public String name;
        public String serialNumber;
        public String uuid;
        public String site;
        public String region;
        /** REGISTERED, ONBOARDED, RUNNING, NO_CONNECTION, ERROR, INVALIDATED or DELETED */
        public String status;
        public String statusReason;
        public String statusChangedAt;
        @XmlElement(name = "metadata")
        public List<Entry> metadata = new ArrayList<>();
        @XmlElement(name = "effectiveMetadata")
        public List<Entry> effectiveMetadata = new ArrayList<>();
        /**
         * Read by registerHost only: true lets the host enrol without an enrolment token, recognised by its
         * serial number or UUID alone; absent or false means it needs a token. Not set in answers.
         */
        public Boolean autoOnboard;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Cluster")
    public static class Cluster {
        public String name;
        public String template;
        @XmlElement(name = "host")
        public List<String> hosts = new ArrayList<>();
        @XmlElement(name = "metadata")
        public List<Entry> metadata = new ArrayList<>();
    }

    // Changes: an absent element leaves the value as it is. Metadata sits in a wrapper element so that
    // "leave it" (no <metadata>) and "remove all" (an empty <metadata/>) can both be said.

    /** {@code parent}: absent keeps it, empty makes the region top-level. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RegionUpdate")
    public static class RegionUpdate {
        public String parent;
        @XmlElementWrapper(name = "metadata")
        @XmlElement(name = "entry")
        public List<Entry> metadata;
    }

    /** {@code region} and {@code address}: absent keeps them, empty removes them. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "SiteUpdate")
    public static class SiteUpdate {
        public String region;
        public String address;
        public Double latitude;
        public Double longitude;
        @XmlElementWrapper(name = "metadata")
        @XmlElement(name = "entry")
        public List<Entry> metadata;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "ClusterUpdate")
    public static class ClusterUpdate {
        public String template;
        @XmlElementWrapper(name = "metadata")
        @XmlElement(name = "entry")
        public List<Entry> metadata;
    }

    /** {@code site}: absent keeps it, empty takes the host out of its site. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "HostUpdate")
    public static class HostUpdate {
        public String site;
        @XmlElementWrapper(name = "metadata")
        @XmlElement(name = "entry")
        public List<Entry> metadata;
        /** Corrects the serial number; empty removes it from a host that has a UUID. */
        public String serialNumber;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "HostPage")
    public static class HostPage {
        public long total;
        public int offset;
        public int limit;
        @XmlElement(name = "host")
        public List<Host> hosts = new ArrayList<>();
    }
}
