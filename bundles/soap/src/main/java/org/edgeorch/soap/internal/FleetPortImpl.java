package org.edgeorch.soap.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
                new Fleet.HostRegistration(in.name, in.serialNumber, in.uuid, in.site, map(in.metadata),
                        Boolean.TRUE.equals(in.autoOnboard)))));
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

    @Override
    public FleetDtos.Region updateRegion(String project, String name, FleetDtos.RegionUpdate u) throws TenancyFault {
        FleetDtos.RegionUpdate in = u == null ? new FleetDtos.RegionUpdate() : u;
        return TenancyPortImpl.call(() -> region(fleet.updateRegion(SoapAuthInterceptor.caller(), project, name,
                new Fleet.RegionUpdate(in.parent, changed(in.metadata)))));
    }

    @Override
    public void deleteRegion(String project, String name) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            fleet.deleteRegion(SoapAuthInterceptor.caller(), project, name);
            return null;
        });
    }

    @Override
    public FleetDtos.Site updateSite(String project, String name, FleetDtos.SiteUpdate u) throws TenancyFault {
        FleetDtos.SiteUpdate in = u == null ? new FleetDtos.SiteUpdate() : u;
        return TenancyPortImpl.call(() -> site(fleet.updateSite(SoapAuthInterceptor.caller(), project, name,
                new Fleet.SiteUpdate(in.region, in.address, in.latitude, in.longitude, changed(in.metadata)))));
    }

    @Override
    public void deleteSite(String project, String name) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            fleet.deleteSite(SoapAuthInterceptor.caller(), project, name);
            return null;
        });
    }

    @Override
    public FleetDtos.Cluster updateCluster(String project, String name, FleetDtos.ClusterUpdate u) throws TenancyFault {
        FleetDtos.ClusterUpdate in = u == null ? new FleetDtos.ClusterUpdate() : u;
        return TenancyPortImpl.call(() -> cluster(fleet.updateCluster(SoapAuthInterceptor.caller(), project, name,
                new Fleet.ClusterUpdate(in.template, changed(in.metadata)))));
    }

    @Override
    public FleetDtos.Cluster removeClusterHosts(String project, String cluster, List<String> hosts) throws TenancyFault {
        return TenancyPortImpl.call(() -> cluster(fleet.removeClusterHosts(SoapAuthInterceptor.caller(), project, cluster, hosts)));
    }

    @Override
    public void deleteCluster(String project, String name) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            fleet.deleteCluster(SoapAuthInterceptor.caller(), project, name);
            return null;
        });
    }

    @Override
    public FleetDtos.Host updateHost(String project, String name, FleetDtos.HostUpdate u) throws TenancyFault {
        FleetDtos.HostUpdate in = u == null ? new FleetDtos.HostUpdate() : u;
        return TenancyPortImpl.call(() -> host(fleet.updateHost(SoapAuthInterceptor.caller(), project, name,
                new Fleet.HostUpdate(in.site, changed(in.metadata), in.serialNumber))));
    }

    /** Metadata of a change: null (no {@code <metadata>} element) keeps what is there. */
    private static Map<String, String> changed(List<FleetDtos.Entry> entries) {
        return entries == null ? null : map(entries);
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
        // Not a TreeMap: an entry without key must reach the fleet service's validation, not throw here.
        Map<String, String> out = new LinkedHashMap<>();
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

    private static FleetDtos.Cluster cluster(Fleet.Cluster c) {
        FleetDtos.Cluster d = new FleetDtos.Cluster();
        d.name = c.name();
        d.template = c.template();
        d.hosts.addAll(c.hosts());
        d.metadata.addAll(entries(c.metadata()));
        return d;
    }

    static FleetDtos.Host host(Fleet.Host h) {
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
