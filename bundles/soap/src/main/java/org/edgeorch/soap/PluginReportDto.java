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
        @XmlElement(name = "usb")
        public List<UsbDto> usbDevices = new ArrayList<>();
        @XmlElement(name = "gpu")
        public List<GpuDto> gpus = new ArrayList<>();
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

    /** A USB device; ids are four lower-case hex digits, speed in Mb/s (1.5 for low-speed devices). */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Usb")
    public static class UsbDto {
        public String port;
        public String vendorId;
        public String productId;
        public String manufacturer;
        public String product;
        public String serialNumber;
        public Double speedMbps;
    }

    /** A display controller; no PCI address nor ids for a system-on-chip's integrated GPU. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Gpu")
    public static class GpuDto {
        public String pciAddress;
        public String vendorId;
        public String deviceId;
        public String vendor;
        public String model;
        public String driver;
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
