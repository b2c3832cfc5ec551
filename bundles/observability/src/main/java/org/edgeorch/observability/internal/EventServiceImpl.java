package org.edgeorch.observability.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.edgeorch.observability.EventService;
import org.edgeorch.observability.EventStream;
import org.edgeorch.observability.Events;
import org.edgeorch.observability.Events.Event;
import org.edgeorch.observability.Events.Filter;
import org.edgeorch.observability.Events.Page;
import org.edgeorch.observability.Events.Query;
import org.edgeorch.store.Database;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.EventType;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.TenancyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event journal's reader (table {@code event_log}, written by the domains through the store's
 * {@code EventPublisher} in their own transactions), its live streams and its retention.
 *
 * <p>Live streams are fed by one poller per orchestrator that reads the journal every {@code eventPollMillis} while
 * anyone follows, so events written by other orchestrators on the same database arrive as well. Ids are handed out
 * before commit, so a transaction may commit an id below one already seen: the poller remembers such holes for
 * {@link #HOLE_PATIENCE} and picks up what fills them.
 */
@Component(service = EventService.class, configurationPid = ObservabilityConfig.PID)
@Designate(ocd = ObservabilityConfig.class)
public class EventServiceImpl implements EventService {

    static final String PURGE_JOB = "event-purge";
    static final int MAX_LIMIT = 1000;
    static final int REPLAY_PAGE = 500;
    static final Duration HOLE_PATIENCE = Duration.ofSeconds(10);
    static final Duration REAUTHORIZE = Duration.ofSeconds(30);
    private static final int POLL_PAGE = 1000;
    private static final int MAX_HOLES = 1000;
    private static final int QUEUE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventServiceImpl.class);

    private final Database db;
    private final TenancyService tenancy;
    private final AuthService auth;
    private final LeaderLeases leases;
    private final Clock clock;
    private final Duration retention;
    private final int maxStreams;
    private final ScheduledExecutorService executor;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    // The poller's state, touched only on the executor's thread (and in start(), under the same lock).
    private final Object pollLock = new Object();
    private long maxSeen = -1;
    private final Map<Long, Instant> holes = new LinkedHashMap<>();

    @Activate
    public EventServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuthService auth,
                            @Reference LeaderLeases leases, ObservabilityConfig config) {
        this(db, tenancy, auth, leases, Clock.systemUTC(), Duration.ofDays(bounded("eventRetentionDays",
                config.eventRetentionDays(), 1, 3650)), bounded("eventPollMillis", config.eventPollMillis(), 50, 10_000),
                bounded("maxEventStreams", config.maxEventStreams(), 1, 10_000));
        executor.scheduleWithFixedDelay(this::purgeLogged, 1, 60, TimeUnit.MINUTES);
    }

    EventServiceImpl(Database db, TenancyService tenancy, AuthService auth, LeaderLeases leases, Clock clock,
                     Duration retention, long pollMillis, int maxStreams) {
        this.db = db;
        this.tenancy = tenancy;
        this.auth = auth;
        this.leases = leases;
        this.clock = clock;
        this.retention = retention;
        this.maxStreams = maxStreams;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeorch-events");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::pollLogged, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    private static long bounded(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    private static int bounded(String name, int value, int min, int max) {
        return (int) bounded(name, (long) value, min, max);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
        for (Subscriber s : subscribers) {
            s.close();
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------

    @Override
    public Page events(Caller caller, String project, Query query) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        if (query == null) {
            query = new Query(Filter.ALL, null, null, null, 0, 50);
        }
        if (query.offset() < 0) {
            throw new TenancyException(Reason.INVALID, "offset", "offset must be 0 or more");
        }
        if (query.limit() < 1 || query.limit() > MAX_LIMIT) {
            throw new TenancyException(Reason.INVALID, "limit", "limit must be 1 to " + MAX_LIMIT);
        }
        if (query.from() != null && query.to() != null && !query.from().isBefore(query.to())) {
            throw new TenancyException(Reason.INVALID, "from", "from must be before to");
        }
        StringBuilder where = new StringBuilder(" WHERE project_id = ?");
        List<Object> params = new ArrayList<>(List.of(p.id()));
        filter(query.filter() == null ? Filter.ALL : query.filter(), where, params);
        if (query.from() != null) {
            where.append(" AND occurred_at >= ?");
            params.add(query.from());
        }
        if (query.to() != null) {
            where.append(" AND occurred_at < ?");
            params.add(query.to());
        }
        if (query.afterId() != null) {
            where.append(" AND id > ?");
            params.add(query.afterId());
        }
        Query q = query;
        return db.inTransaction(c -> {
            long total = Sql.one(c, "SELECT COUNT(*) FROM event_log" + where, rs -> rs.getLong(1), params.toArray()).orElse(0L);
            List<Object> paged = new ArrayList<>(params);
            paged.add(q.offset());
            paged.add(q.limit());
            List<Event> events = Sql.list(c, "SELECT " + JournalReader.COLUMNS + " FROM event_log" + where
                    + " ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", JournalReader::event, paged.toArray());
            return new Page(events, total, q.offset(), q.limit());
        });
    }

    private static void filter(Filter f, StringBuilder where, List<Object> params) {
        if (!f.types().isEmpty()) {
            where.append(" AND type IN (").append(String.join(", ", java.util.Collections.nCopies(f.types().size(), "?")))
                    .append(')');
            f.types().stream().map(EventType::name).sorted().forEach(params::add);
        }
        if (f.subject() != null) {
            where.append(" AND subject = ?");
            params.add(f.subject());
        }
    }

    // ---- following -------------------------------------------------------------------------------------

    @Override
    public EventStream follow(Caller caller, String project, Filter filter, Long afterId) {
        // the user's roles as stored (a shell user, whose caller came from its stored account)
        return follow(caller, () -> auth.callerOf(caller.username(), caller.sourceAddress()), project, filter, afterId);
    }

    @Override
    public EventStream follow(Caller caller, Supplier<Caller> current, String project, Filter filter, Long afterId) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        if (afterId != null && afterId < 0) {
            throw new TenancyException(Reason.INVALID, "lastEventId", "an event id is 0 or more");
        }
        synchronized (subscribers) {
            if (subscribers.size() >= maxStreams) {
                throw new Events.TooManyStreamsException("this orchestrator serves " + maxStreams
                        + " event streams already; try again later or raise maxEventStreams");
            }
            synchronized (pollLock) {
                if (maxSeen < 0) {
                    // The first follower: live delivery starts from what is in the journal now.
                    maxSeen = db.inTransaction(c -> Sql.one(c, "SELECT MAX(id) FROM event_log", rs -> rs.getLong(1)))
                            .orElse(0L);
                }
            }
            long now;
            synchronized (pollLock) {
                now = maxSeen;
            }
            Subscriber s = new Subscriber(current, project, p.id(), filter == null ? Filter.ALL : filter, afterId, now);
            subscribers.add(s);
            return s;
        }
    }

    private void pollLogged() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("Reading new events failed; the next poll retries: {}", e.toString());
        }
    }

    /** Reads what is new in the journal (and what filled a hole) and hands it to the subscribers. */
    void poll() {
        synchronized (pollLock) {
            if (subscribers.isEmpty()) {
                maxSeen = -1;
                holes.clear();
                return;
            }
            List<JournalReader.Row> rows = new ArrayList<>();
            db.inTransaction(c -> {
                rows.addAll(Sql.list(c, "SELECT " + JournalReader.COLUMNS + " FROM event_log WHERE id > ? ORDER BY id"
                        + " FETCH FIRST " + POLL_PAGE + " ROWS ONLY", JournalReader::row, maxSeen));
                if (!holes.isEmpty()) {
                    List<Long> ids = holes.keySet().stream().limit(100).toList();
                    rows.addAll(Sql.list(c, "SELECT " + JournalReader.COLUMNS + " FROM event_log WHERE id IN ("
                            + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")", JournalReader::row,
                            ids.toArray()));
                }
                return null;
            });
            Instant now = clock.instant();
            for (JournalReader.Row r : rows) {
                long id = r.event().id();
                if (holes.remove(id) == null) {
                    for (long missing = maxSeen + 1; missing < id && holes.size() < MAX_HOLES; missing++) {
                        holes.put(missing, now);
                    }
                    maxSeen = Math.max(maxSeen, id);
                }
                for (Subscriber s : subscribers) {
                    s.offer(r);
                }
            }
            holes.values().removeIf(noticed -> noticed.plus(HOLE_PATIENCE).isBefore(now));
        }
    }

    // ---- retention -------------------------------------------------------------------------------------

    private void purgeLogged() {
        try {
            int n = purge();
            if (n > 0) {
                LOG.info("Deleted {} event(s) older than {} days", n, retention.toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("Purging old events failed; the next run retries: {}", e.toString());
        }
    }

    /** Deletes events past retention, on the leader of {@value #PURGE_JOB} only; returns how many. */
    int purge() {
        Instant cutoff = clock.instant().minus(retention);
        return leases.runAsLeader(PURGE_JOB, c -> Sql.update(c, "DELETE FROM event_log WHERE occurred_at < ?", cutoff))
                .orElse(0);
    }

    // ---- one reader --------------------------------------------------------------------------------------

    private final class Subscriber implements EventStream {

        private final Supplier<Caller> current;
        private final String project;
        private final String projectId;
        private final Filter filter;
        private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>(QUEUE);
        /** Ids already handed out, so a replayed event that also arrives live is given once. */
        private final LinkedHashSet<Long> given = new LinkedHashSet<>();
        private volatile boolean overflowed;
        private volatile boolean closed;
        private boolean replaying;
        private long cursor;
        private Instant authorizedAt;

        Subscriber(Supplier<Caller> current, String project, String projectId, Filter filter, Long afterId, long journalEnd) {
            this.current = current;
            this.project = project;
            this.projectId = projectId;
            this.filter = filter;
            this.replaying = afterId != null;
            this.cursor = afterId == null ? journalEnd : afterId;
            this.authorizedAt = clock.instant();
        }

        void offer(JournalReader.Row r) {
            if (closed || !projectId.equals(r.projectId()) || !filter.matches(r.event())) {
                return;
            }
            if (!queue.offer(r.event())) {
                // A reader this far behind catches up from the journal instead.
                overflowed = true;
                queue.clear();
            }
        }

        @Override
        public List<Event> next(Duration wait) throws InterruptedException {
            if (closed) {
                throw new IllegalStateException("the event stream is closed");
            }
            Instant now = clock.instant();
            if (now.isAfter(authorizedAt.plus(REAUTHORIZE))) {
                // The caller as it is now: a revoked role or token, an expired token or a disabled account ends the stream.
                tenancy.authorize(current.get(), project, Permission.PROJECT_READ);
                authorizedAt = now;
            }
            if (overflowed) {
                overflowed = false;
                replaying = true;
            }
            if (replaying) {
                List<Event> page = replay();
                if (page.size() < REPLAY_PAGE) {
                    replaying = false;
                }
                List<Event> fresh = fresh(page);
                if (!fresh.isEmpty()) {
                    return fresh;
                }
            }
            List<Event> out = new ArrayList<>();
            Event first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return out;
            }
            out.add(first);
            queue.drainTo(out, REPLAY_PAGE - 1);
            return fresh(out);
        }

        private List<Event> replay() {
            StringBuilder where = new StringBuilder(" WHERE project_id = ? AND id > ?");
            List<Object> params = new ArrayList<>(List.of(projectId, cursor));
            filter(filter, where, params);
            return db.inTransaction(c -> Sql.list(c, "SELECT " + JournalReader.COLUMNS + " FROM event_log" + where
                    + " ORDER BY id FETCH FIRST " + REPLAY_PAGE + " ROWS ONLY", JournalReader::event, params.toArray()));
        }

        private List<Event> fresh(List<Event> events) {
            List<Event> out = new ArrayList<>(events.size());
            for (Event e : events) {
                if (given.add(e.id())) {
                    out.add(e);
                    cursor = Math.max(cursor, e.id());
                    if (given.size() > QUEUE) {
                        given.remove(given.iterator().next());
                    }
                }
            }
            return out;
        }

        @Override
        public void close() {
            closed = true;
            subscribers.remove(this);
            queue.clear();
        }
    }
}
