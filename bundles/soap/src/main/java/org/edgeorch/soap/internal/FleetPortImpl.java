package org.edgeorch.soap.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.jws.WebService;

import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.soap.FleetDtos;
import org.edgeorch.soap.FleetPort;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.TenancyFault;
import org.edgeorch.tenancy.TenancyException;

@WebService(serviceName = "FleetService", portName = "FleetPort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.FleetPort")
public class FleetPortImpl implements FleetPort {

    private final FleetService fleet;

    public FleetPortImpl(FleetService fleet) {
        this.fleet = fleet;
    }

    @Override
    public List<FleetDtos.Region> listRegions(String project) throws TenancyFault {
        return TenancyPortImpl.call(() -> fleet.regions(SoapAuthInterceptor.caller(), project).stream().map(FleetPortImpl::region).toList());
    }

    @Override
    public FleetDtos.Region createRegion(String project, FleetDtos.Region r) throws TenancyFault {
        return TenancyPortImpl.call(() -> region(fleet.createRegion(SoapAuthInterceptor.caller(), project, r == null ? null : r.name,
                r == null ? null : r.parent, r == null ? null : map(r.metadata))));
    }

    @Override
    public List<FleetDtos.Site> listSites(String project) throws TenancyFault {
        return TenancyPortImpl.call(() -> fleet.sites(SoapAuthInterceptor.caller(), project).stream().map(FleetPortImpl::site).toList());
    }

    @Override
    public FleetDtos.Site createSite(String project, FleetDtos.Site s) throws TenancyFault {
        FleetDtos.Site in = s == null ? new FleetDtos.Site() : s;
        return TenancyPortImpl.call(() -> site(fleet.createSite(SoapAuthInterceptor.caller(), project, in.name, in.region,
                in.address, in.latitude, in.longitude, map(in.metadata))));
    }

    @Override
    public FleetDtos.Host registerHost(String project, FleetDtos.Host h) throws TenancyFault {
        FleetDtos.Host in = h == null ? new FleetDtos.Host() : h;
        return TenancyPortImpl.call(() -> host(fleet.registerHost(SoapAuthInterceptor.caller(), project,
                new Fleet.HostRegistration(in.name, in.serialNumber, in.uuid, in.site, map(in.metadata)))));
    }

    @Override
    public FleetDtos.HostPage listHosts(String project, String status, String site, String region, String text, int offset,
                                        int limit) throws TenancyFault {
        return TenancyPortImpl.call(() -> {
            Fleet.HostPage page = fleet.hosts(SoapAuthInterceptor.caller(), project, new Fleet.HostQuery(
                    status == null || status.isBlank() ? null : status(status), blank(site), blank(region), Map.of(), blank(text),
                    null, false, offset, limit == 0 ? 50 : limit));
            FleetDtos.HostPage dto = new FleetDtos.HostPage();
            dto.total = page.total();
            dto.offset = page.offset();
            dto.limit = page.limit();
            page.hosts().forEach(x -> dto.hosts.add(host(x)));
            return dto;
        });
    }

    @Override
    public FleetDtos.Host getHost(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> host(fleet.host(SoapAuthInterceptor.caller(), project, name)));
    }

    private static HostStatus status(String s) {
        try {
            return HostStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TenancyException(TenancyException.Reason.INVALID, "status", "status '" + s + "' is not one of "
                    + java.util.Arrays.toString(HostStatus.values()));
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Map<String, String> map(List<FleetDtos.Entry> entries) {
        Map<String, String> out = new TreeMap<>();
        for (FleetDtos.Entry e : entries == null ? List.<FleetDtos.Entry>of() : entries) {
            out.put(e.key, e.value == null ? "" : e.value);
        }
        return out;
    }

    private static List<FleetDtos.Entry> entries(Map<String, String> map) {
        return map.entrySet().stream().map(e -> {
            FleetDtos.Entry d = new FleetDtos.Entry();
            d.key = e.getKey();
            d.value = e.getValue();
            return d;
        }).toList();
    }

    private static FleetDtos.Region region(Fleet.Region r) {
        FleetDtos.Region d = new FleetDtos.Region();
        d.name = r.name();
        d.parent = r.parent();
        d.metadata.addAll(entries(r.metadata()));
        return d;
    }

    private static FleetDtos.Site site(Fleet.Site s) {
        FleetDtos.Site d = new FleetDtos.Site();
        d.name = s.name();
        d.region = s.region();
        d.address = s.address();
        d.latitude = s.latitude();
        d.longitude = s.longitude();
        d.metadata.addAll(entries(s.metadata()));
        return d;
    }

    private static FleetDtos.Host host(Fleet.Host h) {
        FleetDtos.Host d = new FleetDtos.Host();
        d.name = h.name();
        d.serialNumber = h.serialNumber();
        d.uuid = h.uuid();
        d.site = h.site();
        d.region = h.region();
        d.status = h.status().name();
        d.statusReason = h.statusReason();
        d.statusChangedAt = h.statusChangedAt() == null ? null : h.statusChangedAt().toString();
        d.metadata.addAll(entries(h.metadata()));
        d.effectiveMetadata.addAll(entries(h.effectiveMetadata()));
        return d;
    }
}
