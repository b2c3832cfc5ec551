package org.edgeorch.scheduling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.internal.FleetServiceImpl;
import org.edgeorch.release.Releases.ProfileMode;
import org.edgeorch.release.Releases.ProfileSpec;
import org.edgeorch.release.internal.ReleaseConfig;
import org.edgeorch.release.internal.ReleaseServiceImpl;
import org.edgeorch.scheduling.DesiredVersion;
import org.edgeorch.windows.Interval;
import org.edgeorch.scheduling.Schedules.EffectiveWindow;
import org.edgeorch.scheduling.Schedules.HostSchedule;
import org.edgeorch.scheduling.Schedules.Policy;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.scheduling.Schedules.PolicySpec;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.scheduling.Schedules.Window;
import org.edgeorch.scheduling.Schedules.WindowDefinition;
import org.edgeorch.scheduling.Schedules.WindowKind;
import org.edgeorch.scheduling.Schedules.WindowUpdate;
import org.edgeorch.spi.southbound.WindowSpec;
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
 * Windows and policies on a real fleet and release service on Derby: regions eu > fr and eu > de, sites paris (fr)
 * and berlin (de), hosts h1 (paris), h2 (berlin) and h3 (no site), clusters db [h1] and web [h1, h2]; the schedule's
 * clock is set by each test.
 */
class ScheduleServiceTest {

    private static final String P = "acme-p1";

    @TempDir
    Path dir;

    TenancyFixture t;
    FleetServiceImpl fleet;
    ReleaseServiceImpl releases;
    ScheduleServiceImpl schedules;
    SettableClock clock = new SettableClock(Instant.parse("2026-06-01T12:00:00Z"));
    Caller admin;
    String projectId;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        t.organizationWithProject("globex");
        admin = t.login("acme-admin");
        projectId = t.tenancy.project(admin, P).id();
        fleet = new FleetServiceImpl(t.db, t.tenancy, t.audit);
        releases = new ReleaseServiceImpl(t.db, t.tenancy, t.audit, releaseConfig(dir.resolve("cache")));
        schedules = new ScheduleServiceImpl(t.db, t.tenancy, t.audit, releases, releases, clock);

        fleet.createRegion(admin, P, "eu", null, Map.of());
        fleet.createRegion(admin, P, "fr", "eu", Map.of());
        fleet.createRegion(admin, P, "de", "eu", Map.of());
        fleet.createSite(admin, P, "paris", "fr", null, null, null, Map.of());
        fleet.createSite(admin, P, "berlin", "de", null, null, null, Map.of());
        fleet.registerHost(admin, P, new HostRegistration("h1", "SN-1", null, "paris", Map.of()));
        fleet.registerHost(admin, P, new HostRegistration("h2", "SN-2", null, "berlin", Map.of()));
        fleet.registerHost(admin, P, new HostRegistration("h3", "SN-3", null, null, Map.of()));
        fleet.createCluster(admin, P, "db", "postgres", List.of("h1"), Map.of());
        fleet.createCluster(admin, P, "web", "nginx", List.of("h1", "h2"), Map.of());

        releases.createProfile(admin, P, "stable", new ProfileSpec("edge-os", "*", ProfileMode.MANUAL, null, null));
        release("1.0.0");
        release("1.1.0");
        releases.importRelease(admin, P, "stable", "1.0.0");
        releases.importRelease(admin, P, "stable", "1.1.0");
    }

    // ---- inheritance ------------------------------------------------------------------------------

    @Test
    void aHostGetsItsOwnItsSitesEveryRegionUpTheChainAndItsClustersWindows() {
        repeated("eu-nightly", Target.region("eu"), "0 2 * * *", "Europe/Paris", "PT2H");
        repeated("fr-weekend", Target.region("fr"), "0 0 * * 6,0", "Europe/Paris", "PT6H");
        single("paris-maint", Target.site("paris"), "2026-07-01T00:00:00Z", "2026-07-01T04:00:00Z");
        repeated("h1-own", Target.host("h1"), "*/30 1-3 * * 1-5", "UTC", "PT10M");
        repeated("db-monthly", Target.cluster("db"), "0 4 1 * *", "UTC", "PT1H");
        repeated("web-sunday", Target.cluster("web"), "0 5 * * 0", "UTC", "PT1H");
        // not h1's
        repeated("de-nightly", Target.region("de"), "0 3 * * *", "Europe/Berlin", "PT1H");
        repeated("berlin-maint", Target.site("berlin"), "0 1 * * *", "Europe/Berlin", "PT1H");
        repeated("h2-own", Target.host("h2"), "0 1 * * *", "UTC", "PT1H");

        HostSchedule h1 = schedules.hostSchedule(admin, P, "h1");
        assertEquals(List.of("h1-own", "paris-maint", "fr-weekend", "eu-nightly", "db-monthly", "web-sunday"), names(h1));
        assertEquals(List.of("host h1", "site paris (the host's site)", "region fr (site paris > region fr)",
                "region eu (site paris > region fr > region eu)", "cluster db (the host is a member)",
                "cluster web (the host is a member)"), h1.windows().stream().map(EffectiveWindow::source).toList());

        assertEquals(List.of("h2-own", "berlin-maint", "de-nightly", "eu-nightly", "web-sunday"),
                names(schedules.hostSchedule(admin, P, "h2")));
        assertEquals(List.of(), names(schedules.hostSchedule(admin, P, "h3")));

        // the system's view: the same windows, and as the node receives them
        assertEquals(6, schedules.windows(hostId("h1")).size());
        List<WindowSpec> specs = schedules.windowSpecs(hostId("h1"));
        assertEquals(new WindowSpec("paris-maint", "2026-07-01T00:00:00Z", "2026-07-01T04:00:00Z", null, null, null),
                specs.get(1));
        assertEquals(new WindowSpec("eu-nightly", null, null, "0 2 * * *", "Europe/Paris", "PT2H"), specs.get(3));
        assertEquals(List.of(), schedules.windows(UUID.randomUUID().toString()));

        // inheritance follows the fleet as it is now: paris moves from fr to de
        fleet.updateSite(admin, P, "paris", new Fleet.SiteUpdate("de", null, null, null, null));
        assertEquals(List.of("h1-own", "paris-maint", "de-nightly", "eu-nightly", "db-monthly", "web-sunday"),
                names(schedules.hostSchedule(admin, P, "h1")));
    }

    @Test
    void windowsListByTargetTypeAndTarget() {
        repeated("eu-nightly", Target.region("eu"), "0 2 * * *", "Europe/Paris", "PT2H");
        repeated("fr-weekend", Target.region("fr"), "0 0 * * 6,0", "Europe/Paris", "PT6H");
        repeated("h1-own", Target.host("h1"), "0 1 * * *", "UTC", "PT1H");

        assertEquals(List.of("eu-nightly", "fr-weekend", "h1-own"), windowNames(schedules.windows(admin, P, null, null)));
        assertEquals(List.of("eu-nightly", "fr-weekend"), windowNames(schedules.windows(admin, P, TargetType.REGION, null)));
        assertEquals(List.of("fr-weekend"), windowNames(schedules.windows(admin, P, TargetType.REGION, "fr")));
        assertEquals(List.of(), windowNames(schedules.windows(admin, P, TargetType.SITE, "paris")));
        Window shown = schedules.window(admin, P, "fr-weekend");
        assertEquals(Target.region("fr"), shown.target());
        assertEquals(WindowKind.REPEATED, shown.kind());
        assertEquals("PT6H", shown.duration());
        assertEquals(clock.instant(), shown.createdAt());
        assertEquals(Reason.NOT_FOUND, refusal(() -> schedules.windows(admin, P, TargetType.SITE, "nowhere")).reason());
        assertEquals("targetType", refusal(() -> schedules.windows(admin, P, null, "fr")).field());
    }

    // ---- when: now, next, across daylight-saving changes and month ends -------------------------------

    @Test
    void aHostKnowsWhetherItIsInsideAWindowAndWhichOne() {
        repeated("h1-night", Target.host("h1"), "0 22 * * *", "UTC", "PT2H");
        single("paris-once", Target.site("paris"), "2026-06-01T23:00:00Z", null);

        clock.set("2026-06-01T12:00:00Z");
        HostSchedule before = schedules.hostSchedule(admin, P, "h1");
        assertFalse(before.inWindow());
        assertEquals(List.of(), before.openWindows());
        assertEquals(Instant.parse("2026-06-01T22:00:00Z"), before.nextOpening());
        assertEquals("h1-night", before.window());
        assertEquals(new Interval(Instant.parse("2026-06-01T22:00:00Z"), Instant.parse("2026-06-02T00:00:00Z")),
                before.currentOrNext());

        clock.set("2026-06-01T23:30:00Z");
        HostSchedule inside = schedules.hostSchedule(admin, P, "h1");
        assertTrue(inside.inWindow());
        assertEquals(List.of("h1-night", "paris-once"), inside.openWindows());
        assertEquals(clock.instant(), inside.nextOpening());
        // the open-ended one stays open longest
        assertEquals("paris-once", inside.window());
        assertNull(inside.currentOrNext().end());
        assertTrue(inside.windows().get(0).open());
    }

    @Test
    void theNextOpeningFollowsDaylightSavingChangesThroughAnInheritedWindow() {
        repeated("eu-night", Target.region("eu"), "30 2 * * *", "Europe/Berlin", "PT1H");

        // 29 March 2026: Berlin jumps from 02:00 to 03:00 (01:00 UTC); 02:30 does not exist and opens at 03:00 CEST
        clock.set("2026-03-28T23:00:00Z");
        HostSchedule spring = schedules.hostSchedule(admin, P, "h1");
        assertFalse(spring.inWindow());
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), spring.nextOpening());
        assertEquals("region eu (site paris > region fr > region eu)", spring.windows().get(0).source());
        clock.set("2026-03-29T01:30:00Z");
        assertTrue(schedules.hostSchedule(admin, P, "h1").inWindow());
        clock.set("2026-03-29T02:00:00Z");
        HostSchedule after = schedules.hostSchedule(admin, P, "h1");
        assertFalse(after.inWindow());
        assertEquals(Instant.parse("2026-03-30T00:30:00Z"), after.nextOpening()); // 02:30 CEST

        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice and opens once, the first time
        clock.set("2026-10-25T00:00:00Z");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), schedules.hostSchedule(admin, P, "h1").nextOpening());
        clock.set("2026-10-25T01:45:00Z"); // 02:45 CET, the second pass
        HostSchedule fallBack = schedules.hostSchedule(admin, P, "h1");
        assertFalse(fallBack.inWindow());
        assertEquals(Instant.parse("2026-10-26T01:30:00Z"), fallBack.nextOpening()); // 02:30 CET
    }

    @Test
    void theNextOpeningSkipsMonthsWithoutTheDayAcrossAHostsWindows() {
        repeated("month-end", Target.site("paris"), "0 22 31 * *", "America/New_York", "PT2H");
        single("db-migration", Target.cluster("db"), "2026-06-15T00:00:00Z", "2026-06-15T06:00:00Z");
        repeated("leap-day", Target.host("h1"), "0 3 29 2 *", "UTC", "PT1H");

        clock.set("2026-04-30T12:00:00Z"); // April has no 31st: May 31, 22:00 EDT is next
        HostSchedule april = schedules.hostSchedule(admin, P, "h1");
        assertEquals(Instant.parse("2026-06-01T02:00:00Z"), april.nextOpening());
        assertEquals("month-end", april.window());
        assertEquals(Instant.parse("2028-02-29T03:00:00Z"), april.windows().get(0).currentOrNext().start());

        clock.set("2026-06-01T04:00:00Z"); // June has no 31st either: the cluster's single window comes first
        HostSchedule june = schedules.hostSchedule(admin, P, "h1");
        assertEquals(Instant.parse("2026-06-15T00:00:00Z"), june.nextOpening());
        assertEquals("db-migration", june.window());

        clock.set("2026-06-15T06:00:00Z"); // then July 31, 22:00 EDT
        assertEquals(Instant.parse("2026-08-01T02:00:00Z"), schedules.hostSchedule(admin, P, "h1").nextOpening());
    }

    // ---- changing windows -------------------------------------------------------------------------

    @Test
    void aWindowChangesKindEndAndTarget() {
        single("change", Target.site("paris"), "2026-07-01T00:00:00Z", "2026-07-01T04:00:00Z");

        Window openEnded = schedules.updateWindow(admin, P, "change", new WindowUpdate(null, null, "", null, null, null));
        assertEquals(WindowKind.SINGLE, openEnded.kind());
        assertNull(openEnded.end());

        Window repeated = schedules.updateWindow(admin, P, "change",
                new WindowUpdate(null, null, null, "0 1 * * 1-5", "Europe/Paris", "PT90M"));
        assertEquals(WindowKind.REPEATED, repeated.kind());
        assertNull(repeated.start());
        assertEquals("PT1H30M", repeated.duration());
        assertEquals(Target.site("paris"), repeated.target());

        Window longer = schedules.updateWindow(admin, P, "change", new WindowUpdate(null, null, null, null, null, "PT3H"));
        assertEquals("0 1 * * 1-5", longer.cron());
        assertEquals("PT3H", longer.duration());

        TenancyException endOnRepeated = refusal(() -> schedules.updateWindow(admin, P, "change",
                new WindowUpdate(null, null, "2026-08-01T00:00:00Z", null, null, null)));
        assertEquals("end", endOnRepeated.field());

        Window moved = schedules.updateWindow(admin, P, "change", new WindowUpdate(Target.host("h2"),
                "2026-08-01T00:00:00Z", null, null, null, null));
        assertEquals(Target.host("h2"), moved.target());
        assertEquals(WindowKind.SINGLE, moved.kind());
        assertNull(moved.cron());
        assertNull(moved.zone());
        assertEquals(List.of("change"), names(schedules.hostSchedule(admin, P, "h2")));
        assertEquals(List.of(), names(schedules.hostSchedule(admin, P, "h1")));

        TenancyException zoneOnSingle = refusal(() -> schedules.updateWindow(admin, P, "change",
                new WindowUpdate(null, null, null, null, "UTC", null)));
        assertEquals("zone", zoneOnSingle.field());
        assertEquals(Reason.INVALID, refusal(() -> schedules.updateWindow(admin, P, "change",
                new WindowUpdate(null, null, null, null, null, null))).reason());
        assertEquals(Reason.NOT_FOUND, refusal(() -> schedules.updateWindow(admin, P, "nope",
                new WindowUpdate(null, null, null, null, null, "PT1H"))).reason());

        schedules.deleteWindow(admin, P, "change");
        assertEquals(List.of(), schedules.windows(admin, P, null, null));
        assertEquals(Reason.NOT_FOUND, refusal(() -> schedules.deleteWindow(admin, P, "change")).reason());
    }

    @Test
    void deletingATargetInTheFleetTakesItsWindowsAndPolicyWithIt() {
        repeated("db-monthly", Target.cluster("db"), "0 4 1 * *", "UTC", "PT1H");
        schedules.setPolicy(admin, P, Target.cluster("db"), PolicySpec.latest("stable"));

        fleet.deleteCluster(admin, P, "db");

        assertEquals(List.of(), schedules.windows(admin, P, null, null));
        assertEquals(List.of(), schedules.policies(admin, P));
        assertNull(schedules.hostSchedule(admin, P, "h1").policy());
    }

    @Test
    void badWindowsAreRefusedNamingTheFieldAndWhatToGive() {
        Function<WindowDefinition, TenancyException> create = d -> refusal(() -> schedules.createWindow(admin, P, d));
        Target paris = Target.site("paris");
        record Case(WindowDefinition definition, String field, String message) {
        }
        List<Case> cases = List.of(
                new Case(new WindowDefinition("Bad Name", paris, "2026-07-01T00:00:00Z", null, null, null, null), "name",
                        "must be 1-63 characters"),
                new Case(new WindowDefinition("w", null, "2026-07-01T00:00:00Z", null, null, null, null), "target",
                        "a target is required"),
                new Case(new WindowDefinition("w", new Target(null, "paris"), "2026-07-01T00:00:00Z", null, null, null,
                        null), "target.type", "REGION, SITE, CLUSTER or HOST"),
                new Case(new WindowDefinition("w", paris, null, null, null, null, null), "start",
                        "needs a start (a single window"),
                new Case(new WindowDefinition("w", paris, "2026-07-01T00:00:00Z", null, "0 2 * * *", "UTC", "PT1H"), "cron",
                        "not both"),
                new Case(new WindowDefinition("w", paris, "tomorrow", null, null, null, null), "start",
                        "'tomorrow' is not an ISO-8601 instant"),
                new Case(new WindowDefinition("w", paris, "2026-07-01T04:00:00Z", "2026-07-01T00:00:00Z", null, null, null),
                        "end", "not after its start"),
                new Case(new WindowDefinition("w", paris, "2026-07-01T00:00:00Z", null, null, "UTC", null), "zone",
                        "belong to repeated windows"),
                new Case(new WindowDefinition("w", paris, null, null, "0 2 * *", "UTC", "PT1H"), "cron",
                        "invalid cron expression '0 2 * *'"),
                new Case(new WindowDefinition("w", paris, null, null, "61 2 * * *", "UTC", "PT1H"), "cron",
                        "invalid cron expression '61 2 * * *'"),
                new Case(new WindowDefinition("w", paris, null, null, "0 0 30 2 *", "UTC", "PT1H"), "cron",
                        "never matches a real date"),
                new Case(new WindowDefinition("w", paris, null, null, "0 2 * * *", null, "PT1H"), "zone",
                        "needs a zone"),
                new Case(new WindowDefinition("w", paris, null, null, "0 2 * * *", "Mars/Olympus", "PT1H"), "zone",
                        "unknown time zone 'Mars/Olympus'"),
                new Case(new WindowDefinition("w", paris, null, null, "0 2 * * *", "+02:00", "PT1H"), "zone",
                        "use an IANA id"),
                new Case(new WindowDefinition("w", paris, null, null, "0 2 * * *", "UTC", null), "duration",
                        "needs a duration"),
                new Case(new WindowDefinition("w", paris, null, null, "0 2 * * *", "UTC", "2h"), "duration",
                        "'2h' is not an ISO-8601 duration"),
                new Case(new WindowDefinition("w", paris, null, null, "0 2 * * *", "UTC", "PT0S"), "duration",
                        "must be positive"),
                new Case(new WindowDefinition("w", paris, null, "2026-07-01T00:00:00Z", "0 2 * * *", "UTC", "PT1H"), "end",
                        "end belongs to single windows"));
        for (Case c : cases) {
            TenancyException e = create.apply(c.definition());
            assertEquals(Reason.INVALID, e.reason(), c.toString());
            assertEquals(c.field(), e.field(), c + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(c.message()), c + ": " + e.getMessage());
        }

        TenancyException nowhere = create.apply(new WindowDefinition("w", Target.site("nowhere"), "2026-07-01T00:00:00Z",
                null, null, null, null));
        assertEquals(Reason.NOT_FOUND, nowhere.reason());
        assertEquals("site 'nowhere' does not exist in 'acme-p1'", nowhere.getMessage());

        single("taken", paris, "2026-07-01T00:00:00Z", null);
        assertEquals(Reason.CONFLICT, create.apply(new WindowDefinition("taken", Target.host("h1"), "2026-07-01T00:00:00Z",
                null, null, null, null)).reason());
        // an offset is fine, and stored as the instant it names
        assertEquals(Instant.parse("2026-06-30T22:00:00Z"), single("offset", paris, "2026-07-01T00:00:00+02:00", null).start());
        assertEquals(List.of("offset", "taken"), windowNames(schedules.windows(admin, P, null, null)));
    }

    // ---- update policies --------------------------------------------------------------------------

    @Test
    void theHostsPolicyBeatsItsClustersWhichBeatItsSiteWhichBeatsTheNearestRegion() {
        schedules.setPolicy(admin, P, Target.region("eu"), PolicySpec.latest("stable"));
        assertPolicy("h1", Target.region("eu"), "region eu (site paris > region fr > region eu)");
        schedules.setPolicy(admin, P, Target.region("fr"), PolicySpec.target("stable", "1.0.0"));
        assertPolicy("h1", Target.region("fr"), "region fr (site paris > region fr)");
        schedules.setPolicy(admin, P, Target.site("paris"), PolicySpec.latest("stable"));
        assertPolicy("h1", Target.site("paris"), "site paris (the host's site)");
        schedules.setPolicy(admin, P, Target.cluster("web"), PolicySpec.target("stable", "1.0.0"));
        assertPolicy("h1", Target.cluster("web"), "cluster web (the host is a member)");
        schedules.setPolicy(admin, P, Target.cluster("db"), PolicySpec.latest("stable"));
        assertPolicy("h1", Target.cluster("db"), "cluster db (the first by name of the host's clusters with a policy: db, web)");
        Policy own = schedules.setPolicy(admin, P, Target.host("h1"), PolicySpec.target("stable", "1.0.0"));
        assertEquals(new Policy(Target.host("h1"), PolicyKind.TARGET, "stable", "1.0.0", "acme-admin", clock.instant()), own);
        assertPolicy("h1", Target.host("h1"), "host h1");
        assertEquals(Optional.of(new DesiredVersion("stable", "1.0.0", "host h1")), schedules.desired(projectId, hostId("h1")));

        // h2: berlin and de have none, web has one; h3 is in nothing that has one
        assertPolicy("h2", Target.cluster("web"), "cluster web (the host is a member)");
        HostSchedule h3 = schedules.hostSchedule(admin, P, "h3");
        assertNull(h3.policy());
        assertNull(h3.desired());
        assertTrue(h3.desiredNote().startsWith("no update policy applies"), h3.desiredNote());
        assertEquals(Optional.empty(), schedules.desired(projectId, hostId("h3")));

        // one policy per target: setting again replaces
        schedules.setPolicy(admin, P, Target.host("h1"), PolicySpec.latest("stable"));
        assertEquals(List.of("REGION eu", "REGION fr", "SITE paris", "CLUSTER db", "CLUSTER web", "HOST h1"),
                schedules.policies(admin, P).stream().map(p -> p.target().type() + " " + p.target().name()).toList());
        assertEquals(PolicyKind.LATEST, schedules.policies(admin, P).get(5).kind());

        schedules.clearPolicy(admin, P, Target.host("h1"));
        schedules.clearPolicy(admin, P, Target.cluster("db"));
        assertPolicy("h1", Target.cluster("web"), "cluster web (the host is a member)");
        assertEquals(Reason.NOT_FOUND, refusal(() -> schedules.clearPolicy(admin, P, Target.host("h1"))).reason());
        // another project's host is no host of this one
        assertEquals(Optional.empty(), schedules.desired(UUID.randomUUID().toString(), hostId("h1")));
    }

    @Test
    void latestFollowsANewlyOfferedOsResourceAndStepsBackWhenOneIsWithdrawn() {
        schedules.setPolicy(admin, P, Target.site("paris"), PolicySpec.latest("stable"));
        assertEquals(Optional.of(new DesiredVersion("stable", "1.1.0", "site paris (the host's site)")),
                schedules.desired(projectId, hostId("h1")));

        release("1.2.0");
        releases.importRelease(admin, P, "stable", "1.2.0");
        assertEquals("1.2.0", schedules.desired(projectId, hostId("h1")).orElseThrow().version());
        assertEquals("1.2.0", schedules.hostSchedule(admin, P, "h1").desired().version());

        withdraw("1.2.0");
        assertEquals("1.1.0", schedules.desired(projectId, hostId("h1")).orElseThrow().version());
        // h2 is in berlin, not paris
        assertEquals(Optional.empty(), schedules.desired(projectId, hostId("h2")));
    }

    @Test
    void targetPinsItsVersionAndGivesNoneOnceTheResourceIsRemovedOrWithdrawn() {
        schedules.setPolicy(admin, P, Target.host("h1"), PolicySpec.target("stable", "1.0.0"));
        HostSchedule pinned = schedules.hostSchedule(admin, P, "h1");
        assertEquals(new DesiredVersion("stable", "1.0.0", "host h1"), pinned.desired());
        assertNull(pinned.desiredNote());

        releases.removeOsResource(admin, P, "stable", "1.0.0");
        HostSchedule removed = schedules.hostSchedule(admin, P, "h1");
        assertNull(removed.desired());
        assertEquals("version 1.0.0 is no longer an OS resource of OS profile 'stable' (it was removed); pin another"
                + " version or follow LATEST", removed.desiredNote());
        assertEquals(Optional.empty(), schedules.desired(projectId, hostId("h1")));
        // the policy stays, so the operator sees what it asks for
        assertEquals(PolicyKind.TARGET, removed.policy().policy().kind());

        releases.importRelease(admin, P, "stable", "1.0.0");
        assertEquals("1.0.0", schedules.desired(projectId, hostId("h1")).orElseThrow().version());
        withdraw("1.0.0");
        assertEquals(Optional.empty(), schedules.desired(projectId, hostId("h1")));
        assertTrue(schedules.hostSchedule(admin, P, "h1").desiredNote().contains("was withdrawn"));
        assertEquals(Reason.CONFLICT, refusal(() -> schedules.setPolicy(admin, P, Target.site("paris"),
                PolicySpec.target("stable", "1.0.0"))).reason());

        releases.deleteProfile(admin, P, "stable");
        assertEquals("OS profile 'stable' no longer exists (the policy of host h1 names it)",
                schedules.hostSchedule(admin, P, "h1").desiredNote());
    }

    @Test
    void badPoliciesAreRefusedNamingTheField() {
        Target paris = Target.site("paris");
        assertEquals("kind", refusal(() -> schedules.setPolicy(admin, P, paris, null)).field());
        assertEquals("kind", refusal(() -> schedules.setPolicy(admin, P, paris, new PolicySpec(null, "stable", null))).field());
        assertEquals("profile", refusal(() -> schedules.setPolicy(admin, P, paris, PolicySpec.latest(" "))).field());
        TenancyException latestWithVersion = refusal(() -> schedules.setPolicy(admin, P, paris,
                new PolicySpec(PolicyKind.LATEST, "stable", "1.0.0")));
        assertEquals("version", latestWithVersion.field());
        assertTrue(latestWithVersion.getMessage().contains("kind TARGET to pin 1.0.0"), latestWithVersion.getMessage());
        assertEquals("version", refusal(() -> schedules.setPolicy(admin, P, paris,
                new PolicySpec(PolicyKind.TARGET, "stable", null))).field());
        assertEquals("target", refusal(() -> schedules.setPolicy(admin, P, null, PolicySpec.latest("stable"))).field());

        TenancyException noProfile = refusal(() -> schedules.setPolicy(admin, P, paris, PolicySpec.latest("beta")));
        assertEquals(Reason.NOT_FOUND, noProfile.reason());
        assertTrue(noProfile.getMessage().contains("OS profile 'beta' does not exist"), noProfile.getMessage());
        TenancyException noVersion = refusal(() -> schedules.setPolicy(admin, P, paris, PolicySpec.target("stable", "9.9.9")));
        assertEquals(Reason.INVALID, noVersion.reason(), "a body naming an unknown version is a bad request, not a 404");
        assertEquals("version", noVersion.field());
        assertTrue(noVersion.getMessage().contains("has no version 9.9.9"), noVersion.getMessage());
        assertEquals(Reason.NOT_FOUND, refusal(() -> schedules.setPolicy(admin, P, Target.host("h9"),
                PolicySpec.latest("stable"))).reason());
        assertEquals(List.of(), schedules.policies(admin, P));
    }

    // ---- who may ----------------------------------------------------------------------------------

    @Test
    void aViewerReadsButDoesNotChangeAndAnotherTenantFindsNothingWhateverItSends() {
        repeated("h1-night", Target.host("h1"), "0 22 * * *", "UTC", "PT2H");
        schedules.setPolicy(admin, P, Target.site("paris"), PolicySpec.latest("stable"));

        Caller viewer = t.member("acme", P, "vera", Role.VIEWER);
        assertEquals(1, schedules.windows(viewer, P, null, null).size());
        assertEquals("h1-night", schedules.window(viewer, P, "h1-night").name());
        assertEquals(1, schedules.policies(viewer, P).size());
        assertEquals("1.1.0", schedules.hostSchedule(viewer, P, "h1").desired().version());
        WindowDefinition valid = new WindowDefinition("w2", Target.host("h1"), "2026-07-01T00:00:00Z", null, null, null, null);
        assertEquals(Reason.FORBIDDEN, refusal(() -> schedules.createWindow(viewer, P, valid)).reason());
        assertEquals(Reason.FORBIDDEN, refusal(() -> schedules.updateWindow(viewer, P, "h1-night",
                new WindowUpdate(null, null, null, null, null, "PT1H"))).reason());
        assertEquals(Reason.FORBIDDEN, refusal(() -> schedules.deleteWindow(viewer, P, "h1-night")).reason());
        assertEquals(Reason.FORBIDDEN, refusal(() -> schedules.setPolicy(viewer, P, Target.host("h1"),
                PolicySpec.latest("stable"))).reason());
        assertEquals(Reason.FORBIDDEN, refusal(() -> schedules.clearPolicy(viewer, P, Target.site("paris"))).reason());

        Caller other = t.login("globex-admin");
        List<Runnable> calls = List.of(
                () -> schedules.createWindow(other, P, null),
                () -> schedules.createWindow(other, P, new WindowDefinition(null, null, null, null, null, null, null)),
                () -> schedules.createWindow(other, P, valid),
                () -> schedules.windows(other, P, null, "x"),
                () -> schedules.window(other, P, "h1-night"),
                () -> schedules.updateWindow(other, P, "h1-night", null),
                () -> schedules.deleteWindow(other, P, "h1-night"),
                () -> schedules.setPolicy(other, P, null, null),
                () -> schedules.setPolicy(other, P, new Target(null, null), new PolicySpec(null, null, null)),
                () -> schedules.clearPolicy(other, P, null),
                () -> schedules.policies(other, P),
                () -> schedules.hostSchedule(other, P, "h1"));
        for (Runnable call : calls) {
            TenancyException e = refusal(call::run);
            assertEquals(Reason.NOT_FOUND, e.reason(), e.getMessage());
            assertFalse(e.getMessage().contains("h1-night"), e.getMessage());
        }
        assertEquals(1, schedules.windows(admin, P, null, null).size());
    }

    @Test
    void changesAndRefusedChangesAreAudited() {
        repeated("h1-night", Target.host("h1"), "0 22 * * *", "UTC", "PT2H");
        refusal(() -> schedules.createWindow(admin, P, new WindowDefinition("h1-night", Target.host("h1"),
                "2026-07-01T00:00:00Z", null, null, null, null)));
        schedules.setPolicy(admin, P, Target.site("paris"), PolicySpec.latest("stable"));
        schedules.deleteWindow(admin, P, "h1-night");

        List<AuditLog.Event> events = t.audit.query(admin, new AuditLog.Query(P, null, null, null, null, null, 0, 100))
                .events().stream().filter(e -> e.action().startsWith("window.") || e.action().startsWith("policy."))
                .toList();
        List<String> seen = events.stream().map(e -> e.action() + " " + e.objectId() + " " + e.outcome()).toList();
        assertTrue(seen.contains("window.create h1-night SUCCESS"), seen.toString());
        assertTrue(seen.contains("window.create h1-night FAILED"), seen.toString());
        assertTrue(seen.contains("policy.set site paris SUCCESS"), seen.toString());
        assertTrue(seen.contains("window.delete h1-night SUCCESS"), seen.toString());
        AuditLog.Event created = events.stream().filter(e -> e.action().equals("window.create")
                && e.outcome() == AuditLog.Outcome.SUCCESS).findFirst().orElseThrow();
        assertEquals("repeated '0 22 * * *' in UTC for PT2H on host h1", created.detail());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void assertPolicy(String host, Target target, String source) {
        HostSchedule s = schedules.hostSchedule(admin, P, host);
        assertEquals(target, s.policy().policy().target(), s.policy().source());
        assertEquals(source, s.policy().source());
    }

    private Window repeated(String name, Target target, String cron, String zone, String duration) {
        return schedules.createWindow(admin, P, new WindowDefinition(name, target, null, null, cron, zone, duration));
    }

    private Window single(String name, Target target, String start, String end) {
        return schedules.createWindow(admin, P, new WindowDefinition(name, target, start, end, null, null, null));
    }

    private static List<String> names(HostSchedule schedule) {
        return schedule.windows().stream().map(w -> w.window().name()).toList();
    }

    private static List<String> windowNames(List<Window> windows) {
        return windows.stream().map(Window::name).toList();
    }

    private static TenancyException refusal(Runnable call) {
        return assertThrows(TenancyException.class, call::run);
    }

    private String hostId(String name) {
        return t.db.inTransaction(c -> Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", projectId, name));
    }

    /** A verified release of edge-os, as detection records it (the registry itself is the release bundle's to test). */
    private void release(String version) {
        t.db.inTransaction(c -> Sql.update(c, "INSERT INTO os_release (id, profile, version, os_type, architecture,"
                        + " image_digest, image_size, security_feature, description, known_cves, fixed_cves, repository,"
                        + " manifest_digest, release_manifest, signature, signer, signer_fingerprint, created, detected_at,"
                        + " source, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), "edge-os", version, "IMMUTABLE", "x86_64", "sha256:" + "0".repeat(58)
                        + version.replace(".", "-"), 1024L, "NONE", "Edge OS " + version, "", "", "os/edge-os",
                "sha256:" + "1".repeat(64), "{}", "c2ln", "CN=release", "AB", "2026-05-01T00:00:00Z", clock.instant(),
                "WEBHOOK", "VERIFIED"));
    }

    /** What revoking the release's signer does to it. */
    private void withdraw(String version) {
        t.db.inTransaction(c -> Sql.update(c, "UPDATE os_release SET status = 'REVOKED' WHERE profile = 'edge-os'"
                + " AND version = ?", version));
    }

    private static ReleaseConfig releaseConfig(Path cache) {
        return (ReleaseConfig) Proxy.newProxyInstance(ReleaseConfig.class.getClassLoader(), new Class<?>[] {ReleaseConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "cacheDir" -> cache.toString();
                    case "annotationType" -> ReleaseConfig.class;
                    default -> method.getDefaultValue();
                });
    }

    /** The schedule's clock, set by each test. */
    static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
