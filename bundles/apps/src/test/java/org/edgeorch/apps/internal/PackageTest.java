package org.edgeorch.apps.internal;

import static org.edgeorch.apps.internal.AppServiceTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.edgeorch.apps.Apps;
import org.edgeorch.apps.Apps.Deployment;
import org.edgeorch.apps.Apps.DeploymentSpec;
import org.edgeorch.apps.Apps.PackageDeploymentSpec;
import org.edgeorch.apps.Apps.PackageEntry;
import org.edgeorch.apps.Apps.PackageVersion;
import org.edgeorch.apps.Apps.PackageVersionSpec;
import org.edgeorch.apps.Apps.ProfileSpec;
import org.edgeorch.apps.Apps.TargetKind;
import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.internal.FleetServiceImpl;
import org.edgeorch.release.internal.ReleaseServiceImpl;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.SecretBox;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment packages on Derby with the real fleet and trust store: web (mandatory MODE and secret DB_PASSWORD, so it
 * deploys only with its profile) and db (defaults only) in versions 1.0.0 and 1.1.0, cache 1.0.0; hosts pos-1 and pos-2
 * (tier pos) and office-1.
 */
class PackageTest {

    private static final String P = "acme-p1";

    @TempDir
    Path dir;

    TenancyFixture t;
    FleetServiceImpl fleet;
    AppServiceImpl apps;
    Caller admin;
    HostCertificateAuthority key;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir.resolve("db"));
        t.organizationWithProject("acme");
        t.organizationWithProject("globex");
        admin = t.login("acme-admin");
        fleet = new FleetServiceImpl(t.db, t.tenancy, t.audit);
        ReleaseServiceImpl releases = new ReleaseServiceImpl(t.db, t.tenancy, t.audit,
                AppServiceTest.releaseConfig(dir.resolve("cache")));
        apps = new AppServiceImpl(t.db, t.tenancy, t.audit, releases, SecretBox.fromFile(dir.resolve("apps.key")),
                Clock.systemUTC());
        key = HostCertificateAuthority.createRoot("apps-2026", Duration.ofDays(30));
        releases.addSigner(t.admin(), "apps-2026", HostCertificateAuthority.pem(key.certificate()));
        fleet.registerHost(admin, P, new HostRegistration("pos-1", "SN-1", null, null, Map.of("tier", "pos")));
        fleet.registerHost(admin, P, new HostRegistration("pos-2", "SN-2", null, null, Map.of("tier", "pos")));
        fleet.registerHost(admin, P, new HostRegistration("office-1", "SN-3", null, null, Map.of("tier", "office")));
        for (String app : List.of("web", "db", "cache")) {
            apps.createApplication(admin, P, app, null);
        }
        publish("web", "1.0.0", AppServiceTest.TEMPLATE);
        publish("web", "1.1.0", AppServiceTest.TEMPLATE);
        publish("db", "1.0.0", "[{\"name\":\"SIZE\",\"type\":\"INTEGER\",\"defaultValue\":\"5\"}]");
        publish("db", "1.1.0", "[]");
        publish("cache", "1.0.0", "[]");
        for (String v : List.of("1.0.0", "1.1.0")) {
            apps.createProfile(admin, P, "web", v, new ProfileSpec("store", null, Map.of("MODE", "fast", "DB_PASSWORD", "pw")));
        }
        apps.createPackage(admin, P, "shop", "the shop's applications");
    }

    private void publish(String app, String version, String template) {
        String m = AppServiceTest.manifest(app, version, template);
        apps.publishVersion(admin, P, app, m, AppServiceTest.sign(m, key));
    }

    private PackageVersion packageVersion(String version, PackageEntry... entries) {
        return apps.createPackageVersion(admin, P, "shop", new PackageVersionSpec(version, null, List.of(entries)));
    }

    private static PackageDeploymentSpec toPos(String name, String version) {
        return new PackageDeploymentSpec(name, version, TargetKind.SELECTOR, "tier=pos", null);
    }

    private String id(String table, String name) {
        return t.db.inTransaction(c -> Sql.string(c, "SELECT id FROM " + table + " WHERE name = ?", name));
    }

    @Test
    void aPackageVersionDeploysItsApplicationsTogetherAndUpgradesThemTogether() {
        PackageVersion v1 = packageVersion("1.0.0", new PackageEntry("web", "1.0.0", "store"), new PackageEntry("db", "1.0.0", null));
        assertEquals(List.of(new PackageEntry("web", "1.0.0", "store"), new PackageEntry("db", "1.0.0", null)), v1.entries());
        assertEquals("acme-admin", v1.createdBy());

        List<Deployment> members = apps.deployPackage(admin, P, "shop", toPos("berlin", "1.0.0"));
        assertEquals(List.of("berlin-db", "berlin-web"), members.stream().map(Deployment::name).sorted().toList());
        for (Deployment d : members) {
            assertEquals("berlin", d.packageDeployment());
            assertEquals("shop", d.packageName());
            assertEquals("1.0.0", d.packageVersion());
            assertEquals(List.of("pos-1", "pos-2"), apps.targets(admin, P, d.name()).stream().map(Apps.TargetHost::host).toList());
        }
        assertEquals("store", apps.deployment(admin, P, "berlin-web").profile());
        // Each host gets both, the web front with its profile's secret resolved for it alone.
        var desired = apps.appsFor(t.tenancy.project(admin, P).id(), id("host", "pos-1"));
        assertEquals(List.of("db", "web"), desired.stream().map(org.edgeorch.spi.southbound.DesiredApp::application).sorted().toList());
        assertEquals(List.of(), apps.appsFor(t.tenancy.project(admin, P).id(), id("host", "office-1")));

        // 1.1.0: web moves, db leaves the package, cache joins; all in one step.
        packageVersion("1.1.0", new PackageEntry("web", "1.1.0", "store"), new PackageEntry("cache", "1.0.0", null));
        assertEquals(List.of("1.1.0", "1.0.0"), apps.deploymentPackage(admin, P, "shop").versions());
        List<Deployment> after = apps.upgradePackageDeployment(admin, P, "shop", "berlin", "1.1.0");
        assertEquals(List.of("berlin-cache 1.0.0 1.1.0", "berlin-web 1.1.0 1.1.0"), after.stream()
                .map(d -> d.name() + " " + d.version() + " " + d.packageVersion()).toList());
        assertEquals(List.of("berlin-cache", "berlin-web"), apps.deployments(admin, P).stream().map(Deployment::name).toList());
        assertEquals(2, apps.packageDeployment(admin, P, "shop", "berlin").size());

        apps.deletePackageDeployment(admin, P, "shop", "berlin");
        assertEquals(List.of(), apps.deployments(admin, P));
        refused(Reason.NOT_FOUND, null, () -> apps.packageDeployment(admin, P, "shop", "berlin"));
    }

    @Test
    void ifOneEntryCannotBeDeployedNoneIs() {
        // web without its profile lacks the mandatory MODE and DB_PASSWORD.
        packageVersion("1.0.0", new PackageEntry("db", "1.0.0", null), new PackageEntry("web", "1.0.0", null));
        TenancyException e = refused(Reason.INVALID, "overrides.MODE", () -> apps.deployPackage(admin, P, "shop",
                toPos("berlin", "1.0.0")));
        assertTrue(e.getMessage().startsWith("web 1.0.0: "), e.getMessage());
        assertEquals(List.of(), apps.deployments(admin, P), "db was not deployed alone");

        packageVersion("1.0.1", new PackageEntry("db", "1.0.0", null), new PackageEntry("web", "1.0.0", "store"));
        apps.deployPackage(admin, P, "shop", toPos("berlin", "1.0.1"));
        // An upgrade that cannot move every member moves none.
        refused(Reason.INVALID, "overrides.MODE", () -> apps.upgradePackageDeployment(admin, P, "shop", "berlin", "1.0.0"));
        assertEquals(List.of("1.0.1", "1.0.1"), apps.packageDeployment(admin, P, "shop", "berlin").stream()
                .map(Deployment::packageVersion).toList());
        refused(Reason.CONFLICT, null, () -> apps.deployPackage(admin, P, "shop", toPos("berlin", "1.0.1")));
    }

    @Test
    void badInputNamesItsFieldAndChangesNothing() {
        refused(Reason.INVALID, "name", () -> apps.createPackage(admin, P, "Not A Name", null));
        refused(Reason.INVALID, "name", () -> apps.createPackage(admin, P, "x".repeat(64), null));
        refused(Reason.CONFLICT, null, () -> apps.createPackage(admin, P, "shop", null));
        refused(Reason.INVALID, "version", () -> apps.createPackageVersion(admin, P, "shop",
                new PackageVersionSpec("not a version", null, List.of(new PackageEntry("db", "1.0.0", null)))));
        refused(Reason.INVALID, "entries", () -> packageVersion("1.0.0"));
        refused(Reason.INVALID, "entries[0].application", () -> packageVersion("1.0.0", new PackageEntry("Web!", "1.0.0", null)));
        refused(Reason.INVALID, "entries[0].version", () -> packageVersion("1.0.0", new PackageEntry("db", "9.9.9", null)));
        refused(Reason.INVALID, "entries[0].version", () -> packageVersion("1.0.0", new PackageEntry("nope", "1.0.0", null)));
        refused(Reason.INVALID, "entries[0].profile", () -> packageVersion("1.0.0", new PackageEntry("web", "1.0.0", "nope")));
        refused(Reason.INVALID, "entries[1].application", () -> packageVersion("1.0.0",
                new PackageEntry("db", "1.0.0", null), new PackageEntry("db", "1.1.0", null)));
        refused(Reason.NOT_FOUND, null, () -> apps.createPackageVersion(admin, P, "nope",
                new PackageVersionSpec("1.0.0", null, List.of(new PackageEntry("db", "1.0.0", null)))));
        assertEquals(List.of(), apps.packageVersions(admin, P, "shop"), "no refused version was half written");

        packageVersion("1.0.0", new PackageEntry("db", "1.0.0", null));
        refused(Reason.CONFLICT, null, () -> packageVersion("1.0.0", new PackageEntry("db", "1.1.0", null)));
        refused(Reason.INVALID, "name", () -> apps.deployPackage(admin, P, "shop", toPos("Bad Name", "1.0.0")));
        refused(Reason.INVALID, "name", () -> apps.deployPackage(admin, P, "shop", toPos("x".repeat(62), "1.0.0")));
        refused(Reason.INVALID, "selector", () -> apps.deployPackage(admin, P, "shop",
                new PackageDeploymentSpec("berlin", "1.0.0", TargetKind.SELECTOR, "tier in (pos", null)));
        refused(Reason.NOT_FOUND, null, () -> apps.deployPackage(admin, P, "shop", toPos("berlin", "2.0.0")));
        assertEquals(List.of(), apps.deployments(admin, P));
    }

    @Test
    void whatAPackageUsesStaysAndMembersFollowTheirPackage() {
        packageVersion("1.0.0", new PackageEntry("web", "1.0.0", "store"), new PackageEntry("db", "1.0.0", null));
        refused(Reason.CONFLICT, null, () -> apps.deleteVersion(admin, P, "db", "1.0.0"));
        refused(Reason.CONFLICT, null, () -> apps.deleteProfile(admin, P, "web", "1.0.0", "store"));
        refused(Reason.CONFLICT, null, () -> apps.deleteApplication(admin, P, "db"));

        apps.deployPackage(admin, P, "shop", toPos("berlin", "1.0.0"));
        refused(Reason.CONFLICT, null, () -> apps.deletePackageVersion(admin, P, "shop", "1.0.0"));
        refused(Reason.CONFLICT, null, () -> apps.deletePackage(admin, P, "shop"));
        refused(Reason.CONFLICT, null, () -> apps.deleteDeployment(admin, P, "berlin-db"));
        refused(Reason.CONFLICT, null, () -> apps.updateDeployment(admin, P, "berlin-db",
                new DeploymentSpec(null, null, "1.1.0", null, null, null, null, null)));
        // Its target and overrides may still change like any deployment's.
        apps.updateDeployment(admin, P, "berlin-db", new DeploymentSpec(null, null, null, null, Map.of("SIZE", "7"), null, null,
                null));
        assertEquals(Map.of("SIZE", "7"), apps.deployment(admin, P, "berlin-db").overrides());

        apps.deletePackageDeployment(admin, P, "shop", "berlin");
        apps.deletePackageVersion(admin, P, "shop", "1.0.0");
        apps.deleteVersion(admin, P, "db", "1.0.0");
        apps.deletePackage(admin, P, "shop");
        assertEquals(List.of(), apps.packages(admin, P));
    }

    @Test
    void readersReadWritersWriteOperatorsDeployAndOtherTenantsSeeNothing() {
        packageVersion("1.0.0", new PackageEntry("db", "1.0.0", null));
        Caller viewer = t.member("acme", P, "vic", Role.VIEWER);
        Caller operator = t.member("acme", P, "otto", Role.EDGE_OPERATOR);
        Caller stranger = t.login("globex-admin");
        assertEquals(1, apps.packages(viewer, P).size());
        assertEquals(1, apps.packageVersions(viewer, P, "shop").size());
        refused(Reason.FORBIDDEN, null, () -> apps.createPackage(viewer, P, "other", null));
        refused(Reason.FORBIDDEN, null, () -> apps.createPackage(operator, P, "other", null));
        refused(Reason.FORBIDDEN, null, () -> apps.deployPackage(viewer, P, "shop", toPos("berlin", "1.0.0")));
        apps.deployPackage(operator, P, "shop", toPos("berlin", "1.0.0"));
        refused(Reason.FORBIDDEN, null, () -> apps.deletePackageDeployment(viewer, P, "shop", "berlin"));
        for (AppServiceTest.Executable call : List.<AppServiceTest.Executable>of(
                () -> apps.packages(stranger, P), () -> apps.deploymentPackage(stranger, P, "shop"),
                () -> apps.createPackage(stranger, P, "x", null), () -> apps.packageVersion(stranger, P, "shop", "1.0.0"),
                () -> apps.deployPackage(stranger, P, "shop", toPos("x", "1.0.0")),
                () -> apps.packageDeployment(stranger, P, "shop", "berlin"),
                () -> apps.upgradePackageDeployment(stranger, P, "shop", "berlin", "1.0.0"),
                () -> apps.deletePackage(stranger, P, "shop"))) {
            refused(Reason.NOT_FOUND, null, call);
        }
        assertTrue(t.db.inTransaction(c -> Sql.strings(c, "SELECT action FROM audit_event WHERE action LIKE 'package.%'"))
                .containsAll(List.of("package.create", "package.version.create", "package.deploy")));
    }
}
