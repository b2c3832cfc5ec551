package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/** What one plugin reports: hardware, OS, or the error it failed with. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "PluginReport")
public class PluginReportDto {
    public PluginDto plugin;
    public HardwareDto hardware;
    public OsDto os;
    public String error;

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Hardware")
    public static class HardwareDto {
        public String hostname;
        public String systemVendor;
        public String systemProduct;
        public String serialNumber;
        public String uuid;
        public String biosVersion;
        public String cpuModel;
        public String architecture;
        public int sockets;
        public int cores;
        public int threads;
        public long memoryTotalBytes;
        public long memoryAvailableBytes;
        @XmlElement(name = "disk")
        public List<DiskDto> disks = new ArrayList<>();
        @XmlElement(name = "nic")
        public List<NicDto> nics = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Disk")
    public static class DiskDto {
        public String name;
        public long sizeBytes;
        public boolean rotational;
        public boolean removable;
        public String model;
        public String serialNumber;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Nic")
    public static class NicDto {
        public String name;
        public String macAddress;
        public int mtu;
        public Long speedMbps;
        public String operState;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Os")
    public static class OsDto {
        public String name;
        public String version;
        public String kernel;
        public String type;
        public String activeSlot;
    }
}
