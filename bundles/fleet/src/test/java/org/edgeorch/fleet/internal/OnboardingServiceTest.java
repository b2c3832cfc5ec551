package org.edgeorch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.fleet.Onboarding.IssuedToken;
import org.edgeorch.fleet.SouthboundException;
import org.edgeorch.fleet.SouthboundService.HostIdentity;
import org.edgeorch.fleet.SouthboundService.SyncResult;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.southbound.AgentStatus;
import org.edgeorch.spi.southbound.EnrolRequest;
import org.edgeorch.spi.southbound.EnrolResponse;
import org.edgeorch.spi.southbound.RenewRequest;
import org.edgeorch.spi.southbound.Report;
import org.edgeorch.spi.southbound.SyncRequest;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnboardingServiceTest {

    private static final String UUID_1 = "0b6c5a8e-9a43-4b0e-9a57-1f0c3c8a1001";
    private static final String UUID_2 = "0b6c5a8e-9a43-4b0e-9a57-1f0c3c8a1002";

    @TempDir
    Path dir;

    TenancyFixture t;
    FleetServiceImpl fleet;
    OnboardingServiceImpl onboarding;
    Caller admin;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        t.organizationWithProject("globex");
        fleet = new FleetServiceImpl(t.db, t.tenancy, t.audit, t.clock);
        onboarding = service();
        admin = t.login("acme-admin");
        fleet.createRegion(admin, "acme-p1", "eu", null, Map.of("tier", "gold"));
        fleet.createSite(admin, "acme-p1", "paris", "eu", null, null, null, Map.of("city", "paris"));
    }

    private OnboardingServiceImpl service() {
        return new OnboardingServiceImpl(t.db, t.tenancy, t.audit, fleet, t.clock, 30, Duration.ofDays(30),
                Duration.ofDays(3650), null);
    }

    private static String csr(KeyPair key) throws Exception {
        return HostCertificateAuthority.pem(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=node"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private static X509Certificate cert(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private EnrolResponse enrol(String token, String serial, String uuid, String hostname) throws Exception {
        return onboarding.enrol(new EnrolRequest(token, serial, uuid, hostname, csr(HostCertificateAuthority.newKeyPair())), "10.0.0.1");
    }

    private static SyncRequest sync(HardwareInventory inventory, Report... reports) {
        return new SyncRequest(AgentStatus.RUNNING, null, "0.1.0", null, inventory, List.of(reports));
    }

    @Test
    void aTokenOnboardsANewHostIntoItsSiteAndSyncsBindToThatHost() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "batch-1", "paris", Duration.ofHours(1), 2);
        assertTrue(token.secret().startsWith("eoe_"));
        EnrolResponse r = enrol(token.secret(), "SN-9", null, "Edge_Box.local");
        assertEquals("acme-p1", r.project());
        assertEquals("edge-box-local", r.host());
        X509Certificate cert = cert(r.certificate());
        cert.verify(cert(r.caCertificate()).getPublicKey());
        assertEquals(new X500Principal("CN=edge-box-local, O=acme-p1"), cert.getSubjectX500Principal());

        var host = fleet.host(admin, "acme-p1", "edge-box-local");
        assertEquals(HostStatus.ONBOARDED, host.status());
        assertEquals("paris", host.site());
        assertEquals(Map.of("tier", "gold", "city", "paris"), host.effectiveMetadata());
        assertEquals(1, onboarding.enrolmentTokens(admin, "acme-p1").get(0).uses());

        HostIdentity id = onboarding.authenticate(cert, "10.0.0.1");
        assertEquals("edge-box-local", id.hostName());
        SyncResult first = onboarding.sync(id, sync(inventory("SN-9", 2)));
        assertEquals(Map.of("tier", "gold", "city", "paris"), first.desired().metadata());
        assertEquals(30, first.desired().syncIntervalSeconds());
        var running = fleet.host(admin, "acme-p1", "edge-box-local");
        assertEquals(HostStatus.RUNNING, running.status());
        assertEquals("0.1.0", running.agentVersion());
        assertEquals(t.clock.instant(), running.onboardedAt());
        // nothing changed: same ETag, same inventory digest
        SyncResult again = onboarding.sync(id, sync(null));
        assertEquals(first.etag(), again.etag());
        assertEquals(first.inventorySha256(), again.inventorySha256());
        // metadata changes the desired state
        fleet.registerHost(admin, "acme-p1", new HostRegistration("other", "SN-10", null, null, Map.of()));
        t.clock.advance(Duration.ofSeconds(1));
        assertEquals(first.etag(), onboarding.sync(id, sync(null)).etag());
    }

    @Test
    void theProjectsTelemetryIntervalIsInTheDesiredStateAndAChangeIsANewEtag() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "batch-t", "paris", Duration.ofHours(1), 1);
        HostIdentity id = onboarding.authenticate(cert(enrol(token.secret(), "SN-T", null, "t1").certificate()), null);
        SyncResult without = onboarding.sync(id, sync(null));
        assertEquals(0, without.desired().telemetryIntervalSeconds(), "no observability: no telemetry asked for");
        java.util.concurrent.atomic.AtomicInteger interval = new java.util.concurrent.atomic.AtomicInteger(30);
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        onboarding.setTelemetryChannel(projectId -> {
            asked.add(projectId);
            return interval.get();
        });
        SyncResult thirty = onboarding.sync(id, sync(null));
        assertEquals(30, thirty.desired().telemetryIntervalSeconds());
        assertEquals(List.of(id.projectId()), asked);
        assertTrue(!thirty.etag().equals(without.etag()));
        interval.set(120);
        SyncResult changed = onboarding.sync(id, sync(null));
        assertEquals(120, changed.desired().telemetryIntervalSeconds());
        assertTrue(!changed.etag().equals(thirty.etag()), "the node gets the new interval instead of a 304");
        assertEquals(changed.etag(), onboarding.sync(id, sync(null)).etag());
    }

    @Test
    void inventoryChangesAreRecordedSectionBySection() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        HostIdentity id = onboarding.authenticate(cert(enrol(token.secret(), "SN-1", UUID_1, "h1").certificate()), null);
        onboarding.sync(id, sync(inventory("SN-1", 1)));
        SyncResult changed = onboarding.sync(id, sync(inventory("SN-1", 2)));
        onboarding.sync(id, sync(inventory("SN-1", 2)));

        var changes = onboarding.inventoryChanges(admin, "acme-p1", "h1", 0, 10);
        assertEquals(2, changes.size(), changes.toString());
        assertEquals(List.of("disks"), changes.get(0).sections());
        assertTrue(changes.get(0).summary().contains("+sdb"), changes.get(0).summary());
        assertEquals("first inventory", changes.get(1).summary());
        var stored = onboarding.inventory(admin, "acme-p1", "h1");
        assertEquals(inventory("SN-1", 2), stored.inventory());
        assertEquals(changed.inventorySha256(), stored.sha256());
        // another organisation cannot read it, nor learn that the project exists
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> onboarding.inventory(t.login("globex-admin"), "acme-p1", "h1")).reason());
    }

    @Test
    void reportsAreStoredOnceAndAcknowledged() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        HostIdentity id = onboarding.authenticate(cert(enrol(token.secret(), "SN-1", null, "h1").certificate()), null);
        Report a = new Report(1, 1_000, "STATUS", "started");
        Report b = new Report(2, 2_000, "ERROR", "disk full");
        assertEquals(2, onboarding.sync(id, sync(null, b, a)).ackedSequence());
        // the answer was lost: the agent sends both again, plus a third
        assertEquals(3, onboarding.sync(id, sync(null, a, b, new Report(3, 3_000, "STATUS", "ok"))).ackedSequence());
        assertEquals(List.of(3L, 2L, 1L), onboarding.reports(admin, "acme-p1", "h1", 0, 10).stream().map(r -> r.sequence()).toList());
        assertEquals(400, assertThrows(SouthboundException.class,
                () -> onboarding.sync(id, sync(null, new Report(4, 0, "bad kind", null)))).status());
    }

    @Test
    void autoOnboardMatchesAPreRegistrationOnceAndOnlyWithIt() throws Exception {
        fleet.registerHost(admin, "acme-p1", new HostRegistration("pre", null, UUID_1, "paris", Map.of(), true));
        fleet.registerHost(admin, "acme-p1", new HostRegistration("manual", "SN-M", null, null, Map.of(), false));
        assertTrue(fleet.host(admin, "acme-p1", "pre").autoOnboard());
        assertEquals(false, fleet.host(admin, "acme-p1", "manual").autoOnboard());
        EnrolResponse r = enrol(null, null, UUID_1.toUpperCase(), "whatever");
        assertEquals("pre", r.host());
        assertEquals(HostStatus.ONBOARDED, fleet.host(admin, "acme-p1", "pre").status());
        assertEquals("ALREADY_ONBOARDED", assertThrows(SouthboundException.class, () -> enrol(null, null, UUID_1, "x")).code());
        assertEquals("NOT_REGISTERED", assertThrows(SouthboundException.class, () -> enrol(null, "SN-M", null, "x")).code());
        assertEquals(400, assertThrows(SouthboundException.class, () -> enrol(null, null, null, "x")).status());
    }

    @Test
    void anotherTenantsClaimOnASerialNeitherCapturesNorBlocksATokenEnrolment() throws Exception {
        // globex pre-registers acme's serial with auto-onboard, acme has registered it too
        Caller globex = t.login("globex-admin");
        fleet.registerHost(globex, "globex-p1", new HostRegistration("squat", "SN-V", null, null, Map.of(), true));
        fleet.registerHost(admin, "acme-p1", new HostRegistration("victim", "SN-V", null, null, Map.of(), true));
        // without a token nobody can tell whose node it is: refused, and both tenants' admins see it in their audit
        assertEquals("AMBIGUOUS", assertThrows(SouthboundException.class, () -> enrol(null, "SN-V", null, "box")).code());
        for (Caller who : List.of(admin, globex)) {
            List<AuditLog.Event> seen = t.audit.query(who, new AuditLog.Query(null, null, "host.auto-onboard",
                    AuditLog.Outcome.DENIED, null, null, 0, 50)).events();
            assertEquals(1, seen.size(), "the claimant's own audit tells it");
            assertTrue(seen.get(0).detail().contains("1 other organisation"), seen.get(0).detail());
            assertFalse(seen.get(0).detail().contains("acme") || seen.get(0).detail().contains("globex")
                    || seen.get(0).detail().contains("squat") || seen.get(0).detail().contains("victim"), seen.get(0).detail());
        }
        // with acme's token the token's project alone decides: globex's claim never matches
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        assertEquals("victim", enrol(token.secret(), "SN-V", null, "box").host());
        assertEquals(HostStatus.ONBOARDED, fleet.host(admin, "acme-p1", "victim").status());
        assertEquals(HostStatus.REGISTERED, fleet.host(globex, "globex-p1", "squat").status());
    }

    @Test
    void enrolmentFillsTheIdentityThePreRegistrationLacked() throws Exception {
        fleet.registerHost(admin, "acme-p1", new HostRegistration("by-serial", "SN-77", null, null, Map.of(), true));
        fleet.registerHost(admin, "acme-p1", new HostRegistration("by-uuid", null, UUID_1, null, Map.of(), false));
        assertEquals("by-serial", enrol(null, "SN-77", UUID_2, "box").host());
        assertEquals(UUID_2, fleet.host(admin, "acme-p1", "by-serial").uuid());
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        assertEquals("by-uuid", enrol(token.secret(), "SN-78", UUID_1, "box").host());
        assertEquals("SN-78", fleet.host(admin, "acme-p1", "by-uuid").serialNumber());
    }

    @Test
    void tokensRefuseWhenUnknownRevokedExpiredOrUsedUp() throws Exception {
        IssuedToken once = onboarding.createEnrolmentToken(admin, "acme-p1", "once", null, Duration.ofHours(1), 1);
        enrol(once.secret(), "SN-1", null, "a");
        assertEquals("TOKEN_USED_UP", assertThrows(SouthboundException.class, () -> enrol(once.secret(), "SN-2", null, "b")).code());
        assertEquals("TOKEN_UNKNOWN", assertThrows(SouthboundException.class, () -> enrol("eoe_nope", "SN-2", null, "b")).code());
        IssuedToken revoked = onboarding.createEnrolmentToken(admin, "acme-p1", "revoked", null, Duration.ofHours(1), null);
        onboarding.revokeEnrolmentToken(admin, "acme-p1", "revoked");
        assertEquals("TOKEN_REVOKED", assertThrows(SouthboundException.class, () -> enrol(revoked.secret(), "SN-2", null, "b")).code());
        IssuedToken expiring = onboarding.createEnrolmentToken(admin, "acme-p1", "expiring", null, Duration.ofMinutes(5), null);
        t.clock.advance(Duration.ofMinutes(6));
        assertEquals("TOKEN_EXPIRED", assertThrows(SouthboundException.class, () -> enrol(expiring.secret(), "SN-2", null, "b")).code());
        // a bad CSR changes nothing that matters, and is refused clearly
        IssuedToken good = onboarding.createEnrolmentToken(admin, "acme-p1", "good", null, Duration.ofHours(1), null);
        assertEquals("INVALID_CSR", assertThrows(SouthboundException.class,
                () -> onboarding.enrol(new EnrolRequest(good.secret(), "SN-3", null, "c", "junk"), null)).code());
        // refusals are audited
        assertTrue(t.audit.query(t.admin(), new AuditLog.Query(null, "node", "host.enrol", AuditLog.Outcome.DENIED, null, null, 0, 50))
                .total() >= 4);
        // token management needs HOST_REGISTER and a valid request
        Caller viewer = t.member("acme", "acme-p1", "viewer", Role.VIEWER);
        assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                () -> onboarding.createEnrolmentToken(viewer, "acme-p1", "x", null, Duration.ofHours(1), null)).reason());
        assertEquals(Reason.INVALID, assertThrows(TenancyException.class,
                () -> onboarding.createEnrolmentToken(admin, "acme-p1", "x", null, Duration.ofDays(400), null)).reason());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> onboarding.createEnrolmentToken(admin, "acme-p1", "good", null, Duration.ofHours(1), null)).reason());
    }

    @Test
    void invalidatingOrDeletingAHostRevokesItsCertificatesAtOnce() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        X509Certificate a = cert(enrol(token.secret(), "SN-1", null, "a").certificate());
        X509Certificate b = cert(enrol(token.secret(), "SN-2", null, "b").certificate());
        HostIdentity idA = onboarding.authenticate(a, null);
        X509Certificate a2 = cert(onboarding.renew(idA, new RenewRequest(csr(HostCertificateAuthority.newKeyPair())), null).certificate());
        assertEquals("a", onboarding.authenticate(a2, null).hostName());

        onboarding.invalidateHost(admin, "acme-p1", "a", "stolen");
        assertEquals(HostStatus.INVALIDATED, fleet.host(admin, "acme-p1", "a").status());
        for (X509Certificate c : List.of(a, a2)) {
            SouthboundException e = assertThrows(SouthboundException.class, () -> onboarding.authenticate(c, null));
            assertEquals(403, e.status());
            assertEquals("HOST_INVALIDATED", e.code());
        }
        assertTrue(onboarding.certificates(admin, "acme-p1", "a").stream().allMatch(c -> "INVALIDATED".equals(c.revocationReason())));
        // re-enrolling an invalidated host is refused
        assertEquals("HOST_INVALIDATED", assertThrows(SouthboundException.class, () -> enrol(token.secret(), "SN-1", null, "a")).code());

        onboarding.deleteHost(admin, "acme-p1", "b");
        assertEquals("HOST_DELETED", assertThrows(SouthboundException.class, () -> onboarding.authenticate(b, null)).code());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class, () -> fleet.host(admin, "acme-p1", "b")).reason());
        // another organisation can neither invalidate nor delete
        Caller globex = t.login("globex-admin");
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> onboarding.deleteHost(globex, "acme-p1", "a")).reason());
        // a certificate from another authority is refused
        HostCertificateAuthority stranger = HostCertificateAuthority.createRoot("stranger", Duration.ofDays(1));
        X509Certificate forged = stranger.signHost(csr(HostCertificateAuthority.newKeyPair()), "acme-p1", "a", Duration.ofDays(1));
        assertEquals("CERTIFICATE_UNKNOWN", assertThrows(SouthboundException.class, () -> onboarding.authenticate(forged, null)).code());
    }

    @Test
    void silentHostsGoNoConnectionAfterThreeIntervalsAndComeBackBySyncing() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        HostIdentity id = onboarding.authenticate(cert(enrol(token.secret(), "SN-1", null, "h").certificate()), null);
        onboarding.sync(id, sync(null));
        t.clock.advance(Duration.ofSeconds(89));
        assertEquals(0, onboarding.markSilentHosts());
        t.clock.advance(Duration.ofSeconds(2));
        assertEquals(1, onboarding.markSilentHosts());
        var host = fleet.host(admin, "acme-p1", "h");
        assertEquals(HostStatus.NO_CONNECTION, host.status());
        assertEquals(t.clock.instant(), host.statusChangedAt());
        onboarding.sync(id, new SyncRequest(AgentStatus.ERROR, "disk failing", null, null, null, List.of()));
        host = fleet.host(admin, "acme-p1", "h");
        assertEquals(HostStatus.ERROR, host.status());
        assertEquals("disk failing", host.statusReason());
    }

    @Test
    void everyStatusChangeIsAnEventInTheProjectsJournalWithWhatItWas() throws Exception {
        org.edgeorch.store.event.EventJournal journal = new org.edgeorch.store.event.EventJournal(t.clock);
        fleet.setEvents(journal);
        onboarding.setEvents(journal);
        fleet.registerHost(admin, "acme-p1", new org.edgeorch.fleet.Fleet.HostRegistration("pre", "SN-2", null, null, Map.of(), true));
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        HostIdentity id = onboarding.authenticate(cert(enrol(token.secret(), "SN-1", null, "h").certificate()), null);
        onboarding.sync(id, sync(null));
        t.clock.advance(Duration.ofSeconds(91));
        assertEquals(1, onboarding.markSilentHosts());
        onboarding.sync(id, new SyncRequest(AgentStatus.ERROR, "disk failing", null, null, null, List.of()));
        onboarding.invalidateHost(admin, "acme-p1", "h", null);
        onboarding.deleteHost(admin, "acme-p1", "pre");
        List<String> got = t.db.inTransaction(c -> org.edgeorch.store.Sql.list(c, "SELECT type, subject, status, previous"
                + " FROM event_log WHERE project_id = ? ORDER BY id", rs -> rs.getString(1) + " " + rs.getString(2) + " "
                + rs.getString(3) + " " + rs.getString(4), t.tenancy.project(admin, "acme-p1").id()));
        assertEquals(List.of("HOST_REGISTERED pre REGISTERED null", "HOST_ONBOARDED h ONBOARDED REGISTERED",
                "HOST_STATUS_CHANGED h RUNNING ONBOARDED", "HOST_STATUS_CHANGED h NO_CONNECTION RUNNING",
                "HOST_STATUS_CHANGED h ERROR NO_CONNECTION", "HOST_STATUS_CHANGED h INVALIDATED ERROR",
                "HOST_DELETED pre DELETED null"), got);
    }

    @Test
    void aSyncThatOnlySaysAliveIsWrittenInTheNextBatchAndStillKeepsTheHostConnected() throws Exception {
        IssuedToken token = onboarding.createEnrolmentToken(admin, "acme-p1", "t", null, Duration.ofHours(1), null);
        X509Certificate cert = cert(enrol(token.secret(), "SN-1", null, "h").certificate());
        onboarding.sync(onboarding.authenticate(cert, null), sync(null));
        var first = fleet.host(admin, "acme-p1", "h").lastSeenAt();
        t.clock.advance(Duration.ofSeconds(60));
        onboarding.sync(onboarding.authenticate(cert, null), sync(null));
        assertEquals(first, fleet.host(admin, "acme-p1", "h").lastSeenAt(), "not written yet");
        assertEquals(1, onboarding.flushHeartbeats());
        assertEquals(t.clock.instant(), fleet.host(admin, "acme-p1", "h").lastSeenAt());
        // the liveness check flushes first, so a pending heartbeat never counts as silence
        t.clock.advance(Duration.ofSeconds(60));
        onboarding.sync(onboarding.authenticate(cert, null), sync(null));
        t.clock.advance(Duration.ofSeconds(89));
        assertEquals(0, onboarding.markSilentHosts());
        assertEquals(HostStatus.RUNNING, fleet.host(admin, "acme-p1", "h").status());
    }

    @Test
    void theAuthorityIsKeptInTheDatabaseForEveryOrchestrator() {
        String fingerprint = onboarding.certificateAuthority().sha256Fingerprint();
        assertEquals(fingerprint, service().certificateAuthority().sha256Fingerprint());
        assertEquals(64, fingerprint.length());
    }

    static HardwareInventory inventory(String serial, int disks) {
        List<HardwareInventory.Disk> list = new java.util.ArrayList<>();
        for (int i = 0; i < disks; i++) {
            list.add(new HardwareInventory.Disk("sd" + (char) ('a' + i), 1L << 40, false, false, "SSD", "D" + i));
        }
        return new HardwareInventory(new HardwareInventory.SystemInfo("Dell", "XR11", serial, null, "1.0", "h"),
                new HardwareInventory.Cpu("Xeon", "x86_64", 1, 8, 16), new HardwareInventory.Memory(1L << 34, 0),
                list, List.of(new HardwareInventory.Nic("eth0", "02:00:00:00:00:01", 1500, 1000L, "up")));
    }
}
