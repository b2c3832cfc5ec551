package org.edgeorch.soap;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlType;

@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "Plugin")
public class PluginDto {
    public String id;
    public String name;
    public String vendor;
    public String version;
    /** HARDWARE or OS */
    public String kind;
    public String bundle;
    public String bundleVersion;
    public int ranking;
}
