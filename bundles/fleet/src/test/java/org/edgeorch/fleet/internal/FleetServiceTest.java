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

    private List<String> names(HostQuery q) {
        return fleet.hosts(admin, "acme-p1", q).hosts().stream().map(Fleet.Host::name).toList();
    }
}
