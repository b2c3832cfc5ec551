package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/** SOAP forms of the tenancy records. */
public final class TenancyDtos {

    private TenancyDtos() {
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Organization")
    public static class Organization {
        public String name;
        public String displayName;
        public String createdAt;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Project")
    public static class Project {
        public String name;
        public String organization;
        public String displayName;
        public String createdAt;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RoleBinding")
    public static class RoleBinding {
        public String id;
        /** USER or GROUP */
        public String subjectType;
        public String subject;
        public String role;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "AuditEvent")
    public static class AuditEvent {
        public long id;
        public String at;
        public String actor;
        public String project;
        public String action;
        public String objectType;
        public String objectId;
        public String outcome;
        public String sourceAddress;
        public String detail;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "AuditPage")
    public static class AuditPage {
        public long total;
        public int offset;
        public int limit;
        @XmlElement(name = "event")
        public List<AuditEvent> events = new ArrayList<>();
    }
}
