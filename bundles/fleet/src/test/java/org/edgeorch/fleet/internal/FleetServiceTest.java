package org.edgeorch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.Fleet.HostQuery;
import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.Fleet.ImportResult;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetServiceTest {

    @TempDir
    Path dir;

    TenancyFixture t;
    FleetServiceImpl fleet;
    Caller admin;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        t.organizationWithProject("globex");
        fleet = new FleetServiceImpl(t.db, t.tenancy, t.audit, t.clock);
        admin = t.login("acme-admin");
        fleet.createRegion(admin, "acme-p1", "eu", null, Map.of("tier", "gold", "owner", "ops-eu"));
        fleet.createRegion(admin, "acme-p1", "eu-west", "eu", Map.of("zone", "west"));
        fleet.createSite(admin, "acme-p1", "paris", "eu-west", "1 rue de Rivoli", 48.86, 2.35, Map.of("owner", "ops-paris"));
        fleet.createSite(admin, "acme-p1", "oslo", null, null, null, null, Map.of());
    }

    private static HostRegistration host(String name, String serial, String uuid, String site, Map<String, String> meta) {
        return new HostRegistration(name, serial, uuid, site, meta);
    }

    private static HostQuery all() {
        return new HostQuery(null, null, null, null, null, null, false, 0, 100);
    }

    @Test
    void metadataIsInheritedRegionToSiteToHost() {
        Fleet.Host h = fleet.registerHost(admin, "acme-p1", host("edge-1", "SN1", null, "paris", Map.of("tier", "silver")));
        assertEquals(HostStatus.REGISTERED, h.status());
        assertEquals("eu-west", h.region());
        assertEquals(Map.of("tier", "silver"), h.metadata());
        assertEquals(Map.of("tier", "silver", "owner", "ops-paris", "zone", "west"), h.effectiveMetadata());
    }

    @Test
    void uuidIsUniqueAndSerialIsUniqueAmongHostsWithoutUuid() {
        String uuid = "0b7d6f7e-8a3c-4d2e-9f10-2b3c4d5e6f70";
        fleet.registerHost(admin, "acme-p1", host("a", "SN-1", null, null, null));
        fleet.registerHost(admin, "acme-p1", host("b", "SN-1", uuid, null, null));
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("c", "SN-1", null, null, null))).reason());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("d", "SN-2", uuid.toUpperCase(), null, null))).reason());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("a", "SN-3", null, null, null))).reason());
        // Another project may hold the same identities: nothing is revealed across tenants.
        fleet.registerHost(t.login("globex-admin"), "globex-p1", host("a", "SN-1", uuid, null, null));
    }

    @Test
    void badRegistrationsAreRefusedWithTheField() {
        assertEquals("serialNumber", assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("x", null, null, null, null))).field());
        assertEquals("uuid", assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("x", null, "not-a-uuid", null, null))).field());
        assertEquals("name", assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("X Y", "SN", null, null, null))).field());
        assertEquals("metadata", assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("x", "SN", null, null, Map.of("Bad Key", "v")))).field());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.registerHost(admin, "acme-p1", host("x", "SN", null, "nowhere", null))).reason());
        assertEquals(0, fleet.hosts(admin, "acme-p1", all()).total());
    }

    @Test
    void importIsAllOrNothingWithAnErrorPerLine() {
        String bad = "name,serial,uuid,site,meta.rack\n"
                + "h1,S1,,paris,r1\n"
                + "h2,,,paris,r1\n"
                + "h3,S3,zzz,,r2\n"
                + "h1,S4,,,\n"
                + "h5,S5,,atlantis,\n";
        ImportResult refused = fleet.importHosts(admin, "acme-p1", bad);
        assertEquals(0, refused.created());
        assertEquals(List.of(3, 4), refused.errors().stream().map(Fleet.LineError::line).toList());
        assertEquals(0, fleet.hosts(admin, "acme-p1", all()).total());

        ImportResult conflicts = fleet.importHosts(admin, "acme-p1", "name,serial,site\nh1,S1,paris\nh1,S2,paris\nh3,S3,atlantis\n");
        assertEquals(List.of(3, 4), conflicts.errors().stream().map(Fleet.LineError::line).toList());
        assertEquals(0, fleet.hosts(admin, "acme-p1", all()).total());

        ImportResult ok = fleet.importHosts(admin, "acme-p1", "name,serial,uuid,site,meta.rack\n"
                + "h1,S1,,paris,r1\nh2,S2,0b7d6f7e-8a3c-4d2e-9f10-2b3c4d5e6f70,oslo,r2\n\"h3\",S3,,,\n");
        assertEquals(3, ok.created());
        assertEquals("r1", fleet.host(admin, "acme-p1", "h1").effectiveMetadata().get("rack"));
        assertTrue(fleet.importHosts(admin, "acme-p1", "nope\n1\n").errors().get(0).message().contains("header"));
    }

    @Test
    void listingFiltersSortsAndPages() {
        fleet.importHosts(admin, "acme-p1", "name,serial,site,meta.rack\n"
                + "p-1,SN-A1,paris,r1\np-2,SN-A2,paris,r2\no-1,SN-B1,oslo,r1\nx-1,SN-C1,,\n");
        assertEquals(4, fleet.hosts(admin, "acme-p1", all()).total());
        assertEquals(List.of("p-1", "p-2"), names(new HostQuery(null, null, "eu", null, null, null, false, 0, 10)));
        assertEquals(List.of("o-1"), names(new HostQuery(null, "oslo", null, null, null, null, false, 0, 10)));
        assertEquals(List.of("o-1", "p-1"), names(new HostQuery(null, null, null, Map.of("rack", "r1"), null, null, false, 0, 10)));
        assertEquals(List.of("p-1", "p-2"), names(new HostQuery(null, null, null, Map.of("tier", "gold"), null, null, false, 0, 10)));
        assertEquals(List.of("p-2"), names(new HostQuery(null, null, null, null, "sn-a2", null, false, 0, 10)));
        assertEquals(List.of("x-1", "p-2"), names(new HostQuery(HostStatus.REGISTERED, null, null, null, null,
                Fleet.SortField.NAME, true, 0, 2)));
        assertEquals(List.of(), names(new HostQuery(HostStatus.RUNNING, null, null, null, null, null, false, 0, 10)));
        assertEquals(List.of(), names(new HostQuery(null, null, null, null, "%", null, false, 0, 10)));
        assertEquals("limit", assertThrows(TenancyException.class,
                () -> fleet.hosts(admin, "acme-p1", new HostQuery(null, null, null, null, null, null, false, 0, 0))).field());
    }

    @Test
    void rolesDecideWhoRegistersAndOtherTenantsSeeNothing() {
        Caller onboarding = t.member("acme", "acme-p1", "onboarder", Role.ONBOARDING);
        Caller viewer = t.member("acme", "acme-p1", "viewer1", Role.VIEWER);
        fleet.registerHost(onboarding, "acme-p1", host("by-onboarding", "SN-O", null, null, null));
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> fleet.registerHost(viewer, "acme-p1", host("by-viewer", "SN-V", null, null, null))).reason());
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> fleet.createSite(onboarding, "acme-p1", "lyon", null, null, null, null, null)).reason());
        assertEquals(1, fleet.hosts(viewer, "acme-p1", all()).total());
        Caller globex = t.login("globex-admin");
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> fleet.hosts(globex, "acme-p1", all())).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.host(globex, "acme-p1", "by-onboarding")).reason());
    }

    @Test
    void clustersGroupExistingHostsOfTheProject() {
        fleet.importHosts(admin, "acme-p1", "name,serial\nn1,S1\nn2,S2\nn3,S3\n");
        Fleet.Cluster k = fleet.createCluster(admin, "acme-p1", "k8s-a", "k8s-edge-3-node", List.of("n1", "n2"), Map.of("env", "prod"));
        assertEquals(List.of("n1", "n2"), k.hosts());
        assertEquals(List.of("n1", "n2", "n3"), fleet.addClusterHosts(admin, "acme-p1", "k8s-a", List.of("n3")).hosts());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> fleet.addClusterHosts(admin, "acme-p1", "k8s-a", List.of("n1"))).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.createCluster(admin, "acme-p1", "k8s-b", "t", List.of("ghost"), null)).reason());
        assertEquals(List.of("k8s-a"), fleet.clusters(admin, "acme-p1").stream().map(Fleet.Cluster::name).toList(),
                "the refused cluster was not created");
        assertEquals("template", assertThrows(TenancyException.class,
                () -> fleet.createCluster(admin, "acme-p1", "k8s-c", "Bad Template", List.of(), null)).field());
        Caller globex = t.login("globex-admin");
        fleet.registerHost(globex, "globex-p1", host("n1", "S1", null, null, null));
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.createCluster(globex, "acme-p1", "steal", "t", List.of("n1"), null)).reason());
    }

    // ---- updates and deletions ----------------------------------------------------------------

    private static HostQuery meta(String key, String value) {
        return new HostQuery(null, null, null, Map.of(key, value), null, null, false, 0, 100);
    }

    @Test
    void changingARegionsMetadataRelabelsTheHostsBelowItAndNoOthers() {
        fleet.createRegion(admin, "acme-p1", "nordics", null, Map.of("tier", "bronze"));
        fleet.updateSite(admin, "acme-p1", "oslo", new Fleet.SiteUpdate("nordics", null, null, null, null));
        fleet.importHosts(admin, "acme-p1", "name,serial,site,meta.rack\np-1,S1,paris,r1\no-1,S2,oslo,r1\nx-1,S3,,\n");
        assertEquals(List.of("p-1"), names(meta("tier", "gold")));

        Fleet.Region eu = fleet.updateRegion(admin, "acme-p1", "eu", new Fleet.RegionUpdate(null, Map.of("tier", "platinum")));
        assertEquals(Map.of("tier", "platinum"), eu.metadata());
        assertEquals(List.of(), names(meta("tier", "gold")));
        assertEquals(List.of(), names(meta("owner", "ops-eu")), "replaced, not merged");
        assertEquals(List.of("p-1"), names(meta("tier", "platinum")), "a host two regions below eu");
        assertEquals(List.of("o-1"), names(meta("tier", "bronze")), "other regions' hosts keep theirs");
        assertEquals(Map.of("tier", "platinum", "zone", "west", "owner", "ops-paris", "rack", "r1"),
                fleet.host(admin, "acme-p1", "p-1").effectiveMetadata());

        fleet.updateRegion(admin, "acme-p1", "eu-west", new Fleet.RegionUpdate(null, Map.of()));
        assertEquals(List.of(), names(meta("zone", "west")));
        assertEquals(Map.of(), regionsByName().get("eu-west").metadata());
    }

    @Test
    void movingARegionChangesWhatItsHostsInheritAndCyclesAreRefused() {
        fleet.createRegion(admin, "acme-p1", "world", null, Map.of("scope", "global", "tier", "iron"));
        fleet.registerHost(admin, "acme-p1", host("p-1", "S1", null, "paris", null));
        Fleet.Region moved = fleet.updateRegion(admin, "acme-p1", "eu", new Fleet.RegionUpdate("world", null));
        assertEquals("world", moved.parent());
        assertEquals(Map.of("tier", "gold", "owner", "ops-eu"), moved.metadata(), "metadata kept");
        assertEquals(List.of("p-1"), names(meta("scope", "global")));
        assertEquals(List.of("p-1"), names(new HostQuery(null, null, "world", null, null, null, false, 0, 10)));
        assertEquals("gold", fleet.host(admin, "acme-p1", "p-1").effectiveMetadata().get("tier"), "eu overrides world");

        for (String inside : List.of("eu", "eu-west")) {
            TenancyException e = assertThrows(TenancyException.class,
                    () -> fleet.updateRegion(admin, "acme-p1", "eu", new Fleet.RegionUpdate(inside, Map.of("x", "y"))));
            assertEquals(Reason.INVALID, e.reason());
            assertEquals("parent", e.field());
        }
        assertEquals("world", regionsByName().get("eu").parent(), "the refused moves changed nothing");
        assertEquals(Map.of("tier", "gold", "owner", "ops-eu"), regionsByName().get("eu").metadata());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.updateRegion(admin, "acme-p1", "eu", new Fleet.RegionUpdate("atlantis", null))).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.updateRegion(admin, "acme-p1", "ghost", new Fleet.RegionUpdate(null, null))).reason());

        fleet.updateRegion(admin, "acme-p1", "eu", new Fleet.RegionUpdate("", null));
        assertEquals(null, regionsByName().get("eu").parent());
        assertEquals(List.of(), names(meta("scope", "global")));
    }

    @Test
    void regionsAreDeletedOnlyWhenNothingIsInThem() {
        TenancyException e = assertThrows(TenancyException.class, () -> fleet.deleteRegion(admin, "acme-p1", "eu"));
        assertEquals(Reason.CONFLICT, e.reason());
        assertTrue(e.getMessage().contains("1 sub-region"), e.getMessage());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> fleet.deleteRegion(admin, "acme-p1", "eu-west")).reason(), "paris is in it");
        fleet.deleteSite(admin, "acme-p1", "paris");
        fleet.deleteRegion(admin, "acme-p1", "eu-west");
        fleet.deleteRegion(admin, "acme-p1", "eu");
        assertEquals(List.of(), fleet.regions(admin, "acme-p1"));
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> fleet.deleteRegion(admin, "acme-p1", "eu")).reason());
        // The name is free again, without the old metadata.
        assertEquals(Map.of(), fleet.createRegion(admin, "acme-p1", "eu", null, null).metadata());
        assertEquals(Map.of(), regionsByName().get("eu").metadata());
    }

    @Test
    void updatingASiteRelabelsItsHostsAndKeepsWhatIsNotGiven() {
        fleet.importHosts(admin, "acme-p1", "name,serial,site\np-1,S1,paris\no-1,S2,oslo\n");
        Fleet.Site oslo = fleet.updateSite(admin, "acme-p1", "oslo", new Fleet.SiteUpdate("eu-west", "Karl Johans gate 1",
                59.91, 10.75, Map.of("owner", "ops-oslo")));
        assertEquals(new Fleet.Site("oslo", "eu-west", "Karl Johans gate 1", 59.91, 10.75, Map.of("owner", "ops-oslo"),
                oslo.createdAt()), oslo);
        assertEquals(List.of("o-1", "p-1"), names(meta("zone", "west")));
        assertEquals(List.of("o-1"), names(meta("owner", "ops-oslo")));
        assertEquals("eu-west", fleet.host(admin, "acme-p1", "o-1").region());

        Fleet.Site kept = fleet.updateSite(admin, "acme-p1", "oslo", new Fleet.SiteUpdate(null, null, 60.0, null, null));
        assertEquals(new Fleet.Site("oslo", "eu-west", "Karl Johans gate 1", 60.0, 10.75, Map.of("owner", "ops-oslo"),
                oslo.createdAt()), kept);
        fleet.updateSite(admin, "acme-p1", "oslo", new Fleet.SiteUpdate("", "", null, null, Map.of()));
        assertEquals(Map.of(), fleet.host(admin, "acme-p1", "o-1").effectiveMetadata());
        assertEquals(null, fleet.host(admin, "acme-p1", "o-1").region());

        for (Fleet.SiteUpdate bad : List.of(new Fleet.SiteUpdate("eu", null, 91.0, null, null),
                new Fleet.SiteUpdate("eu", null, null, -181.0, null), new Fleet.SiteUpdate("eu", "x".repeat(256), null, null, null),
                new Fleet.SiteUpdate("eu", null, null, null, Map.of("Bad Key", "v")))) {
            assertEquals(Reason.INVALID, assertThrows(TenancyException.class,
                    () -> fleet.updateSite(admin, "acme-p1", "paris", bad)).reason(), bad.toString());
        }
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.updateSite(admin, "acme-p1", "paris", new Fleet.SiteUpdate("atlantis", null, null, null, null))).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.updateSite(admin, "acme-p1", "rome", new Fleet.SiteUpdate(null, null, null, null, null))).reason());
        assertEquals(new Fleet.Site("paris", "eu-west", "1 rue de Rivoli", 48.86, 2.35, Map.of("owner", "ops-paris"),
                sitesByName().get("paris").createdAt()), sitesByName().get("paris"), "refused changes changed nothing");
        assertEquals(List.of("p-1"), names(meta("owner", "ops-paris")));
    }

    @Test
    void sitesAreDeletedOnlyWithoutHosts() {
        fleet.registerHost(admin, "acme-p1", host("p-1", "S1", null, "paris", null));
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class, () -> fleet.deleteSite(admin, "acme-p1", "paris")).reason());
        fleet.updateHost(admin, "acme-p1", "p-1", new Fleet.HostUpdate("oslo", null));
        fleet.deleteSite(admin, "acme-p1", "paris");
        assertEquals(List.of("oslo"), fleet.sites(admin, "acme-p1").stream().map(Fleet.Site::name).toList());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> fleet.deleteSite(admin, "acme-p1", "paris")).reason());
    }

    @Test
    void aHostsSerialNumberCanBeCorrected() {
        fleet.registerHost(admin, "acme-p1", host("typo", "SN-O0O1", null, null, Map.of()));
        fleet.registerHost(admin, "acme-p1", host("other", "SN-0002", null, null, Map.of()));
        fleet.registerHost(admin, "acme-p1", host("with-uuid", "SN-9", "0b6c5a8e-9a43-4b0e-9a57-1f0c3c8a1001", null, Map.of()));
        assertEquals("SN-0001", fleet.updateHost(admin, "acme-p1", "typo", new Fleet.HostUpdate(null, null, "SN-0001")).serialNumber());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> fleet.updateHost(admin, "acme-p1", "typo", new Fleet.HostUpdate(null, null, "SN-0002"))).reason());
        assertEquals("serialNumber", assertThrows(TenancyException.class,
                () -> fleet.updateHost(admin, "acme-p1", "typo", new Fleet.HostUpdate(null, null, "bad serial!"))).field());
        assertEquals("serialNumber", assertThrows(TenancyException.class,
                () -> fleet.updateHost(admin, "acme-p1", "typo", new Fleet.HostUpdate(null, null, ""))).field(),
                "a host known only by its serial keeps one");
        assertEquals(null, fleet.updateHost(admin, "acme-p1", "with-uuid", new Fleet.HostUpdate(null, null, "")).serialNumber());
        assertEquals("SN-0001", fleet.host(admin, "acme-p1", "typo").serialNumber());
    }

    @Test
    void updatingAHostMovesItAndReplacesItsOwnMetadata() {
        fleet.registerHost(admin, "acme-p1", host("h-1", "S1", null, "oslo", Map.of("rack", "r1", "tier", "silver")));
        Fleet.Host moved = fleet.updateHost(admin, "acme-p1", "h-1", new Fleet.HostUpdate("paris", null));
        assertEquals("paris", moved.site());
        assertEquals("eu-west", moved.region());
        assertEquals(Map.of("rack", "r1", "tier", "silver", "owner", "ops-paris", "zone", "west"), moved.effectiveMetadata());
        assertEquals(List.of("h-1"), names(meta("zone", "west")));

        Fleet.Host relabelled = fleet.updateHost(admin, "acme-p1", "h-1", new Fleet.HostUpdate(null, Map.of("rack", "r2")));
        assertEquals(Map.of("rack", "r2"), relabelled.metadata());
        assertEquals("gold", relabelled.effectiveMetadata().get("tier"), "no longer overridden");
        assertEquals(List.of(), names(meta("rack", "r1")));
        assertEquals(List.of("h-1"), names(meta("rack", "r2")));

        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.updateHost(admin, "acme-p1", "h-1", new Fleet.HostUpdate("atlantis", Map.of("rack", "r3")))).reason());
        assertEquals("metadata", assertThrows(TenancyException.class,
                () -> fleet.updateHost(admin, "acme-p1", "h-1", new Fleet.HostUpdate("oslo", Map.of("Bad Key", "v")))).field());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.updateHost(admin, "acme-p1", "ghost", new Fleet.HostUpdate("oslo", null))).reason());
        assertEquals(relabelled, fleet.host(admin, "acme-p1", "h-1"), "refused changes changed nothing");

        Fleet.Host nowhere = fleet.updateHost(admin, "acme-p1", "h-1", new Fleet.HostUpdate("", Map.of()));
        assertEquals(null, nowhere.site());
        assertEquals(Map.of(), nowhere.effectiveMetadata());
    }

    @Test
    void clustersAreUpdatedShrunkAndDeletedWhileTheirHostsStay() {
        fleet.importHosts(admin, "acme-p1", "name,serial\nn1,S1\nn2,S2\nn3,S3\n");
        fleet.createCluster(admin, "acme-p1", "k8s-a", "k8s-edge-3-node", List.of("n1", "n2", "n3"), Map.of("env", "prod"));
        Fleet.Cluster updated = fleet.updateCluster(admin, "acme-p1", "k8s-a", new Fleet.ClusterUpdate("k8s-edge-5-node", null));
        assertEquals("k8s-edge-5-node", updated.template());
        assertEquals(Map.of("env", "prod"), updated.metadata());
        assertEquals(Map.of("env", "test"), fleet.updateCluster(admin, "acme-p1", "k8s-a",
                new Fleet.ClusterUpdate(null, Map.of("env", "test"))).metadata());
        assertEquals("template", assertThrows(TenancyException.class, () -> fleet.updateCluster(admin, "acme-p1", "k8s-a",
                new Fleet.ClusterUpdate("Bad Template", Map.of()))).field());

        assertEquals(List.of("n2"), fleet.removeClusterHosts(admin, "acme-p1", "k8s-a", List.of("n1", "n3")).hosts());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.removeClusterHosts(admin, "acme-p1", "k8s-a", List.of("n2", "n1"))).reason(), "n1 is no longer in it");
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> fleet.removeClusterHosts(admin, "acme-p1", "k8s-a", List.of("n2", "ghost"))).reason());
        Fleet.Cluster k = fleet.clusters(admin, "acme-p1").get(0);
        assertEquals(List.of("n2"), k.hosts(), "a refused removal removes nobody");
        assertEquals(Map.of("env", "test"), k.metadata());

        fleet.deleteCluster(admin, "acme-p1", "k8s-a");
        assertEquals(List.of(), fleet.clusters(admin, "acme-p1"));
        assertEquals(3, fleet.hosts(admin, "acme-p1", all()).total());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> fleet.deleteCluster(admin, "acme-p1", "k8s-a")).reason());
        assertEquals(List.of("n1"), fleet.createCluster(admin, "acme-p1", "k8s-a", "t", List.of("n1"), null).hosts());
    }

    @Test
    void changesNeedTheCreatorsPermissionAndOtherTenantsSeeNothing() {
        fleet.registerHost(admin, "acme-p1", host("h-1", "S1", null, "paris", null));
        fleet.createCluster(admin, "acme-p1", "k8s-a", "t", List.of("h-1"), null);
        Caller hostManager = t.member("acme", "acme-p1", "hosts1", Role.HOST_MANAGER);
        Caller onboarding = t.member("acme", "acme-p1", "onboarder", Role.ONBOARDING);
        Caller viewer = t.member("acme", "acme-p1", "viewer1", Role.VIEWER);
        Caller globex = t.login("globex-admin");
        for (Caller outsider : List.of(hostManager, viewer, globex)) {
            Reason expected = outsider == globex ? Reason.NOT_FOUND : Reason.FORBIDDEN;
            List<org.junit.jupiter.api.function.Executable> calls = List.of(
                    () -> fleet.updateRegion(outsider, "acme-p1", "eu", new Fleet.RegionUpdate(null, Map.of())),
                    () -> fleet.deleteRegion(outsider, "acme-p1", "eu-west"),
                    () -> fleet.updateSite(outsider, "acme-p1", "oslo", new Fleet.SiteUpdate(null, "x", null, null, null)),
                    () -> fleet.deleteSite(outsider, "acme-p1", "oslo"),
                    () -> fleet.updateCluster(outsider, "acme-p1", "k8s-a", new Fleet.ClusterUpdate("u", null)),
                    () -> fleet.removeClusterHosts(outsider, "acme-p1", "k8s-a", List.of("h-1")),
                    () -> fleet.deleteCluster(outsider, "acme-p1", "k8s-a"));
            for (var call : calls) {
                assertEquals(expected, assertThrows(TenancyException.class, call).reason());
            }
        }
        for (Caller outsider : List.of(onboarding, viewer, globex)) {
            assertEquals(outsider == globex ? Reason.NOT_FOUND : Reason.FORBIDDEN, assertThrows(TenancyException.class,
                    () -> fleet.updateHost(outsider, "acme-p1", "h-1", new Fleet.HostUpdate("oslo", Map.of()))).reason());
        }
        assertEquals("oslo", fleet.updateHost(hostManager, "acme-p1", "h-1", new Fleet.HostUpdate("oslo", null)).site());
        assertEquals(2, fleet.regions(admin, "acme-p1").size());
        assertEquals(2, fleet.sites(admin, "acme-p1").size());
        assertEquals(List.of("h-1"), fleet.clusters(admin, "acme-p1").get(0).hosts());
        assertEquals("t", fleet.clusters(admin, "acme-p1").get(0).template());
    }

    @Test
    void changesAndRefusalsAreAudited() {
        fleet.updateRegion(admin, "acme-p1", "eu", new Fleet.RegionUpdate(null, Map.of("tier", "platinum")));
        assertThrows(TenancyException.class, () -> fleet.deleteRegion(admin, "acme-p1", "eu"));
        Caller viewer = t.member("acme", "acme-p1", "viewer1", Role.VIEWER);
        assertThrows(TenancyException.class, () -> fleet.deleteSite(viewer, "acme-p1", "oslo"));
        fleet.deleteSite(admin, "acme-p1", "oslo");
        List<AuditLog.Event> events = t.audit.query(admin, new AuditLog.Query("acme-p1", null, null, null, null, null, 0, 50)).events();
        assertTrue(events.stream().anyMatch(e -> e.action().equals("region.update") && e.outcome() == Outcome.SUCCESS
                && e.objectId().equals("eu")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.action().equals("region.delete") && e.outcome() == Outcome.FAILED
                && e.detail().startsWith("CONFLICT")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.actor().equals("viewer1") && e.outcome() == Outcome.DENIED), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.action().equals("site.delete") && e.outcome() == Outcome.SUCCESS
                && e.objectId().equals("oslo")), events.toString());
    }

    private Map<String, Fleet.Region> regionsByName() {
        return fleet.regions(admin, "acme-p1").stream().collect(java.util.stream.Collectors.toMap(Fleet.Region::name, r -> r));
    }

    private Map<String, Fleet.Site> sitesByName() {
        return fleet.sites(admin, "acme-p1").stream().collect(java.util.stream.Collectors.toMap(Fleet.Site::name, r -> r));
    }

    private List<String> names(HostQuery q) {
        return fleet.hosts(admin, "acme-p1", q).hosts().stream().map(Fleet.Host::name).toList();
    }
}
