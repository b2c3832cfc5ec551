package org.edgeorch.apps.internal;

import org.edgeorch.security.SecretBox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeorch.apps.Apps;
import org.edgeorch.apps.Apps.AppVersion;
import org.edgeorch.apps.Apps.Deployment;
import org.edgeorch.apps.Apps.DeploymentSpec;
import org.edgeorch.apps.Apps.Profile;
import org.edgeorch.apps.Apps.ProfileSpec;
import org.edgeorch.apps.Apps.RuntimeKind;
import org.edgeorch.apps.Apps.TargetHost;
import org.edgeorch.apps.Apps.TargetKind;
import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.Fleet.HostUpdate;
import org.edgeorch.fleet.internal.FleetServiceImpl;
import org.edgeorch.release.internal.ReleaseConfig;
import org.edgeorch.release.internal.ReleaseServiceImpl;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application domain on Derby with the real fleet and the real release trust store: hosts pos-1 and pos-2 (site
 * berlin, tier pos), office-1 (site paris, tier back-office); versions signed with a trusted key.
 */
class AppServiceTest {

    private static final String P = "acme-p1";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    TenancyFixture t;
    FleetServiceImpl fleet;
    ReleaseServiceImpl releases;
    AppServiceImpl apps;
    Caller admin;
    Caller platform;
    HostCertificateAuthority key;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir.resolve("db"));
        t.organizationWithProject("acme");
        t.organizationWithProject("globex");
        platform = t.admin();
        admin = t.login("acme-admin");
        fleet = new FleetServiceImpl(t.db, t.tenancy, t.audit);
        releases = new ReleaseServiceImpl(t.db, t.tenancy, t.audit, releaseConfig(dir.resolve("cache")));
        apps = new AppServiceImpl(t.db, t.tenancy, t.audit, releases, SecretBox.fromFile(dir.resolve("apps.key")),
                Clock.systemUTC());
        key = HostCertificateAuthority.createRoot("apps-2026", Duration.ofDays(30));
        releases.addSigner(platform, "apps-2026", HostCertificateAuthority.pem(key.certificate()));

        fleet.registerHost(admin, P, new HostRegistration("pos-1", "SN-1", null, null, Map.of("site", "berlin", "tier", "pos")));
        fleet.registerHost(admin, P, new HostRegistration("pos-2", "SN-2", null, null, Map.of("site", "berlin", "tier", "pos")));
        fleet.registerHost(admin, P, new HostRegistration("office-1", "SN-3", null, null,
                Map.of("site", "paris", "tier", "back-office")));
        apps.createApplication(admin, P, "web", "the shop's web front");
    }

    static String manifest(String app, String version, String parameters) {
        return "{\"schemaVersion\":1,\"application\":\"" + app + "\",\"version\":\"" + version + "\",\"runtime\":\"CONTAINER\","
                + "\"artifacts\":[{\"name\":\"web\",\"repository\":\"apps/web\",\"digest\":\"" + DIGEST + "\"}],"
                + "\"container\":{\"command\":[\"/bin/httpd\",\"-f\"],\"ports\":[\"18080:8080\"]},"
                + "\"parameters\":" + parameters + "}";
    }

    static final String TEMPLATE = "[{\"name\":\"GREETING\",\"type\":\"STRING\",\"defaultValue\":\"hello\",\"pattern\":\"[a-z ]+\"},"
            + "{\"name\":\"PORT\",\"type\":\"INTEGER\",\"defaultValue\":\"8080\",\"min\":1024,\"max\":65535},"
            + "{\"name\":\"DEBUG\",\"type\":\"BOOLEAN\",\"defaultValue\":\"false\"},"
            + "{\"name\":\"MODE\",\"type\":\"ENUM\",\"values\":[\"fast\",\"safe\"],\"mandatory\":true},"
            + "{\"name\":\"DB_PASSWORD\",\"type\":\"STRING\",\"secret\":true,\"mandatory\":true}]";

    String sign(String manifest) {
        return sign(manifest, key);
    }

    static String sign(String manifest, HostCertificateAuthority signer) {
        PrivateKey k = Pems.privateKey(signer.privateKeyPem());
        return Base64.getEncoder().encodeToString(ReleaseSignatures.sign(manifest.getBytes(StandardCharsets.UTF_8), k,
                List.of(signer.certificate())));
    }

    AppVersion publish(String version) {
        String m = manifest("web", version, TEMPLATE);
        return apps.publishVersion(admin, P, "web", m, sign(m));
    }

    static TenancyException refused(Reason reason, String field, Executable call) {
        TenancyException e = assertThrows(TenancyException.class, call::run);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    interface Executable {
        void run();
    }

    // ---- versions and signatures ------------------------------------------------------------------------

    @Test
    void aSignedVersionIsPublishedWithWhatItsManifestSaysAndWhoSignedIt() {
        AppVersion v = publish("1.0.0");
        assertEquals(RuntimeKind.CONTAINER, v.runtime());
        assertEquals(DIGEST, v.artifacts().get(0).digest());
        assertEquals(List.of("18080:8080"), v.container().ports());
        assertEquals(5, v.parameters().size());
        assertTrue(v.signer().contains("apps-2026"), v.signer());
        assertEquals("acme-admin", v.publishedBy());
        assertEquals(List.of("1.0.0"), apps.application(admin, P, "web").versions());
        refused(Reason.CONFLICT, null, () -> publish("1.0.0"));
    }

    @Test
    void unsignedTamperedUntrustedAndMalformedVersionsAreRefusedAndNothingIsRecorded() {
        String m = manifest("web", "1.0.0", TEMPLATE);
        refused(Reason.INVALID, "signature", () -> apps.publishVersion(admin, P, "web", m, null));
        refused(Reason.INVALID, "signature", () -> apps.publishVersion(admin, P, "web", m, "not base64!"));
        TenancyException tampered = refused(Reason.INVALID, "signature",
                () -> apps.publishVersion(admin, P, "web", m.replace("18080", "18081"), sign(m)));
        assertTrue(tampered.getMessage().contains("BAD_SIGNATURE"), tampered.getMessage());
        HostCertificateAuthority stranger = HostCertificateAuthority.createRoot("stranger", Duration.ofDays(30));
        assertTrue(refused(Reason.INVALID, "signature", () -> apps.publishVersion(admin, P, "web", m, sign(m, stranger)))
                .getMessage().contains("UNKNOWN_SIGNER"));

        refused(Reason.INVALID, "manifest.runtime", () -> signedPublish(m.replace("CONTAINER", "WASM")));
        refused(Reason.INVALID, "manifest.artifacts[0].digest", () -> signedPublish(m.replace(DIGEST, "latest")));
        refused(Reason.INVALID, "manifest.application", () -> signedPublish(manifest("shop", "1.0.0", TEMPLATE)));
        refused(Reason.INVALID, "manifest", () -> signedPublish("{not json"));
        refused(Reason.INVALID, "manifest.colour", () -> signedPublish(m.replace("{\"schemaVersion\":1,",
                "{\"schemaVersion\":1,\"colour\":\"red\",")));
        TenancyException typed = refused(Reason.INVALID, "manifest.parameters[0].type",
                () -> signedPublish(manifest("web", "1.0.0", "[{\"name\":\"X\",\"type\":\"FLOAT\"}]")));
        assertFalse(typed.getMessage().contains("org.edgeorch"), typed.getMessage());
        refused(Reason.INVALID, "manifest.parameters[0].default", () -> signedPublish(manifest("web", "1.0.0",
                "[{\"name\":\"PW\",\"type\":\"STRING\",\"secret\":true,\"defaultValue\":\"x\"}]")));
        refused(Reason.INVALID, "manifest.parameters[0].default", () -> signedPublish(manifest("web", "1.0.0",
                "[{\"name\":\"N\",\"type\":\"INTEGER\",\"min\":1,\"max\":5,\"defaultValue\":\"9\"}]")));
        refused(Reason.INVALID, "manifest.parameters[0].pattern", () -> signedPublish(manifest("web", "1.0.0",
                "[{\"name\":\"S\",\"type\":\"STRING\",\"pattern\":\"[a-\"}]")));
        refused(Reason.INVALID, "manifest.parameters[0].values", () -> signedPublish(manifest("web", "1.0.0",
                "[{\"name\":\"E\",\"type\":\"ENUM\"}]")));
        refused(Reason.INVALID, "manifest.container.ports[0]", () -> signedPublish(m.replace("18080:8080", "99999:1")));
        refused(Reason.NOT_FOUND, null, () -> apps.publishVersion(admin, P, "nope",
                manifest("nope", "1.0.0", TEMPLATE), sign(manifest("nope", "1.0.0", TEMPLATE))));
        assertEquals(List.of(), apps.versions(admin, P, "web"));
    }

    private void signedPublish(String manifest) {
        apps.publishVersion(admin, P, "web", manifest, sign(manifest));
    }

    @Test
    void aVersionWhoseSignerIsRevokedIsNeverDeployed() {
        publish("1.0.0");
        apps.createDeployment(admin, P, spec("pos", "tier=pos", Map.of("MODE", "fast", "DB_PASSWORD", "pw")));
        releases.revokeSigner(platform, "apps-2026", "key compromise");
        TenancyException e = refused(Reason.INVALID, "signature", () -> apps.createDeployment(admin, P,
                spec("pos-2", "tier=pos", Map.of("MODE", "fast", "DB_PASSWORD", "pw"))));
        assertTrue(e.getMessage().contains("REVOKED_SIGNER"), e.getMessage());
        refused(Reason.INVALID, "signature", () -> apps.updateDeployment(admin, P, "pos",
                new DeploymentSpec(null, null, null, null, Map.of("MODE", "safe", "DB_PASSWORD", Apps.REDACTED), null, null, null)));
        assertEquals(1, apps.deployments(admin, P).size());
    }

    // ---- profiles -----------------------------------------------------------------------------------------

    @Test
    void profileValuesAreCheckedPerFieldAndSecretsAreSealedAndRedacted() throws Exception {
        publish("1.0.0");
        refused(Reason.INVALID, "values.PORT", () -> profile("bad", Map.of("PORT", "eighty")));
        assertTrue(refused(Reason.INVALID, "values.PORT", () -> profile("bad", Map.of("PORT", "80"))).getMessage()
                .contains("at least 1024"));
        refused(Reason.INVALID, "values.DEBUG", () -> profile("bad", Map.of("DEBUG", "yes")));
        refused(Reason.INVALID, "values.MODE", () -> profile("bad", Map.of("MODE", "turbo")));
        refused(Reason.INVALID, "values.GREETING", () -> profile("bad", Map.of("GREETING", "Hello!")));
        refused(Reason.INVALID, "values.COLOUR", () -> profile("bad", Map.of("COLOUR", "red")));
        // several wrong fields: the first is the field, the message names each
        Map<String, String> two = new LinkedHashMap<>();
        two.put("DEBUG", "yes");
        two.put("PORT", "x");
        TenancyException both = refused(Reason.INVALID, "values.DEBUG", () -> profile("bad", two));
        assertTrue(both.getMessage().contains("values.PORT"), both.getMessage());
        assertEquals(List.of(), apps.profiles(admin, P, "web", "1.0.0"));

        Profile store = profile("store", Map.of("MODE", "safe", "DB_PASSWORD", "hunter2-very-secret", "PORT", "9090"));
        assertEquals(Map.of("MODE", "safe", "DB_PASSWORD", Apps.REDACTED, "PORT", "9090"), store.values());
        assertEquals(store.values(), apps.profile(admin, P, "web", "1.0.0", "store").values());
        String stored = t.db.inTransaction(c -> Sql.string(c, "SELECT param_value FROM app_value WHERE param_name = 'DB_PASSWORD'"));
        assertTrue(stored.startsWith("v1:") && !stored.contains("hunter2"), stored);

        // sent back redacted, the secret keeps its value; the other values are replaced
        apps.updateProfile(admin, P, "web", "1.0.0", "store", new ProfileSpec(null, "shops",
                Map.of("MODE", "fast", "DB_PASSWORD", Apps.REDACTED)));
        apps.createDeployment(admin, P, spec("pos", "tier=pos", "store", Map.of()));
        AppServiceImpl.DesiredApp desired = apps.desiredApps(projectId(), hostId("pos-1"), Map.of("tier", "pos")).get(0);
        assertEquals(Map.of("GREETING", "hello", "PORT", "8080", "DEBUG", "false", "MODE", "fast",
                "DB_PASSWORD", "hunter2-very-secret"), desired.values());
        assertEquals(java.util.Set.of("DB_PASSWORD"), desired.secrets());

        // no audit entry holds the secret
        AuditLog.Page page = t.audit.query(admin, new AuditLog.Query(P, null, null, null, null, null, 0, 500));
        assertTrue(page.events().stream().noneMatch(e -> String.valueOf(e.detail()).contains("hunter2")));
        assertTrue(page.events().stream().anyMatch(e -> e.action().equals("app.profile.create")
                && e.detail().contains("DB_PASSWORD")));
    }

    @Test
    void theChannelGivesEachTargetedHostItsAppsAndRecordsWhatItsAgentReports() {
        publish("1.0.0");
        profile("store", Map.of("MODE", "safe", "DB_PASSWORD", "hunter2-very-secret"));
        apps.createDeployment(admin, P, spec("pos", "tier=pos", "store", Map.of("GREETING", "moin")));
        List<org.edgeorch.spi.southbound.DesiredApp> desired = apps.appsFor(projectId(), hostId("pos-1"));
        assertEquals(1, desired.size());
        org.edgeorch.spi.southbound.DesiredApp app = desired.get(0);
        assertEquals("pos", app.deployment());
        assertEquals("hunter2-very-secret", app.values().get("DB_PASSWORD"), "the targeted host gets the secret");
        assertEquals("moin", app.values().get("GREETING"));
        assertEquals(List.of("DB_PASSWORD"), app.secrets());
        assertFalse(app.toString().contains("hunter2"), app.toString());
        assertTrue(app.manifest().contains("\"version\":\"1.0.0\""));
        assertEquals(List.of(), apps.appsFor(projectId(), hostId("office-1")), "an untargeted host gets nothing");

        Apps.DeploymentStatus before = apps.deploymentStatus(admin, P, "pos");
        assertEquals(Apps.DeploymentState.DEPLOYING, before.state());
        assertEquals(Map.of(org.edgeorch.spi.southbound.AppState.PENDING, 2), before.counts());

        long at = System.currentTimeMillis();
        apps.reported(projectId(), hostId("pos-1"), List.of(new org.edgeorch.spi.southbound.AppReport("pos", "1.0.0",
                org.edgeorch.spi.southbound.AppState.RUNNING, null, at), new org.edgeorch.spi.southbound.AppReport("gone",
                "0.1", org.edgeorch.spi.southbound.AppState.REMOVING, null, at)));
        apps.reported(projectId(), hostId("pos-2"), List.of(new org.edgeorch.spi.southbound.AppReport("pos", "1.0.0",
                org.edgeorch.spi.southbound.AppState.FAILED, "cannot pull", at)));
        Apps.DeploymentStatus mixed = apps.deploymentStatus(admin, P, "pos");
        assertEquals(Apps.DeploymentState.DEGRADED, mixed.state());
        assertEquals(List.of("pos-1", "pos-2"), mixed.hosts().stream().map(Apps.HostAppStatus::host).toList());
        assertEquals("cannot pull", mixed.hosts().get(1).reason());

        apps.reported(projectId(), hostId("pos-2"), List.of(new org.edgeorch.spi.southbound.AppReport("pos", "1.0.0",
                org.edgeorch.spi.southbound.AppState.RUNNING, null, at)));
        assertEquals(Apps.DeploymentState.RUNNING, apps.deploymentStatus(admin, P, "pos").state());
        // a host that no longer reports it loses its state
        apps.reported(projectId(), hostId("pos-2"), List.of());
        assertEquals(org.edgeorch.spi.southbound.AppState.PENDING, apps.deploymentStatus(admin, P, "pos").hosts().get(1).state());
        refused(Reason.NOT_FOUND, null, () -> apps.deploymentStatus(t.login("globex-admin"), P, "pos"));
        apps.deleteDeployment(admin, P, "pos");
        assertEquals(0, (int) t.db.inTransaction(c -> Sql.list(c, "SELECT host_id FROM app_host_status", rs -> 1).size()));
    }

    @Test
    void aDeploymentThatFollowsARangeMovesToEachNewerSignedVersionInIt() {
        publish("1.0.0");
        profile("store", Map.of("MODE", "safe", "DB_PASSWORD", "hunter2-very-secret"));
        refused(Reason.INVALID, "versionRange", () -> apps.createDeployment(admin, P, new DeploymentSpec("pos", "web", null,
                "store", Map.of(), TargetKind.SELECTOR, "tier=pos", null, "not a range")));
        refused(Reason.INVALID, "versionRange", () -> apps.createDeployment(admin, P, new DeploymentSpec("pos", "web", null,
                "store", Map.of(), TargetKind.SELECTOR, "tier=pos", null, "^3.0.0")));
        Deployment d = apps.createDeployment(admin, P, new DeploymentSpec("pos", "web", null, "store", Map.of("GREETING",
                "moin"), TargetKind.SELECTOR, "tier=pos", null, "^1.0.0"));
        assertEquals("1.0.0", d.version());
        assertEquals("^1.0.0", d.versionRange());

        publish("1.1.0");
        Deployment moved = apps.deployment(admin, P, "pos");
        assertEquals("1.1.0", moved.version(), "moved on publish, with no one acting");
        assertEquals("store", moved.profile());
        assertEquals("hunter2-very-secret", apps.appsFor(projectId(), hostId("pos-1")).get(0).values().get("DB_PASSWORD"),
                "the profile's values, the secret among them, carried forward");
        assertEquals("moin", apps.appsFor(projectId(), hostId("pos-1")).get(0).values().get("GREETING"));
        publish("2.0.0");
        assertEquals("1.1.0", apps.deployment(admin, P, "pos").version(), "2.0.0 is outside ^1.0.0");
        AuditLog.Page page = t.audit.query(admin, new AuditLog.Query(P, null, null, null, null, null, 0, 500));
        assertTrue(page.events().stream().anyMatch(e -> e.action().equals("deployment.auto-upgrade")
                && e.detail().contains("1.0.0 -> 1.1.0")), page.events().toString());

        // pinned again, it stays; following "*" it takes the newest
        apps.updateDeployment(admin, P, "pos", new DeploymentSpec(null, null, null, null, null, null, null, null, ""));
        publish("1.2.0");
        assertEquals("1.1.0", apps.deployment(admin, P, "pos").version());
        assertNull(apps.deployment(admin, P, "pos").versionRange());
    }

    @Test
    void aHostListedByADeploymentCanBeDeleted() {
        publish("1.0.0");
        apps.createDeployment(admin, P, hostsSpec("office", List.of("office-1", "pos-1")));
        String id = hostId("office-1");
        t.db.inTransaction(c -> {
            Sql.update(c, "DELETE FROM host_label WHERE host_id = ?", id);
            return Sql.update(c, "DELETE FROM host WHERE id = ?", id);
        });
        assertEquals(List.of("pos-1"), apps.deployment(admin, P, "office").hosts());
    }

    @Test
    void aProfileChangeThatWouldLeaveADeploymentWithoutAMandatoryValueIsRefused() {
        publish("1.0.0");
        profile("store", Map.of("MODE", "safe", "DB_PASSWORD", "pw"));
        apps.createDeployment(admin, P, spec("pos", "tier=pos", "store", Map.of()));
        refused(Reason.INVALID, "values.MODE", () -> apps.updateProfile(admin, P, "web", "1.0.0", "store",
                new ProfileSpec(null, null, Map.of("DB_PASSWORD", Apps.REDACTED))));
        assertEquals("safe", apps.profile(admin, P, "web", "1.0.0", "store").values().get("MODE"));
        refused(Reason.CONFLICT, null, () -> apps.deleteProfile(admin, P, "web", "1.0.0", "store"));
        refused(Reason.CONFLICT, null, () -> apps.deleteVersion(admin, P, "web", "1.0.0"));
        refused(Reason.CONFLICT, null, () -> apps.deleteApplication(admin, P, "web"));
    }

    private Profile profile(String name, Map<String, String> values) {
        return apps.createProfile(admin, P, "web", "1.0.0", new ProfileSpec(name, null, values));
    }

    // ---- deployments and targets ----------------------------------------------------------------------

    @Test
    void aSelectorDeploymentTargetsTheMatchingHostsAsTheFleetChanges() {
        publish("1.0.0");
        Deployment d = apps.createDeployment(admin, P, spec("pos", "site=berlin, tier in (pos)",
                Map.of("MODE", "fast", "DB_PASSWORD", "pw")));
        assertEquals(TargetKind.SELECTOR, d.targetKind());
        assertEquals("site=berlin, tier in (pos)", d.selector());
        assertEquals(Map.of("MODE", "fast", "DB_PASSWORD", Apps.REDACTED), d.overrides());
        assertEquals(List.of("pos-1", "pos-2"), targets("pos"));

        fleet.updateHost(admin, P, "pos-2", new HostUpdate(null, Map.of("site", "berlin", "tier", "lab")));
        assertEquals(List.of("pos-1"), targets("pos"));
        fleet.registerHost(admin, P, new HostRegistration("pos-3", "SN-4", null, null, Map.of("site", "berlin", "tier", "pos")));
        assertEquals(List.of("pos-1", "pos-3"), targets("pos"));
        assertEquals(1, apps.desiredApps(projectId(), hostId("pos-3"), Map.of("site", "berlin", "tier", "pos")).size());
        assertEquals(0, apps.desiredApps(projectId(), hostId("pos-2"), Map.of("site", "berlin", "tier", "lab")).size());

        Deployment moved = apps.updateDeployment(admin, P, "pos", new DeploymentSpec(null, null, null, null, null,
                TargetKind.SELECTOR, "tier notin (pos)", null));
        assertEquals("tier notin (pos)", moved.selector());
        assertEquals(List.of("office-1", "pos-2"), targets("pos"));
    }

    @Test
    void aHostListDeploymentTargetsExactlyThoseHosts() {
        publish("1.0.0");
        refused(Reason.INVALID, "hosts[1]", () -> apps.createDeployment(admin, P, hostsSpec("few", List.of("pos-1", "ghost"))));
        Deployment d = apps.createDeployment(admin, P, hostsSpec("few", List.of("office-1", "pos-1")));
        assertEquals(List.of("office-1", "pos-1"), d.hosts());
        assertNull(d.selector());
        assertEquals(List.of("office-1", "pos-1"), targets("few"));
        assertEquals(1, apps.desiredApps(projectId(), hostId("office-1"), Map.of()).size());
        apps.deleteDeployment(admin, P, "few");
        assertEquals(0, apps.desiredApps(projectId(), hostId("office-1"), Map.of()).size());
    }

    @Test
    void badDeploymentsAreRefusedWithTheirFieldAndChangeNothing() {
        publish("1.0.0");
        refused(Reason.INVALID, "selector", () -> apps.createDeployment(admin, P, spec("pos", "site in berlin",
                Map.of("MODE", "fast", "DB_PASSWORD", "pw"))));
        refused(Reason.INVALID, "overrides.MODE", () -> apps.createDeployment(admin, P, spec("pos", "tier=pos",
                Map.of("DB_PASSWORD", "pw"))));
        refused(Reason.INVALID, "overrides.PORT", () -> apps.createDeployment(admin, P, spec("pos", "tier=pos",
                Map.of("MODE", "fast", "DB_PASSWORD", "pw", "PORT", "70000"))));
        refused(Reason.INVALID, "targetKind", () -> apps.createDeployment(admin, P, new DeploymentSpec("pos", "web", "1.0.0",
                null, Map.of("MODE", "fast", "DB_PASSWORD", "pw"), null, "tier=pos", null)));
        refused(Reason.INVALID, "hosts", () -> apps.createDeployment(admin, P, new DeploymentSpec("pos", "web", "1.0.0",
                null, Map.of("MODE", "fast", "DB_PASSWORD", "pw"), TargetKind.HOSTS, null, List.of())));
        refused(Reason.INVALID, "name", () -> apps.createDeployment(admin, P, spec("Bad Name", "tier=pos", Map.of())));
        refused(Reason.NOT_FOUND, null, () -> apps.createDeployment(admin, P, new DeploymentSpec("pos", "web", "9.9.9",
                null, Map.of(), TargetKind.SELECTOR, "tier=pos", null)));
        refused(Reason.NOT_FOUND, null, () -> apps.createDeployment(admin, P, spec("pos", "tier=pos", "nope", Map.of())));
        assertEquals(List.of(), apps.deployments(admin, P));
    }

    // ---- access ---------------------------------------------------------------------------------------------

    @Test
    void rolesDecideWhoChangesWhatAndOtherTenantsSeeNothing() {
        publish("1.0.0");
        Caller viewer = t.member("acme", P, "vic", Role.VIEWER);
        Caller operator = t.member("acme", P, "otto", Role.EDGE_OPERATOR);
        Caller stranger = t.login("globex-admin");

        assertEquals(1, apps.applications(viewer, P).size());
        refused(Reason.FORBIDDEN, null, () -> apps.createApplication(viewer, P, "db", null));
        refused(Reason.FORBIDDEN, null, () -> apps.createApplication(operator, P, "db", null));
        refused(Reason.FORBIDDEN, null, () -> apps.createDeployment(viewer, P, spec("pos", "tier=pos",
                Map.of("MODE", "fast", "DB_PASSWORD", "pw"))));
        apps.createDeployment(operator, P, spec("pos", "tier=pos", Map.of("MODE", "fast", "DB_PASSWORD", "pw")));

        // another tenant: NOT_FOUND whatever it sends, even nonsense
        refused(Reason.NOT_FOUND, null, () -> apps.applications(stranger, P));
        refused(Reason.NOT_FOUND, null, () -> apps.deployment(stranger, P, "pos"));
        refused(Reason.NOT_FOUND, null, () -> apps.createDeployment(stranger, P, null));
        refused(Reason.NOT_FOUND, null, () -> apps.publishVersion(stranger, P, "web", "{", null));
        refused(Reason.NOT_FOUND, null, () -> apps.targets(stranger, P, "pos"));
        assertEquals(List.of(), apps.applications(stranger, "globex-p1"));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private List<String> targets(String deployment) {
        return apps.targets(admin, P, deployment).stream().map(TargetHost::host).toList();
    }

    private static DeploymentSpec spec(String name, String selector, Map<String, String> overrides) {
        return spec(name, selector, null, overrides);
    }

    private static DeploymentSpec spec(String name, String selector, String profile, Map<String, String> overrides) {
        return new DeploymentSpec(name, "web", "1.0.0", profile, overrides, TargetKind.SELECTOR, selector, null);
    }

    private static DeploymentSpec hostsSpec(String name, List<String> hosts) {
        return new DeploymentSpec(name, "web", "1.0.0", null, Map.of("MODE", "fast", "DB_PASSWORD", "pw"),
                TargetKind.HOSTS, null, hosts);
    }

    private String projectId() {
        return t.tenancy.project(admin, P).id();
    }

    private String hostId(String host) {
        return t.db.inTransaction(c -> Sql.string(c, "SELECT id FROM host WHERE name = ?", host));
    }

    static ReleaseConfig releaseConfig(Path cache) {
        return (ReleaseConfig) Proxy.newProxyInstance(ReleaseConfig.class.getClassLoader(), new Class<?>[] {ReleaseConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> ReleaseConfig.class;
                    case "cacheDir" -> cache.toString();
                    default -> method.getDefaultValue();
                });
    }
}
