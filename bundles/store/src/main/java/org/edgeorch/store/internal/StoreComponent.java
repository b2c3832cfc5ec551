package org.edgeorch.store.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.edgeorch.platform.ComponentHealth;
import org.edgeorch.platform.HealthContributor;
import org.edgeorch.store.Database;
import org.edgeorch.store.DatabaseKind;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.event.EventJournal;
import org.edgeorch.store.event.EventPublisher;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the configured database once its driver's {@code DataSourceFactory} (pax-jdbc for Derby, the
 * PostgreSQL driver's own) is present, migrates it off the activation thread, then registers the
 * {@link Database} service. A database that is not reachable yet is retried; the status shows why.
 */
@Component(service = HealthContributor.class, configurationPid = "org.edgeorch.store", immediate = true)
@Designate(ocd = StoreConfig.class)
public class StoreComponent implements HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);
    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final Duration LIVE_WINDOW = Duration.ofMinutes(1);

    private final BundleContext context;
    private final StoreConfig config;
    private final DatabaseKind kind;
    private final String location;
    private final ScheduledExecutorService executor;

    // Written only on the executor thread; volatile for health() readers.
    private volatile String problem;
    private volatile PooledDatabase database;
    private volatile InstanceRegistry instances;
    private volatile String product;
    private DataSourceFactory factory;
    private ServiceRegistration<Database> registration;
    private volatile LeaseManager leases;
    private ServiceRegistration<LeaderLeases> leaseRegistration;
    private ServiceRegistration<EventPublisher> eventRegistration;

    @Activate
    public StoreComponent(BundleContext context, StoreConfig config) {
        this.context = context;
        this.config = config;
        this.kind = parseKind(config.type());
        this.location = kind == DatabaseKind.DERBY ? derbyDirectory().toString() : config.url();
        this.problem = "waiting for the " + kind + " driver (DataSourceFactory " + kind.driverClass() + ")";
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "edgeorch-store"));
        // On stop, pending retries and heartbeats are dropped but running work finishes: Derby closes
        // a connection whose thread is interrupted, so the executor is never interrupted.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.executor = pool;
        if (kind == DatabaseKind.POSTGRESQL && config.url().isBlank()) {
            problem = "type is postgresql but no url is configured (etc/org.edgeorch.store.cfg: url = jdbc:postgresql://host:port/db)";
        }
    }

    static DatabaseKind parseKind(String type) {
        try {
            return DatabaseKind.valueOf(type.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store type '" + type + "' is not known; use derby or postgresql", e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDataSourceFactory(DataSourceFactory candidate, Map<String, Object> props) {
        if (kind.driverClass().equals(props.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS)) && !executor.isShutdown()) {
            executor.execute(logged(() -> open(candidate)));
        }
    }

    void removeDataSourceFactory(DataSourceFactory gone) {
        if (executor.isShutdown()) {
            return; // deactivate() closes the database itself
        }
        executor.execute(logged(() -> {
            if (gone == factory) {
                close("the " + kind + " driver went away");
            }
        }));
    }

    private void open(DataSourceFactory candidate) {
        if (database != null || executor.isShutdown()) {
            return;
        }
        if (kind == DatabaseKind.POSTGRESQL && config.url().isBlank()) {
            return;
        }
        factory = candidate;
        try {
            PooledDatabase db = PooledDatabase.open(kind, createDataSource(candidate, false), config.maxPoolSize());
            product = db.product();
            InstanceRegistry registry = new InstanceRegistry(db, UUID.randomUUID().toString(), hostname(),
                    context.getBundle().getVersion().toString(), Clock.systemUTC());
            registry.heartbeat();
            database = db;
            instances = registry;
            problem = null;
            // Before the database: a domain that sees the database finds the journal too.
            eventRegistration = context.registerService(EventPublisher.class, new EventJournal(), null);
            registration = context.registerService(Database.class, db, null);
            executor.scheduleWithFixedDelay(logged(this::heartbeat), config.heartbeatSeconds(), config.heartbeatSeconds(),
                    TimeUnit.SECONDS);
            LeaseManager lm = new LeaseManager(db, registry.instanceId(), hostname(),
                    Duration.ofMillis(Math.round(config.leaseSeconds() * 1000)), Clock.systemUTC());
            leases = lm;
            leaseRegistration = context.registerService(LeaderLeases.class, lm, null);
            long renew = lm.renewEvery().toMillis();
            executor.scheduleWithFixedDelay(logged(this::renewLeases), renew, renew, TimeUnit.MILLISECONDS);
            LOG.info("Database {} at {} is ready, schema version {}", product, location, db.schemaVersion());
        } catch (SQLException | RuntimeException | LinkageError e) {
            // LinkageError too: a missing class in a driver or in Flyway must show in the status, not
            // vanish inside the executor.
            factory = null;
            problem = "cannot open " + kind + " at " + location + ": " + rootMessage(e) + "; retrying every "
                    + RETRY.toSeconds() + " s";
            LOG.warn("{}", problem, e);
            if (!executor.isShutdown()) {
                executor.schedule(logged(() -> open(candidate)), RETRY.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** Executors swallow what a task throws; this makes sure it reaches the log and the status. */
    private Runnable logged(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                problem = "internal failure: " + t;
                LOG.error("Store task failed", t);
                throw t;
            }
        };
    }

    private DataSource createDataSource(DataSourceFactory f, boolean shutdown) throws SQLException {
        Properties props = new Properties();
        if (kind == DatabaseKind.DERBY) {
            props.setProperty(DataSourceFactory.JDBC_DATABASE_NAME, derbyDirectory().toString());
            props.setProperty(shutdown ? "shutdownDatabase" : "createDatabase", shutdown ? "shutdown" : "create");
        } else {
            props.setProperty(DataSourceFactory.JDBC_URL, config.url());
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config.password());
        }
        return f.createDataSource(props);
    }

    private Path derbyDirectory() {
        if (!config.derbyDirectory().isBlank()) {
            return Path.of(config.derbyDirectory()).toAbsolutePath();
        }
        String data = context.getProperty("karaf.data");
        return Path.of(data == null ? "data" : data, "edgeorch", "derby").toAbsolutePath();
    }

    private void heartbeat() {
        try {
            instances.heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("Heartbeat to the database failed: {}", rootMessage(e));
        }
    }

    private void renewLeases() {
        try {
            leases.renewAll();
        } catch (RuntimeException e) {
            LOG.warn("Lease renewal failed: {}", rootMessage(e));
        }
    }

    private void close(String why) {
        if (leaseRegistration != null) {
            leaseRegistration.unregister();
            leaseRegistration = null;
        }
        LeaseManager lm = leases;
        leases = null;
        if (lm != null) {
            lm.releaseAll();
        }
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (eventRegistration != null) {
            eventRegistration.unregister();
            eventRegistration = null;
        }
        PooledDatabase db = database;
        database = null;
        if (db != null) {
            try {
                instances.remove();
            } catch (RuntimeException e) {
                LOG.debug("Could not remove instance row", e);
            }
            db.close();
            if (kind == DatabaseKind.DERBY && factory != null) {
                shutdownDerby();
            }
        }
        factory = null;
        problem = why;
    }

    private void shutdownDerby() {
        try {
            createDataSource(factory, true).getConnection().close();
        } catch (SQLException e) {
            // Derby reports a clean database shutdown as SQLState 08006.
            if (!"08006".equals(e.getSQLState())) {
                LOG.warn("Derby did not shut down cleanly: {}", e.getMessage());
            }
        }
    }

    @Deactivate
    void deactivate() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close("stopped");
    }

    @Override
    public ComponentHealth health() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("kind", kind.name());
        details.put("location", location);
        PooledDatabase db = database;
        String why = problem;
        if (db == null || why != null) {
            details.put("problem", why == null ? "not open" : why);
            return new ComponentHealth("database", ComponentHealth.State.DOWN, details);
        }
        details.put("product", product);
        details.put("schemaVersion", String.valueOf(db.schemaVersion()));
        try {
            details.put("instanceId", instances.instanceId());
            details.put("liveInstances", String.valueOf(instances.liveInstances(LIVE_WINDOW)));
            LeaseManager lm = leases;
            if (lm != null) {
                for (LeaderLeases.Lease l : lm.leases()) {
                    details.put("leader." + l.job(), l.expired() ? "none (lease expired)"
                            : l.holder() + "@" + l.holderHost() + " token " + l.token());
                }
            }
            return new ComponentHealth("database", ComponentHealth.State.UP, details);
        } catch (RuntimeException e) {
            details.put("problem", rootMessage(e));
            return new ComponentHealth("database", ComponentHealth.State.DOWN, details);
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
