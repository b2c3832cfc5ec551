package org.edgeorch.soap.internal;

import org.edgeorch.platform.ComponentHealth;
import org.edgeorch.platform.PlatformStatus;
import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginReport;
import org.edgeorch.soap.PluginDto;
import org.edgeorch.soap.PluginReportDto;
import org.edgeorch.soap.StatusDto;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.OsInfo;

/** Maps domain records to the SOAP beans. */
final class Dtos {

    private Dtos() {
    }

    static StatusDto status(PlatformStatus s) {
        StatusDto dto = new StatusDto();
        dto.product = s.product();
        dto.version = s.version();
        dto.runtime = s.runtime();
        dto.startedAt = s.startedAt().toString();
        dto.uptimeSeconds = s.uptimeSeconds();
        for (ComponentHealth c : s.components()) {
            StatusDto.ComponentDto cd = new StatusDto.ComponentDto();
            cd.name = c.name();
            cd.state = c.state().name();
            c.details().forEach((k, v) -> {
                StatusDto.DetailDto d = new StatusDto.DetailDto();
                d.key = k;
                d.value = v;
                cd.details.add(d);
            });
            cd.details.sort((a, b) -> a.key.compareTo(b.key));
            dto.components.add(cd);
        }
        s.plugins().forEach(p -> dto.plugins.add(plugin(p)));
        return dto;
    }

    static PluginDto plugin(PluginInfo p) {
        PluginDto dto = new PluginDto();
        dto.id = p.id();
        dto.name = p.name();
        dto.vendor = p.vendor();
        dto.version = p.version();
        dto.kind = p.kind().name();
        dto.bundle = p.bundle();
        dto.bundleVersion = p.bundleVersion();
        dto.ranking = p.ranking();
        return dto;
    }

    static PluginReportDto report(PluginReport r) {
        PluginReportDto dto = new PluginReportDto();
        dto.plugin = plugin(r.plugin());
        dto.error = r.error();
        if (r.os() != null) {
            dto.os = os(r.os());
        }
        if (r.hardware() != null) {
            dto.hardware = hardware(r.hardware());
        }
        return dto;
    }

    private static PluginReportDto.OsDto os(OsInfo os) {
        PluginReportDto.OsDto dto = new PluginReportDto.OsDto();
        dto.name = os.name();
        dto.version = os.version();
        dto.kernel = os.kernel();
        dto.type = os.type().name();
        dto.activeSlot = os.activeSlot();
        return dto;
    }

    static PluginReportDto.HardwareDto hardware(HardwareInventory hw) {
        PluginReportDto.HardwareDto dto = new PluginReportDto.HardwareDto();
        dto.hostname = hw.system().hostname();
        dto.systemVendor = hw.system().vendor();
        dto.systemProduct = hw.system().product();
        dto.serialNumber = hw.system().serialNumber();
        dto.uuid = hw.system().uuid();
        dto.biosVersion = hw.system().biosVersion();
        dto.cpuModel = hw.cpu().model();
        dto.architecture = hw.cpu().architecture();
        dto.sockets = hw.cpu().sockets();
        dto.cores = hw.cpu().cores();
        dto.threads = hw.cpu().threads();
        dto.memoryTotalBytes = hw.memory().totalBytes();
        dto.memoryAvailableBytes = hw.memory().availableBytes();
        for (HardwareInventory.Disk d : hw.disks()) {
            PluginReportDto.DiskDto dd = new PluginReportDto.DiskDto();
            dd.name = d.name();
            dd.sizeBytes = d.sizeBytes();
            dd.rotational = d.rotational();
            dd.removable = d.removable();
            dd.model = d.model();
            dd.serialNumber = d.serialNumber();
            dto.disks.add(dd);
        }
        for (HardwareInventory.Nic n : hw.nics()) {
            PluginReportDto.NicDto nd = new PluginReportDto.NicDto();
            nd.name = n.name();
            nd.macAddress = n.macAddress();
            nd.mtu = n.mtu();
            nd.speedMbps = n.speedMbps();
            nd.operState = n.operState();
            dto.nics.add(nd);
        }
        for (HardwareInventory.Usb u : hw.usb()) {
            PluginReportDto.UsbDto ud = new PluginReportDto.UsbDto();
            ud.port = u.port();
            ud.vendorId = u.vendorId();
            ud.productId = u.productId();
            ud.manufacturer = u.manufacturer();
            ud.product = u.product();
            ud.serialNumber = u.serialNumber();
            ud.speedMbps = u.speedMbps();
            dto.usbDevices.add(ud);
        }
        for (HardwareInventory.Gpu g : hw.gpus()) {
            PluginReportDto.GpuDto gd = new PluginReportDto.GpuDto();
            gd.pciAddress = g.pciAddress();
            gd.vendorId = g.vendorId();
            gd.deviceId = g.deviceId();
            gd.vendor = g.vendor();
            gd.model = g.model();
            gd.driver = g.driver();
            dto.gpus.add(gd);
        }
        return dto;
    }
}
