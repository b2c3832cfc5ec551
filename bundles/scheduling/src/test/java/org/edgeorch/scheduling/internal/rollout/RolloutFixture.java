package org.edgeorch.scheduling.internal.rollout;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.UpdateChannel.HostUpdates;
import org.edgeorch.fleet.internal.FleetServiceImpl;
import org.edgeorch.release.OsCatalog;
import org.edgeorch.scheduling.DesiredVersion;
import org.edgeorch.scheduling.HostSchedules;
import org.edgeorch.windows.MaintenanceWindow;
import org.edgeorch.windows.RepeatedWindow;
import org.edgeorch.windows.SingleWindow;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.spi.southbound.WindowSpec;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.store.SqlWork;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.internal.TenancyFixture;

/**
 * The rollout services wired by hand on Derby, with the tenancy fixture's movable clock, a real fleet, and doubles
 * for what lives elsewhere: the OS catalogue (the release service needs a registry) and {@link HostSchedules} (the
 * windows and policies side of this bundle). Hosts sync through {@link #sync} as the southbound calls the channel.
 */
final class RolloutFixture {

    static final String PROJECT = "acme-p1";
    static final String PROFILE = "stable";

    final TenancyFixture t;
    final FleetServiceImpl fleet;
    final Catalog catalog = new Catalog();
    final Schedules schedules = new Schedules();
    final CrashingDatabase db;
    final Caller admin;
    final String projectId;
    final Map<String, String> hostIds = new HashMap<>();
    RolloutServiceImpl rollouts;
    UpdateChannelImpl channel;

    RolloutFixture(Path dir) throws Exception {
        t = new TenancyFixture(dir);
        t.organizationWithProject("acme");
        t.organizationWithProject("globex");
        db = new CrashingDatabase(t.db);
        fleet = new FleetServiceImpl(db, t.tenancy, t.audit);
        admin = t.login("acme-admin");
        projectId = t.tenancy.project(admin, PROJECT).id();
        for (String version : List.of("1.0.0", "2.0.0", "3.0.0")) {
            catalog.offer(projectId, PROFILE, version);
        }
        restart();
    }

    /** New service instances on the same database, as after an orchestrator restart. */
    void restart() {
        rollouts = new RolloutServiceImpl(db, t.tenancy, t.audit, fleet, catalog, schedules, t.clock);
        channel = new UpdateChannelImpl(db, catalog, schedules, t.clock, Duration.ofHours(1), Duration.ofMinutes(30), 2);
    }

    void site(String name) {
        fleet.createSite(admin, PROJECT, name, null, null, null, null, Map.of());
    }

    /** Registers hosts in a site (null: none) and has each report running {@code version}. */
    void hosts(String site, String version, String... names) {
        for (String name : names) {
            fleet.registerHost(admin, PROJECT, new HostRegistration(name, "SN-" + name, null, site, Map.of()));
            String id = db.inTransaction(c -> Sql.string(c, "SELECT id FROM host WHERE name = ?", name));
            hostIds.put(name, id);
            if (version != null) {
                channel.reported(projectId, id, version, null);
            }
        }
    }

    String id(String host) {
        return assertNotNullAndGet(hostIds.get(host), host);
    }

    private static String assertNotNullAndGet(String value, String what) {
        assertNotNull(value, what);
        return value;
    }

    /** One sync of a host: what it reports, then what it is told. */
    HostUpdates sync(String host, String osVersion, UpdateReport update) {
        channel.reported(projectId, id(host), osVersion, update);
        return channel.updatesFor(projectId, id(host));
    }

    /** The host's desired OS as its next sync would tell it. */
    DesiredOs desired(String host) {
        return channel.updatesFor(projectId, id(host)).os();
    }

    /** The host installs what it was told and reports a committed, healthy target version. */
    void succeed(String host) {
        DesiredOs os = desired(host);
        assertNotNull(os, host + " has nothing to install");
        sync(host, os.version(), report(os, UpdateStatus.SUCCEEDED, null));
    }

    /** The host tries what it was told and rolls back. */
    void fail(String host) {
        DesiredOs os = desired(host);
        assertNotNull(os, host + " has nothing to install");
        sync(host, null, report(os, UpdateStatus.ROLLED_BACK, UpdateFailure.HEALTH_CHECK_FAILED));
    }

    UpdateReport report(DesiredOs os, UpdateStatus status, UpdateFailure failure) {
        return new UpdateReport(os.runId(), os.version(), status, failure, status + " on the host", 50,
                t.clock.millis());
    }

    /** An OS catalogue of fixed images. */
    static final class Catalog implements OsCatalog {
        final Map<String, OsImage> images = new ConcurrentHashMap<>();

        void offer(String projectId, String profile, String version) {
            images.put(projectId + "/" + profile + "/" + version, new OsImage("edge-os", version, "sha256:" + "ab".repeat(31)
                    + version.charAt(0) + "0", 1000 + version.charAt(0), "{\"version\":\"" + version + "\"}", "c2ln",
                    "https://registry.example/v2/os/edge-os/blobs/sha256:" + version));
        }

        void withdraw(String projectId, String profile, String version) {
            images.remove(projectId + "/" + profile + "/" + version);
        }

        @Override
        public Optional<OsImage> resource(String projectId, String profile, String version) {
            return Optional.ofNullable(images.get(projectId + "/" + profile + "/" + version));
        }

        @Override
        public Optional<OsImage> latest(String projectId, String profile) {
            return images.entrySet().stream().filter(e -> e.getKey().startsWith(projectId + "/" + profile + "/"))
                    .map(Map.Entry::getValue).max((a, b) -> a.version().compareTo(b.version()));
        }
    }

    /** Windows and policy versions set per host by the test, as the scheduling side would compute them. */
    static final class Schedules implements HostSchedules {
        final Map<String, List<MaintenanceWindow>> windows = new ConcurrentHashMap<>();
        final Map<String, DesiredVersion> desired = new ConcurrentHashMap<>();

        @Override
        public List<MaintenanceWindow> windows(String hostId) {
            return windows.getOrDefault(hostId, List.of());
        }

        @Override
        public List<WindowSpec> windowSpecs(String hostId) {
            List<WindowSpec> out = new ArrayList<>();
            for (MaintenanceWindow w : windows(hostId)) {
                if (w instanceof SingleWindow s) {
                    out.add(new WindowSpec("w", s.start().toString(), s.end() == null ? null : s.end().toString(), null, null, null));
                } else if (w instanceof RepeatedWindow r) {
                    out.add(new WindowSpec("w", null, null, r.cron(), r.zone().getId(), r.duration().toString()));
                }
            }
            return out;
        }

        @Override
        public Optional<DesiredVersion> desired(String projectId, String hostId) {
            return Optional.ofNullable(desired.get(hostId));
        }
    }

    /**
     * The test database, able to die like a killed orchestrator: with {@link #crashAfter} set, the n-th transaction
     * from now does its work and then fails before committing, so it is rolled back as a crash would leave it.
     */
    static final class CrashingDatabase implements Database {
        private final Database delegate;
        private int countdown = -1;

        CrashingDatabase(Database delegate) {
            this.delegate = delegate;
        }

        private volatile String conflictOn;

        synchronized void crashAfter(int transactions) {
            countdown = transactions;
        }

        /**
         * From now on, preparing a statement that contains {@code sql} fails as a deadlock victim does (SQLState 40001), as
         * when another transaction holds the rows this one waits for; null: no more conflicts.
         */
        void conflictOn(String sql) {
            conflictOn = sql;
        }

        private java.sql.Connection conflicting(java.sql.Connection c) {
            String sql = conflictOn;
            if (sql == null) {
                return c;
            }
            return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                        if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String s
                                && s.contains(sql)) {
                            throw new java.sql.SQLTransactionRollbackException("A lock could not be obtained due to a deadlock",
                                    "40001");
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        private synchronized boolean crashNow() {
            if (countdown < 0) {
                return false;
            }
            return countdown-- == 0;
        }

        @Override
        public org.edgeorch.store.DatabaseKind kind() {
            return delegate.kind();
        }

        @Override
        public javax.sql.DataSource dataSource() {
            return delegate.dataSource();
        }

        @Override
        public String schemaVersion() {
            return delegate.schemaVersion();
        }

        @Override
        public <T> T inTransaction(SqlWork<T> work) {
            boolean crash = crashNow();
            return delegate.inTransaction(c -> {
                T result = work.run(conflicting(c));
                if (crash) {
                    throw new Crash();
                }
                return result;
            });
        }
    }

    /** The process died before the transaction committed. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("killed before commit");
        }
    }
}
