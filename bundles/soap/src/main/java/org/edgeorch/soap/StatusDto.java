package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/** SOAP form of the platform status (JAXB needs mutable beans; the domain uses records). */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "Status")
public class StatusDto {
    public String product;
    public String version;
    public String runtime;
    public String startedAt;
    public long uptimeSeconds;
    @XmlElement(name = "component")
    public List<ComponentDto> components = new ArrayList<>();
    @XmlElement(name = "plugin")
    public List<PluginDto> plugins = new ArrayList<>();

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Component")
    public static class ComponentDto {
        public String name;
        public String state;
        @XmlElement(name = "detail")
        public List<DetailDto> details = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Detail")
    public static class DetailDto {
        public String key;
        public String value;
    }
}
