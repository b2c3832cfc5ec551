package org.edgeorch.observability.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.edgeorch.observability.EventStream;
import org.edgeorch.observability.Events;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.Sql;
import org.edgeorch.store.SqlWork;
import org.edgeorch.store.event.Event;
import org.edgeorch.store.event.EventJournal;
import org.edgeorch.store.event.EventType;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.internal.TenancyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on real Derby with the product's migrations: paging, filters, streams with replay, isolation, retention. */
class EventServiceTest {

    @TempDir
    Path dir;

    private TenancyFixture t;
    private EventServiceImpl events;
    private EventJournal journal;
    private String acmeId;
    private String otherId;
    private Caller viewer;
    private Caller stranger;

    @BeforeEach
    void setUp() throws Exception {
        t = new TenancyFixture(dir);
        journal = new EventJournal(t.clock);
        t.organizationWithProject("acme");
        t.organizationWithProject("other");
        viewer = t.member("acme", "acme-p1", "vic", Role.VIEWER);
        stranger = t.member("other", "other-p1", "oscar", Role.PROJECT_ADMIN);
        acmeId = t.tenancy.project(t.login("acme-admin"), "acme-p1").id();
        otherId = t.tenancy.project(t.login("other-admin"), "other-p1").id();
        events = new EventServiceImpl(t.db, t.tenancy, t.auth, new SoleLeader(), t.clock, Duration.ofDays(30), 50, 4);
    }

    @AfterEach
    void tearDown() {
        events.deactivate();
    }

    private void publish(String projectId, EventType type, String subject, String status, String previous) {
        t.db.inTransaction(c -> {
            journal.publish(c, Event.of(projectId, type, subject, status, previous, "because").with("wave", 2));
            return null;
        });
    }

    @Test
    void pagesNewestFirstWithFiltersAndOnlyTheProjectsOwnEvents() {
        for (int i = 0; i < 5; i++) {
            publish(acmeId, EventType.HOST_STATUS_CHANGED, "h" + i, "RUNNING", "ONBOARDED");
        }
        publish(acmeId, EventType.ROLLOUT_CHANGED, "r1", "RUNNING", "READY");
        publish(otherId, EventType.HOST_STATUS_CHANGED, "h0", "ERROR", "RUNNING");

        Events.Page all = events.events(viewer, "acme-p1", new Events.Query(Events.Filter.ALL, null, null, null, 0, 4));
        assertEquals(6, all.total());
        assertEquals(List.of("r1", "h4", "h3", "h2"), all.events().stream().map(Events.Event::subject).toList());
        Events.Event first = all.events().get(0);
        assertEquals("rollout.changed", first.type());
        assertEquals("RUNNING", first.status());
        assertEquals("READY", first.previous());
        assertEquals("2", first.attributes().get("wave"));

        Events.Page hosts = events.events(viewer, "acme-p1", new Events.Query(
                new Events.Filter(Set.of(EventType.HOST_STATUS_CHANGED), "h0"), null, null, null, 0, 50));
        assertEquals(1, hosts.total());
        assertEquals("RUNNING", hosts.events().get(0).status(), "acme's h0, not other's");

        long after = all.events().get(1).id();
        assertEquals(1, events.events(viewer, "acme-p1", new Events.Query(Events.Filter.ALL, null, null, after, 0, 50)).total());

        TenancyException e = assertThrows(TenancyException.class,
                () -> events.events(stranger, "acme-p1", new Events.Query(Events.Filter.ALL, null, null, null, 0, 50)));
        assertEquals(TenancyException.Reason.NOT_FOUND, e.reason());
        assertEquals(TenancyException.Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> events.follow(stranger, "acme-p1", Events.Filter.ALL, 0L)).reason());
        assertEquals(TenancyException.Reason.INVALID, assertThrows(TenancyException.class,
                () -> events.events(viewer, "acme-p1", new Events.Query(Events.Filter.ALL, null, null, null, 0, 1001))).reason());
    }

    @Test
    void aStreamReplaysAfterTheIdThenDeliversNewEventsOnceAndOnlyItsProjects() throws Exception {
        publish(acmeId, EventType.HOST_REGISTERED, "h1", "REGISTERED", null);
        long seen = last();
        publish(acmeId, EventType.HOST_ONBOARDED, "h1", "ONBOARDED", "REGISTERED");
        publish(acmeId, EventType.HOST_STATUS_CHANGED, "h1", "RUNNING", "ONBOARDED");
        try (EventStream s = events.follow(viewer, "acme-p1", Events.Filter.ALL, seen)) {
            List<Events.Event> replayed = s.next(Duration.ofSeconds(2));
            assertEquals(List.of("host.onboarded", "host.status-changed"),
                    replayed.stream().map(Events.Event::type).toList());
            publish(otherId, EventType.HOST_STATUS_CHANGED, "x", "ERROR", "RUNNING");
            publish(acmeId, EventType.HOST_STATUS_CHANGED, "h1", "NO_CONNECTION", "RUNNING");
            List<Events.Event> live = collect(s, 1);
            assertEquals(1, live.size(), "one event, other's not: " + live);
            assertEquals("NO_CONNECTION", live.get(0).status());
            assertEquals(List.of(), s.next(Duration.ofMillis(300)), "nothing is given twice");
        }
    }

    @Test
    void aStreamWithoutAnIdStartsWithWhatHappensNextAndFiltersByType() throws Exception {
        publish(acmeId, EventType.HOST_REGISTERED, "old", "REGISTERED", null);
        try (EventStream s = events.follow(viewer, "acme-p1", new Events.Filter(Set.of(EventType.ROLLOUT_CHANGED), null), null)) {
            publish(acmeId, EventType.HOST_REGISTERED, "h2", "REGISTERED", null);
            publish(acmeId, EventType.ROLLOUT_CHANGED, "r1", "RUNNING", "READY");
            List<Events.Event> got = collect(s, 1);
            assertEquals(List.of("r1"), got.stream().map(Events.Event::subject).toList());
        }
    }

    @Test
    void anEventCommittedUnderALowerIdThanOneAlreadySeenStillArrives() throws Exception {
        try (EventStream s = events.follow(viewer, "acme-p1", Events.Filter.ALL, null)) {
            // A transaction takes an id, a second one takes the next and commits first. (Derby's readers wait for the
            // first one's lock; PostgreSQL's see a hole the poller remembers. Either way both arrive, once.)
            try (Connection slow = t.db.dataSource().getConnection()) {
                slow.setAutoCommit(false);
                journal.publish(slow, Event.of(acmeId, EventType.HOST_STATUS_CHANGED, "late", "ERROR", "RUNNING", null));
                publish(acmeId, EventType.HOST_STATUS_CHANGED, "early", "RUNNING", "ONBOARDED");
                Thread.sleep(300);
                slow.commit();
            }
            assertEquals(Set.of("early", "late"), Set.copyOf(collect(s, 2).stream().map(Events.Event::subject).toList()));
            assertEquals(List.of(), s.next(Duration.ofMillis(300)));
        }
    }

    @Test
    void streamsAreBoundedAndAReaderWhoLostItsRoleIsRefusedOnItsNextRead() throws Exception {
        List<EventStream> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(events.follow(viewer, "acme-p1", Events.Filter.ALL, null));
        }
        assertThrows(Events.TooManyStreamsException.class, () -> events.follow(viewer, "acme-p1", Events.Filter.ALL, null));
        open.remove(0).close();
        EventStream s = events.follow(viewer, "acme-p1", Events.Filter.ALL, null);
        Caller admin = t.login("acme-admin");
        String binding = t.tenancy.projectRoles(admin, "acme-p1").stream().filter(b -> b.subject().equals("vic"))
                .findFirst().orElseThrow().id();
        t.tenancy.revokeProjectRole(admin, "acme-p1", binding);
        t.clock.advance(EventServiceImpl.REAUTHORIZE.plusSeconds(1));
        assertEquals(TenancyException.Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> s.next(Duration.ofMillis(10))).reason());
        s.close();
        open.forEach(EventStream::close);
    }

    @Test
    void aStreamRecheckedByItsCredentialsKeepsRolesOnlyTheTokenGrantsAndEndsWithTheToken() throws Exception {
        // vic's role is then held only by its token, as an OpenID Connect login's is: none is stored
        Caller admin = t.login("acme-admin");
        String binding = t.tenancy.projectRoles(admin, "acme-p1").stream().filter(b -> b.subject().equals("vic"))
                .findFirst().orElseThrow().id();
        t.tenancy.revokeProjectRole(admin, "acme-p1", binding);
        Caller byToken = viewer;
        AtomicReference<TenancyException> tokenRefused = new AtomicReference<>();
        Supplier<Caller> current = () -> {
            if (tokenRefused.get() != null) {
                throw tokenRefused.get();
            }
            return byToken;
        };
        try (EventStream s = events.follow(byToken, current, "acme-p1", Events.Filter.ALL, null);
             EventStream stored = events.follow(byToken, "acme-p1", Events.Filter.ALL, null)) {
            t.clock.advance(EventServiceImpl.REAUTHORIZE.plusSeconds(1));
            publish(acmeId, EventType.HOST_STATUS_CHANGED, "h1", "RUNNING", "ONBOARDED");
            assertEquals(List.of("h1"), collect(s, 1).stream().map(Events.Event::subject).toList(),
                    "the token still grants the role: the stream goes on past its re-check");
            assertEquals(TenancyException.Reason.NOT_FOUND, assertThrows(TenancyException.class,
                    () -> stored.next(Duration.ofMillis(10))).reason(), "re-checked by stored roles, which there are none of");

            tokenRefused.set(new TenancyException(TenancyException.Reason.UNAUTHENTICATED, "the bearer token expired"));
            t.clock.advance(EventServiceImpl.REAUTHORIZE.plusSeconds(1));
            assertEquals(TenancyException.Reason.UNAUTHENTICATED, assertThrows(TenancyException.class,
                    () -> s.next(Duration.ofMillis(10))).reason());
        }
    }

    @Test
    void retentionDeletesOnlyWhatIsOlder() {
        publish(acmeId, EventType.HOST_REGISTERED, "old", "REGISTERED", null);
        t.clock.advance(Duration.ofDays(31));
        publish(acmeId, EventType.HOST_REGISTERED, "new", "REGISTERED", null);
        assertEquals(1, events.purge());
        Events.Page left = events.events(viewer, "acme-p1", new Events.Query(Events.Filter.ALL, null, null, null, 0, 50));
        assertEquals(List.of("new"), left.events().stream().map(Events.Event::subject).toList());
    }

    private long last() {
        return t.db.inTransaction(c -> Sql.one(c, "SELECT MAX(id) FROM event_log", rs -> rs.getLong(1)).orElseThrow());
    }

    private static List<Events.Event> collect(EventStream s, int n) throws InterruptedException {
        List<Events.Event> got = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (got.size() < n && System.nanoTime() < until) {
            got.addAll(s.next(Duration.ofMillis(200)));
        }
        return got;
    }

    /** This test's orchestrator is alone on its database, so it leads every job; the lease itself is the store's. */
    private final class SoleLeader implements LeaderLeases {
        @Override
        public boolean isLeader(String job) {
            return true;
        }

        @Override
        public OptionalLong token(String job) {
            return OptionalLong.of(1);
        }

        @Override
        public <T> Optional<T> runAsLeader(String job, SqlWork<T> work) {
            return Optional.ofNullable(t.db.inTransaction(work));
        }

        @Override
        public org.edgeorch.store.Database fenced(String job) {
            return t.db;
        }

        @Override
        public List<Lease> leases() {
            return List.of();
        }

        @Override
        public String instanceId() {
            return "test";
        }
    }
}
