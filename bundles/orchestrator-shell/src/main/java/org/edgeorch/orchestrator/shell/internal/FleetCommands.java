package org.edgeorch.orchestrator.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.OptionsAnywhere;
import org.edgeorch.shell.EdgeCommand;

/** Regions, sites, clusters and hosts. */
public final class FleetCommands {

    private FleetCommands() {
    }

    /** Parses {@code key=value} options into metadata. */
    static Map<String, String> metadata(List<String> pairs) {
        return EdgeCommand.pairs("metadata", pairs);
    }

    /** New metadata for a change: the given pairs, none at all with {@code clear}, or null to keep it. */
    static Map<String, String> replacement(List<String> pairs, boolean clear) {
        if (pairs != null && !pairs.isEmpty() && clear) {
            throw new TenancyException(TenancyException.Reason.INVALID, "metadata", "give --meta or --clear-meta, not both");
        }
        return pairs != null && !pairs.isEmpty() ? metadata(pairs) : clear ? Map.of() : null;
    }

    /** A new place for a change: the name given, "" to leave any with {@code none}, or null to keep it. */
    static String place(String name, boolean none, String option) {
        if (name != null && none) {
            throw new TenancyException(TenancyException.Reason.INVALID, option, "give --" + option + " or --no-" + option + ", not both");
        }
        return none ? "" : name;
    }

    public abstract static class FleetCommand extends TenancyCommand {
        @Reference
        FleetService fleet;
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "region-create", description = "Creates a region in a project, optionally inside another")
    public static class RegionCreate extends FleetCommand {
        @Option(name = "--parent")
        String parent;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable")
        List<String> meta;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            fleet.createRegion(caller, project, name, parent, metadata(meta));
            System.out.println("Created region " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "site-create", description = "Creates a site in a project")
    public static class SiteCreate extends FleetCommand {
        @Option(name = "--region")
        String region;

        @Option(name = "--address")
        String address;

        @Option(name = "--lat")
        Double latitude;

        @Option(name = "--lon")
        Double longitude;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable")
        List<String> meta;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            fleet.createSite(caller, project, name, region, address, latitude, longitude, metadata(meta));
            System.out.println("Created site " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-register", description = "Pre-registers a host by serial number and/or UUID")
    public static class HostRegister extends FleetCommand {
        @Option(name = "--serial")
        String serial;

        @Option(name = "--uuid")
        String uuid;

        @Option(name = "--site")
        String site;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable")
        List<String> meta;

        @Option(name = "--auto-onboard", description = "lets the host enrol without an enrolment token, recognised by its serial number or UUID")
        boolean autoOnboard;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Fleet.Host h = fleet.registerHost(caller, project, new Fleet.HostRegistration(name, serial, uuid, site, metadata(meta),
                    autoOnboard));
            System.out.println("Registered host " + h.name() + " (" + h.status() + ")");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-import", description = "Registers the hosts of a CSV file (name,serial,uuid,site,meta.<key>); all or none")
    public static class HostImport extends FleetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "file", required = true)
        String file;

        @Override
        protected void run(Caller caller) throws Exception {
            Fleet.ImportResult r = fleet.importHosts(caller, project, text("file", file));
            if (r.errors().isEmpty()) {
                System.out.println("Registered " + r.created() + " hosts");
                return;
            }
            EdgeCommand.error("nothing registered; " + r.errors().size() + " line(s) are wrong:");
            r.errors().forEach(e -> System.out.println("  line " + e.line() + ": " + e.message()));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-list", description = "Lists hosts with filters and paging")
    public static class HostList extends FleetCommand {
        @Option(name = "--status", description = "REGISTERED, ONBOARDED, RUNNING, NO_CONNECTION, ERROR, INVALIDATED, DELETED")
        String status;

        @Option(name = "--site")
        String site;

        @Option(name = "--region", description = "includes its sub-regions")
        String region;

        @Option(name = "--meta", multiValued = true, description = "key=value on effective metadata, repeatable")
        List<String> meta;

        @Option(name = "--text", description = "part of name, serial number or UUID")
        String text;

        @Option(name = "--offset")
        int offset;

        @Option(name = "--limit")
        int limit = 50;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            HostStatus s = choice(HostStatus.class, "status", status);
            Fleet.HostPage page = fleet.hosts(caller, project, new Fleet.HostQuery(s, site, region, metadata(meta), text,
                    null, false, offset, limit));
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Host", "Status", "Serial", "UUID", "Site", "Region", "Metadata"}) {
                t.column(c);
            }
            for (Fleet.Host h : page.hosts()) {
                t.addRow().addContent(h.name(), h.status(), dash(h.serialNumber()), dash(h.uuid()), dash(h.site()),
                        dash(h.region()), h.effectiveMetadata());
            }
            t.print(System.out);
            System.out.printf("%d-%d of %d%n", page.total() == 0 ? 0 : offset + 1, offset + page.hosts().size(), page.total());
        }

        private static String dash(String s) {
            return s == null ? "-" : s;
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "cluster-create", description = "Creates a cluster of existing hosts from a template")
    public static class ClusterCreate extends FleetCommand {
        @Option(name = "--template", required = true, description = "for example k8s-edge-3-node")
        String template;

        @Option(name = "--host", multiValued = true, description = "host name, repeatable")
        List<String> hosts;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable")
        List<String> meta;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Fleet.Cluster c = fleet.createCluster(caller, project, name, template, hosts, metadata(meta));
            System.out.println("Created cluster " + c.name() + " with " + c.hosts().size() + " host(s)");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "cluster-list", description = "Lists the clusters of a project")
    public static class ClusterList extends FleetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Cluster", "Template", "Hosts", "Metadata"}) {
                t.column(c);
            }
            for (Fleet.Cluster c : fleet.clusters(caller, project)) {
                t.addRow().addContent(c.name(), c.template(), String.join(", ", c.hosts()), c.metadata());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "region-update", description = "Moves a region and/or replaces its metadata; its hosts are relabelled")
    public static class RegionUpdate extends FleetCommand {
        @Option(name = "--parent", description = "the new parent region")
        String parent;

        @Option(name = "--no-parent", description = "makes the region top-level")
        boolean noParent;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable; replaces the region's metadata")
        List<String> meta;

        @Option(name = "--clear-meta", description = "removes the region's metadata")
        boolean clearMeta;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Fleet.Region r = fleet.updateRegion(caller, project, name,
                    new Fleet.RegionUpdate(place(parent, noParent, "parent"), replacement(meta, clearMeta)));
            System.out.println("Updated region " + r.name() + " (parent " + (r.parent() == null ? "none" : r.parent())
                    + ", metadata " + r.metadata() + ")");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "region-delete", description = "Deletes a region that has no sub-regions and no sites")
    public static class RegionDelete extends FleetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            fleet.deleteRegion(caller, project, name);
            System.out.println("Deleted region " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "site-update", description = "Changes a site's region, address, coordinates and/or metadata")
    public static class SiteUpdate extends FleetCommand {
        @Option(name = "--region", description = "the new region")
        String region;

        @Option(name = "--no-region", description = "takes the site out of its region")
        boolean noRegion;

        @Option(name = "--address")
        String address;

        @Option(name = "--lat")
        Double latitude;

        @Option(name = "--lon")
        Double longitude;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable; replaces the site's metadata")
        List<String> meta;

        @Option(name = "--clear-meta", description = "removes the site's metadata")
        boolean clearMeta;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Fleet.Site site = fleet.updateSite(caller, project, name, new Fleet.SiteUpdate(place(region, noRegion, "region"),
                    address, latitude, longitude, replacement(meta, clearMeta)));
            System.out.println("Updated site " + site.name() + " (region " + (site.region() == null ? "none" : site.region())
                    + ", metadata " + site.metadata() + ")");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "site-delete", description = "Deletes a site that has no hosts")
    public static class SiteDelete extends FleetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            fleet.deleteSite(caller, project, name);
            System.out.println("Deleted site " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "cluster-update", description = "Changes a cluster's template and/or replaces its metadata")
    public static class ClusterUpdate extends FleetCommand {
        @Option(name = "--template")
        String template;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable; replaces the cluster's metadata")
        List<String> meta;

        @Option(name = "--clear-meta", description = "removes the cluster's metadata")
        boolean clearMeta;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Fleet.Cluster c = fleet.updateCluster(caller, project, name, new Fleet.ClusterUpdate(template, replacement(meta, clearMeta)));
            System.out.println("Updated cluster " + c.name() + " (template " + c.template() + ", metadata " + c.metadata() + ")");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "cluster-remove-hosts", description = "Removes hosts from a cluster, all or none; the hosts stay")
    public static class ClusterRemoveHosts extends FleetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "cluster", required = true)
        String cluster;

        @Argument(index = 2, name = "hosts", required = true, multiValued = true)
        List<String> hosts;

        @Override
        protected void run(Caller caller) {
            Fleet.Cluster c = fleet.removeClusterHosts(caller, project, cluster, hosts);
            System.out.println("Cluster " + c.name() + " now has " + c.hosts().size() + " host(s)"
                    + (c.hosts().isEmpty() ? "" : ": " + String.join(", ", c.hosts())));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "cluster-delete", description = "Deletes a cluster; its hosts stay")
    public static class ClusterDelete extends FleetCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            fleet.deleteCluster(caller, project, name);
            System.out.println("Deleted cluster " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-update", description = "Moves a host to another site and/or replaces its own metadata")
    public static class HostUpdate extends FleetCommand {
        @Option(name = "--site", description = "the new site")
        String site;

        @Option(name = "--no-site", description = "takes the host out of its site")
        boolean noSite;

        @Option(name = "--meta", multiValued = true, description = "key=value, repeatable; replaces the host's own metadata")
        List<String> meta;

        @Option(name = "--clear-meta", description = "removes the host's own metadata")
        boolean clearMeta;

        @Option(name = "--serial", description = "corrects the serial number (\"\" removes it from a host with a UUID)")
        String serial;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Fleet.Host h = fleet.updateHost(caller, project, name, new Fleet.HostUpdate(place(site, noSite, "site"),
                    replacement(meta, clearMeta), serial));
            System.out.println("Updated host " + h.name() + " (serial " + orDash(h.serialNumber()) + ", site "
                    + (h.site() == null ? "none" : h.site()) + ", effective metadata " + h.effectiveMetadata() + ")");
        }
    }
}
