package org.edgeorch.fleet.internal;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.edgeorch.platform.Inputs;
import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.Fleet.Host;
import org.edgeorch.fleet.Fleet.HostPage;
import org.edgeorch.fleet.Fleet.HostQuery;
import org.edgeorch.fleet.Fleet.HostRegistration;
import org.edgeorch.fleet.Fleet.ImportResult;
import org.edgeorch.fleet.Fleet.LineError;
import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.store.event.Event;
import org.edgeorch.store.event.EventPublisher;
import org.edgeorch.store.event.EventType;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.TenancyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

@Component(service = FleetService.class)
public class FleetServiceImpl implements FleetService {

    static final int MAX_IMPORT_LINES = 100_000;
    static final int MAX_PAGE = 1000;
    private static final Pattern META_KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

    private final Database db;
    private final TenancyService tenancy;
    private final AuditLog audit;
    private final Clock clock;

    @Activate
    public FleetServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit) {
        this(db, tenancy, audit, Clock.systemUTC());
    }

    FleetServiceImpl(Database db, TenancyService tenancy, AuditLog audit, Clock clock) {
        this.db = db;
        this.tenancy = tenancy;
        this.audit = audit;
        this.clock = clock;
    }

    // ---- regions and sites --------------------------------------------------------------------

    @Override
    public Fleet.Region createRegion(Caller caller, String project, String name, String parent, Map<String, String> metadata) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        name(name);
        Map<String, String> meta = metadata(metadata);
        Instant now = clock.instant();
        db.inTransaction(c -> {
            String parentId = parent == null || parent.isBlank() ? null : regionId(c, p.id(), parent, "parent");
            if (regionIdOrNull(c, p.id(), name) != null) {
                throw new TenancyException(Reason.CONFLICT, "region '" + name + "' already exists in '" + project + "'");
            }
            String id = UUID.randomUUID().toString();
            Sql.update(c, "INSERT INTO region (id, project_id, parent_id, name, created_at) VALUES (?, ?, ?, ?, ?)",
                    id, p.id(), parentId, name, Timestamp.from(now));
            putMetadata(c, "REGION", id, meta);
            return null;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "region.create", "region", name, Outcome.SUCCESS, caller.sourceAddress(), null);
        return new Fleet.Region(name, blank(parent), meta, now);
    }

    @Override
    public List<Fleet.Region> regions(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            Map<String, Map<String, String>> meta = Labels.metadataOfType(c, "REGION", "region", p.id());
            List<Fleet.Region> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT r.id, r.name, p.name, r.created_at FROM region r"
                    + " LEFT JOIN region p ON p.id = r.parent_id WHERE r.project_id = ? ORDER BY r.name")) {
                q.setString(1, p.id());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Fleet.Region(rs.getString(2), rs.getString(3),
                                meta.getOrDefault(rs.getString(1), Map.of()), rs.getTimestamp(4).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Fleet.Site createSite(Caller caller, String project, String name, String region, String address,
                                 Double latitude, Double longitude, Map<String, String> metadata) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        name(name);
        Map<String, String> meta = metadata(metadata);
        siteFields(address, latitude, longitude);
        Instant now = clock.instant();
        db.inTransaction(c -> {
            String regionId = region == null || region.isBlank() ? null : regionId(c, p.id(), region, "region");
            if (siteIdOrNull(c, p.id(), name) != null) {
                throw new TenancyException(Reason.CONFLICT, "site '" + name + "' already exists in '" + project + "'");
            }
            String id = UUID.randomUUID().toString();
            Sql.update(c, "INSERT INTO site (id, project_id, region_id, name, address, latitude, longitude, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, p.id(), regionId, name, address,
                    latitude == null ? new Sql.Null(java.sql.Types.DOUBLE) : latitude,
                    longitude == null ? new Sql.Null(java.sql.Types.DOUBLE) : longitude, Timestamp.from(now));
            putMetadata(c, "SITE", id, meta);
            return null;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "site.create", "site", name, Outcome.SUCCESS, caller.sourceAddress(), null);
        return new Fleet.Site(name, blank(region), address, latitude, longitude, meta, now);
    }

    @Override
    public List<Fleet.Site> sites(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            Map<String, Map<String, String>> meta = Labels.metadataOfType(c, "SITE", "site", p.id());
            List<Fleet.Site> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT s.id, s.name, r.name, s.address, s.latitude, s.longitude,"
                    + " s.created_at FROM site s LEFT JOIN region r ON r.id = s.region_id WHERE s.project_id = ? ORDER BY s.name")) {
                q.setString(1, p.id());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Fleet.Site(rs.getString(2), rs.getString(3), rs.getString(4), (Double) rs.getObject(5),
                                (Double) rs.getObject(6), meta.getOrDefault(rs.getString(1), Map.of()), rs.getTimestamp(7).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    // ---- clusters ---------------------------------------------------------------------------------

    @Override
    public Fleet.Cluster createCluster(Caller caller, String project, String name, String template, List<String> hosts,
                                       Map<String, String> metadata) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        name(name);
        template(template);
        Map<String, String> meta = metadata(metadata);
        db.inTransaction(c -> {
            if (Sql.string(c, "SELECT id FROM cluster WHERE project_id = ? AND name = ?", p.id(), name) != null) {
                throw new TenancyException(Reason.CONFLICT, "cluster '" + name + "' already exists in '" + project + "'");
            }
            String id = UUID.randomUUID().toString();
            Sql.update(c, "INSERT INTO cluster (id, project_id, name, template, created_at) VALUES (?, ?, ?, ?, ?)",
                    id, p.id(), name, template, Timestamp.from(clock.instant()));
            putMetadata(c, "CLUSTER", id, meta);
            addHosts(c, p.id(), id, name, hosts == null ? List.of() : hosts);
            return null;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "cluster.create", "cluster", name, Outcome.SUCCESS, caller.sourceAddress(), template);
        return cluster(caller, project, name);
    }

    @Override
    public List<Fleet.Cluster> clusters(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            List<Fleet.Cluster> out = new ArrayList<>();
            for (String name : Sql.strings(c, "SELECT name FROM cluster WHERE project_id = ? ORDER BY name", p.id())) {
                out.add(loadCluster(c, p.id(), name));
            }
            return out;
        });
    }

    @Override
    public Fleet.Cluster addClusterHosts(Caller caller, String project, String cluster, List<String> hosts) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        db.inTransaction(c -> {
            String id = Sql.string(c, "SELECT id FROM cluster WHERE project_id = ? AND name = ?", p.id(), cluster);
            if (id == null) {
                throw new TenancyException(Reason.NOT_FOUND, "cluster '" + cluster + "' does not exist in '" + project + "'");
            }
            addHosts(c, p.id(), id, cluster, hosts == null ? List.of() : hosts);
            return null;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "cluster.hosts.add", "cluster", cluster, Outcome.SUCCESS,
                caller.sourceAddress(), String.join(",", hosts == null ? List.of() : hosts));
        return cluster(caller, project, cluster);
    }

    private void addHosts(Connection c, String projectId, String clusterId, String cluster, List<String> hosts) throws SQLException {
        for (String host : new java.util.LinkedHashSet<>(hosts)) {
            String hostId = Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", projectId, host);
            if (hostId == null) {
                throw new TenancyException(Reason.NOT_FOUND, "host '" + host + "' does not exist");
            }
            if (Sql.string(c, "SELECT host_id FROM cluster_host WHERE cluster_id = ? AND host_id = ?", clusterId, hostId) != null) {
                throw new TenancyException(Reason.CONFLICT, "host '" + host + "' is already in cluster '" + cluster + "'");
            }
            Sql.update(c, "INSERT INTO cluster_host (cluster_id, host_id) VALUES (?, ?)", clusterId, hostId);
        }
    }

    private Fleet.Cluster cluster(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> loadCluster(c, p.id(), name));
    }

    private static Fleet.Cluster loadCluster(Connection c, String projectId, String name) throws SQLException {
        record Row(String id, String template, Instant createdAt) {
        }
        Row row = Sql.one(c, "SELECT id, template, created_at FROM cluster WHERE project_id = ? AND name = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), Sql.instant(rs, 3)), projectId, name).orElseThrow();
        List<String> hosts = Sql.strings(c, "SELECT h.name FROM cluster_host ch JOIN host h ON h.id = ch.host_id"
                + " WHERE ch.cluster_id = ? ORDER BY h.name", row.id());
        Map<String, String> meta = Labels.metadataOfObjects(c, "metadata", "object_id", List.of(row.id()),
                " AND object_type = 'CLUSTER'").getOrDefault(row.id(), Map.of());
        return new Fleet.Cluster(name, row.template(), hosts, meta, row.createdAt());
    }

    // ---- hosts ------------------------------------------------------------------------------------

    @Override
    public Host registerHost(Caller caller, String project, HostRegistration r) {
        Project p = tenancy.authorize(caller, project, Permission.HOST_REGISTER);
        HostRegistration valid = validate(r);
        List<LineError> problems = db.inTransaction(c -> register(c, p.id(), List.of(valid)));
        if (!problems.isEmpty()) {
            String problem = problems.get(0).message();
            throw new TenancyException(problem.contains("does not exist") ? Reason.NOT_FOUND : Reason.CONFLICT, problem);
        }
        audit.record(caller.username(), p.orgId(), p.id(), "host.register", "host", valid.name(), Outcome.SUCCESS,
                caller.sourceAddress(), identity(valid));
        return host(caller, project, valid.name());
    }

    @Override
    public ImportResult importHosts(Caller caller, String project, String csv) {
        Project p = tenancy.authorize(caller, project, Permission.HOST_REGISTER);
        List<HostRegistration> rows = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        parseCsv(csv == null ? "" : csv, rows, errors);
        if (!errors.isEmpty()) {
            return new ImportResult(0, errors);
        }
        // Registration problems are numbered by row; in the file, row i is on line i + 2.
        List<LineError> conflicts = db.inTransaction(c -> register(c, p.id(), rows)).stream()
                .map(e -> new LineError(e.line() + 2, e.message())).toList();
        if (!conflicts.isEmpty()) {
            return new ImportResult(0, conflicts);
        }
        audit.record(caller.username(), p.orgId(), p.id(), "host.import", "host", rows.size() + " hosts", Outcome.SUCCESS,
                caller.sourceAddress(), null);
        return new ImportResult(rows.size(), List.of());
    }

    /**
     * Registers hosts in the open transaction, all or none: every row is checked against the project's
     * hosts (loaded once) and the rows before it; problems are returned with the row index, and nothing
     * is written unless there are none. Writes are batched, so 100,000 hosts are one pass.
     */
    private List<LineError> register(Connection c, String projectId, List<HostRegistration> rows) throws SQLException {
        Set<String> names = new HashSet<>(Sql.strings(c, "SELECT name FROM host WHERE project_id = ?", projectId));
        Set<String> uuids = new HashSet<>(Sql.strings(c, "SELECT uuid FROM host WHERE project_id = ? AND uuid IS NOT NULL", projectId));
        Set<String> serials = new HashSet<>(Sql.strings(c,
                "SELECT serial_number FROM host WHERE project_id = ? AND uuid IS NULL AND serial_number IS NOT NULL", projectId));
        Labels.Context labels = Labels.context(c, projectId);
        List<LineError> problems = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            HostRegistration h = rows.get(i);
            String problem = !names.add(h.name()) ? "host '" + h.name() + "' already exists"
                    : h.uuid() != null && !uuids.add(h.uuid()) ? "a host with UUID " + h.uuid() + " already exists"
                    : h.uuid() == null && !serials.add(h.serialNumber()) ? "a host without UUID already has serial number " + h.serialNumber()
                    : h.site() != null && labels.siteId(h.site()) == null ? "site '" + h.site() + "' does not exist"
                    : null;
            if (problem != null) {
                problems.add(new LineError(i, problem));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement host = c.prepareStatement("INSERT INTO host (id, project_id, site_id, name, serial_number, uuid,"
                + " status, status_reason, status_changed_at, created_at, auto_onboard) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement meta = c.prepareStatement(
                     "INSERT INTO metadata (object_type, object_id, meta_key, meta_value) VALUES ('HOST', ?, ?, ?)");
             PreparedStatement label = c.prepareStatement(
                     "INSERT INTO host_label (host_id, project_id, meta_key, meta_value) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            EventPublisher publisher = events;
            List<Event> registered = new ArrayList<>();
            for (HostRegistration h : rows) {
                String id = UUID.randomUUID().toString();
                String siteId = h.site() == null ? null : labels.siteId(h.site());
                Sql.bind(host, id, projectId, siteId, h.name(), h.serialNumber(), h.uuid(), HostStatus.REGISTERED.name(),
                        h.autoOnboard() ? "pre-registered, auto-onboard" : "pre-registered", now, now, h.autoOnboard());
                host.addBatch();
                registered.add(Event.of(projectId, EventType.HOST_REGISTERED, h.name(), HostStatus.REGISTERED, null,
                        h.autoOnboard() ? "pre-registered, auto-onboard" : "pre-registered"));
                for (Map.Entry<String, String> e : h.metadata().entrySet()) {
                    Sql.bind(meta, id, e.getKey(), e.getValue());
                    meta.addBatch();
                }
                for (Map.Entry<String, String> e : labels.effective(siteId, h.metadata()).entrySet()) {
                    Sql.bind(label, id, projectId, e.getKey(), e.getValue());
                    label.addBatch();
                }
                if (++pending == 1000) {
                    host.executeBatch();
                    meta.executeBatch();
                    label.executeBatch();
                    publish(publisher, c, registered);
                    pending = 0;
                }
            }
            host.executeBatch();
            meta.executeBatch();
            label.executeBatch();
            publish(publisher, c, registered);
        }
        return List.of();
    }

    private static void publish(EventPublisher publisher, Connection c, List<Event> pending) throws SQLException {
        if (publisher != null && !pending.isEmpty()) {
            publisher.publish(c, pending);
        }
        pending.clear();
    }

    /** The event journal (the store's); absent only in tests that build this class without one. */
    private volatile EventPublisher events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(EventPublisher publisher) {
        this.events = publisher;
    }

    void unsetEvents(EventPublisher gone) {
        if (events == gone) {
            events = null;
        }
    }

    private void parseCsv(String csv, List<HostRegistration> rows, List<LineError> errors) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).build();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), format)) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains("name") || !(header.contains("serial") || header.contains("uuid"))) {
                errors.add(new LineError(1, "the header must name the columns: name, serial and/or uuid, optionally site,"
                        + " autoOnboard and meta.<key>"));
                return;
            }
            for (String column : header) {
                if (!List.of("name", "serial", "uuid", "site", "autoOnboard").contains(column)
                        && !(column.startsWith("meta.") && META_KEY.matcher(column.substring(5)).matches())) {
                    errors.add(new LineError(1, "unknown column '" + column + "'"));
                }
            }
            for (CSVRecord record : parser) {
                int line = (int) record.getRecordNumber() + 1;
                if (rows.size() + errors.size() >= MAX_IMPORT_LINES) {
                    errors.add(new LineError(line, "at most " + MAX_IMPORT_LINES + " hosts per import"));
                    return;
                }
                if (!record.isConsistent()) {
                    errors.add(new LineError(line, "expected " + header.size() + " fields, found " + record.size()));
                    continue;
                }
                Map<String, String> meta = new TreeMap<>();
                for (String column : header) {
                    if (column.startsWith("meta.") && !record.get(column).isEmpty()) {
                        meta.put(column.substring(5), record.get(column));
                    }
                }
                String auto = field(record, "autoOnboard");
                if (auto != null && !auto.equalsIgnoreCase("true") && !auto.equalsIgnoreCase("false")) {
                    errors.add(new LineError(line, "autoOnboard must be true or false, not '" + auto + "'"));
                    continue;
                }
                try {
                    rows.add(validate(new HostRegistration(field(record, "name"), field(record, "serial"),
                            field(record, "uuid"), field(record, "site"), meta, Boolean.parseBoolean(auto))));
                } catch (TenancyException e) {
                    errors.add(new LineError(line, e.getMessage()));
                }
            }
        } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
            errors.add(new LineError(0, "not a readable CSV document: " + e.getMessage()));
        }
    }

    private static String field(CSVRecord record, String column) {
        return record.isMapped(column) && !record.get(column).isEmpty() ? record.get(column) : null;
    }

    @Override
    public HostPage hosts(Caller caller, String project, HostQuery q) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        if (q.limit() < 1 || q.limit() > MAX_PAGE) {
            throw new TenancyException(Reason.INVALID, "limit", "limit must be 1 to " + MAX_PAGE);
        }
        if (q.offset() < 0) {
            throw new TenancyException(Reason.INVALID, "offset", "offset must be 0 or more");
        }
        return db.inTransaction(c -> {
            // Filters touch the host table only (with indexed subqueries), so counting and paging never
            // join 100,000 rows; names of sites and regions are joined for the page alone.
            StringBuilder where = new StringBuilder(" FROM host h WHERE h.project_id = ?");
            List<Object> params = new ArrayList<>(List.of(p.id()));
            if (q.status() != null) {
                where.append(" AND h.status = ?");
                params.add(q.status().name());
            }
            if (q.site() != null || q.region() != null) {
                // Sites are few: resolve them here and hand the database a plain IN list it can use its index for.
                List<String> siteIds = Sql.strings(c, "SELECT id FROM site WHERE project_id = ?", p.id());
                if (q.site() != null) {
                    siteIds.retainAll(Sql.strings(c, "SELECT id FROM site WHERE project_id = ? AND name = ?", p.id(), q.site()));
                }
                if (q.region() != null) {
                    List<String> subtree = Labels.regionSubtree(c, p.id(), regionId(c, p.id(), q.region(), "region"));
                    List<Object> regionParams = new ArrayList<>(List.of(p.id()));
                    regionParams.addAll(subtree);
                    siteIds.retainAll(Sql.strings(c, "SELECT id FROM site WHERE project_id = ? AND region_id IN ("
                            + String.join(", ", Collections.nCopies(subtree.size(), "?")) + ")", regionParams.toArray()));
                }
                if (siteIds.isEmpty()) {
                    return new HostPage(List.of(), 0, q.offset(), q.limit());
                }
                where.append(" AND h.site_id IN (").append(String.join(", ", Collections.nCopies(siteIds.size(), "?"))).append(")");
                params.addAll(siteIds);
            }
            for (Map.Entry<String, String> m : (q.metadata() == null ? Map.<String, String>of() : q.metadata()).entrySet()) {
                where.append(" AND h.id IN (SELECT l.host_id FROM host_label l WHERE l.project_id = ? AND l.meta_key = ?"
                        + " AND l.meta_value = ?)");
                params.addAll(List.of(p.id(), m.getKey(), m.getValue()));
            }
            if (q.text() != null && !q.text().isBlank()) {
                String like = "%" + q.text().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
                where.append(" AND (LOWER(h.name) LIKE ? ESCAPE '!' OR LOWER(h.serial_number) LIKE ? ESCAPE '!'"
                        + " OR LOWER(h.uuid) LIKE ? ESCAPE '!')");
                params.addAll(List.of(like, like, like));
            }
            long total = Sql.one(c, "SELECT COUNT(*)" + where, rs -> rs.getLong(1), params.toArray()).orElse(0L);
            String order = switch (q.sort() == null ? Fleet.SortField.NAME : q.sort()) {
                case NAME -> "h.name";
                case STATUS -> "h.status";
                case CREATED_AT -> "h.created_at";
                case LAST_SEEN_AT -> "h.last_seen_at";
            };
            List<Object> paged = new ArrayList<>(params);
            paged.add(q.offset());
            paged.add(q.limit());
            List<String> ids = Sql.strings(c, "SELECT h.id" + where + " ORDER BY " + order + (q.descending() ? " DESC" : "")
                    + ", h.name OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", paged.toArray());
            if (ids.isEmpty()) {
                return new HostPage(List.of(), total, q.offset(), q.limit());
            }
            List<Object> idParams = new ArrayList<>(ids);
            Map<String, Host> byId = new HashMap<>();
            selectHosts(c, SELECT_HOST + " WHERE h.id IN ("
                    + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")", idParams, byId);
            return new HostPage(ids.stream().map(byId::get).toList(), total, q.offset(), q.limit());
        });
    }

    private static final String SELECT_HOST = "SELECT h.id, h.name, h.serial_number, h.uuid, s.name, r.name, h.status,"
            + " h.status_reason, h.status_changed_at, h.created_at, h.last_seen_at, h.auto_onboard, h.agent_version, h.onboarded_at"
            + " FROM host h"
            + " LEFT JOIN site s ON s.id = h.site_id LEFT JOIN region r ON r.id = s.region_id";

    @Override
    public Host host(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> selectHosts(c, SELECT_HOST + " WHERE h.project_id = ? AND h.name = ?",
                List.of(p.id(), name), new HashMap<>()).stream().findFirst()
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "host '" + name + "' does not exist in '" + project + "'")));
    }

    /** Hosts with their metadata; {@code byId} receives them by row id as well. */
    private List<Host> selectHosts(Connection c, String sql, List<Object> params, Map<String, Host> byId) throws SQLException {
        record Row(String id, Host host) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql)) {
            Sql.bind(q, params.toArray());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), new Host(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), HostStatus.valueOf(rs.getString(7)), rs.getString(8), Sql.instant(rs, 9),
                            Sql.instant(rs, 10), Sql.instant(rs, 11), Map.of(), Map.of(), rs.getBoolean(12), rs.getString(13),
                            Sql.instant(rs, 14))));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(Row::id).toList();
        Map<String, Map<String, String>> own = Labels.metadataOfObjects(c, "metadata", "object_id", ids, " AND object_type = 'HOST'");
        Map<String, Map<String, String>> effective = Labels.metadataOfObjects(c, "host_label", "host_id", ids, "");
        List<Host> out = new ArrayList<>();
        for (Row r : rows) {
            Host h = r.host().withMetadata(own.getOrDefault(r.id(), Map.of()), effective.getOrDefault(r.id(), Map.of()));
            byId.put(r.id(), h);
            out.add(h);
        }
        return out;
    }

    // ---- updates and deletions ----------------------------------------------------------------
    //
    // Each authorises first (a denial is audited there), then validates, then changes everything in one
    // transaction, relabelling exactly the hosts whose inheritance changed. Success and refusal are audited.

    @Override
    public Fleet.Region updateRegion(Caller caller, String project, String name, Fleet.RegionUpdate update) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "region.update", "region", name, () -> {
            Fleet.RegionUpdate u = required(update, "region");
            Map<String, String> meta = u.metadata() == null ? null : metadata(u.metadata());
            return db.inTransaction(c -> {
                String id = existing(c, "region", p, name);
                if (u.parent() != null) {
                    // Two moves at once could each pass the cycle check and together close a loop: the first
                    // to write-lock the project's regions goes first, the second then sees its outcome.
                    Sql.update(c, "UPDATE region SET parent_id = parent_id WHERE project_id = ?", p.id());
                }
                List<String> subtree = Labels.regionSubtree(c, p.id(), id);
                if (u.parent() != null) {
                    String parentId = blank(u.parent()) == null ? null : regionId(c, p.id(), u.parent().strip(), "parent");
                    if (parentId != null && subtree.contains(parentId)) {
                        throw new TenancyException(Reason.INVALID, "parent", "region '" + name + "' cannot move into '"
                                + u.parent().strip() + "', which is " + (parentId.equals(id) ? "itself" : "inside it"));
                    }
                    Sql.update(c, "UPDATE region SET parent_id = ? WHERE id = ?", parentId, id);
                }
                if (meta != null) {
                    replaceMetadata(c, "REGION", id, meta);
                }
                int relabelled = u.parent() == null && meta == null ? 0 : Labels.relabel(c, p.id(),
                        "h.site_id IN (SELECT s.id FROM site s WHERE s.region_id IN (" + marks(subtree.size()) + "))",
                        new ArrayList<>(subtree));
                return new Done<>(loadRegion(c, id), changes(u.parent(), meta) + "; " + relabelled + " host(s) relabelled");
            });
        });
    }

    @Override
    public void deleteRegion(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "region.delete", "region", name, () -> db.inTransaction(c -> {
            String id = existing(c, "region", p, name);
            long children = count(c, "SELECT COUNT(*) FROM region WHERE parent_id = ?", id);
            long sites = count(c, "SELECT COUNT(*) FROM site WHERE region_id = ?", id);
            if (children > 0 || sites > 0) {
                throw new TenancyException(Reason.CONFLICT, "region '" + name + "' still has " + children + " sub-region(s) and "
                        + sites + " site(s); move or delete them first");
            }
            Sql.update(c, "DELETE FROM metadata WHERE object_type = 'REGION' AND object_id = ?", id);
            Sql.update(c, "DELETE FROM region WHERE id = ?", id);
            return new Done<>(null, null);
        }));
    }

    @Override
    public Fleet.Site updateSite(Caller caller, String project, String name, Fleet.SiteUpdate update) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "site.update", "site", name, () -> {
            Fleet.SiteUpdate u = required(update, "site");
            siteFields(u.address(), u.latitude(), u.longitude());
            Map<String, String> meta = u.metadata() == null ? null : metadata(u.metadata());
            return db.inTransaction(c -> {
                String id = existing(c, "site", p, name);
                if (u.region() != null) {
                    String regionId = blank(u.region()) == null ? null : regionId(c, p.id(), u.region().strip(), "region");
                    Sql.update(c, "UPDATE site SET region_id = ? WHERE id = ?", regionId, id);
                }
                if (u.address() != null) {
                    Sql.update(c, "UPDATE site SET address = ? WHERE id = ?", blank(u.address()), id);
                }
                if (u.latitude() != null) {
                    Sql.update(c, "UPDATE site SET latitude = ? WHERE id = ?", u.latitude(), id);
                }
                if (u.longitude() != null) {
                    Sql.update(c, "UPDATE site SET longitude = ? WHERE id = ?", u.longitude(), id);
                }
                if (meta != null) {
                    replaceMetadata(c, "SITE", id, meta);
                }
                // Address and coordinates are not inherited: only region and metadata reach the hosts.
                int relabelled = u.region() == null && meta == null ? 0 : Labels.relabel(c, p.id(), "h.site_id = ?", List.of(id));
                return new Done<>(loadSite(c, id), changes(u.region(), meta) + "; " + relabelled + " host(s) relabelled");
            });
        });
    }

    @Override
    public void deleteSite(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "site.delete", "site", name, () -> db.inTransaction(c -> {
            String id = existing(c, "site", p, name);
            long hosts = count(c, "SELECT COUNT(*) FROM host WHERE site_id = ?", id);
            if (hosts > 0) {
                throw new TenancyException(Reason.CONFLICT, "site '" + name + "' still has " + hosts
                        + " host(s); move them to another site first");
            }
            Sql.update(c, "DELETE FROM metadata WHERE object_type = 'SITE' AND object_id = ?", id);
            Sql.update(c, "DELETE FROM site WHERE id = ?", id);
            return new Done<>(null, null);
        }));
    }

    @Override
    public Fleet.Cluster updateCluster(Caller caller, String project, String name, Fleet.ClusterUpdate update) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "cluster.update", "cluster", name, () -> {
            Fleet.ClusterUpdate u = required(update, "cluster");
            if (u.template() != null) {
                template(u.template());
            }
            Map<String, String> meta = u.metadata() == null ? null : metadata(u.metadata());
            return db.inTransaction(c -> {
                String id = existing(c, "cluster", p, name);
                if (u.template() != null) {
                    Sql.update(c, "UPDATE cluster SET template = ? WHERE id = ?", u.template(), id);
                }
                if (meta != null) {
                    replaceMetadata(c, "CLUSTER", id, meta);
                }
                return new Done<>(loadCluster(c, p.id(), name), (u.template() == null ? "" : "template " + u.template() + "; ")
                        + (meta == null ? "metadata kept" : "metadata " + meta.keySet()));
            });
        });
    }

    @Override
    public Fleet.Cluster removeClusterHosts(Caller caller, String project, String cluster, List<String> hosts) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        List<String> names = hosts == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(hosts));
        return audited(caller, p, "cluster.hosts.remove", "cluster", cluster, () -> db.inTransaction(c -> {
            String id = existing(c, "cluster", p, cluster);
            for (String host : names) {
                String hostId = Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", p.id(), host);
                if (hostId == null) {
                    throw new TenancyException(Reason.NOT_FOUND, "host '" + host + "' does not exist");
                }
                if (Sql.update(c, "DELETE FROM cluster_host WHERE cluster_id = ? AND host_id = ?", id, hostId) == 0) {
                    throw new TenancyException(Reason.NOT_FOUND, "host '" + host + "' is not in cluster '" + cluster + "'");
                }
            }
            return new Done<>(loadCluster(c, p.id(), cluster), String.join(",", names));
        }));
    }

    @Override
    public void deleteCluster(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "cluster.delete", "cluster", name, () -> db.inTransaction(c -> {
            String id = existing(c, "cluster", p, name);
            int members = Sql.update(c, "DELETE FROM cluster_host WHERE cluster_id = ?", id);
            Sql.update(c, "DELETE FROM metadata WHERE object_type = 'CLUSTER' AND object_id = ?", id);
            Sql.update(c, "DELETE FROM cluster WHERE id = ?", id);
            return new Done<>(null, members + " membership(s) removed");
        }));
    }

    @Override
    public Host updateHost(Caller caller, String project, String name, Fleet.HostUpdate update) {
        Project p = tenancy.authorize(caller, project, Permission.HOST_WRITE);
        return audited(caller, p, "host.update", "host", name, () -> {
            Fleet.HostUpdate u = required(update, "host");
            Map<String, String> meta = u.metadata() == null ? null : metadata(u.metadata());
            return db.inTransaction(c -> {
                String id = existing(c, "host", p, name);
                if (u.site() != null) {
                    String siteId = blank(u.site()) == null ? null : siteIdOrNull(c, p.id(), u.site().strip());
                    if (blank(u.site()) != null && siteId == null) {
                        throw new TenancyException(Reason.NOT_FOUND, "site '" + u.site().strip() + "' does not exist");
                    }
                    Sql.update(c, "UPDATE host SET site_id = ? WHERE id = ?", siteId, id);
                }
                if (meta != null) {
                    replaceMetadata(c, "HOST", id, meta);
                }
                if (u.site() != null || meta != null) {
                    Labels.relabel(c, p.id(), "h.id = ?", List.of(id));
                }
                String serialChange = u.serialNumber() == null ? "" : correctSerial(c, p.id(), id, u.serialNumber());
                Host h = selectHosts(c, SELECT_HOST + " WHERE h.id = ?", List.of(id), new HashMap<>()).get(0);
                return new Done<>(h, serialChange + changes(u.site(), meta));
            });
        });
    }

    /**
     * Corrects a host's serial number (a typo at registration, a replaced board): checked like a registration's, and
     * unique among the project's hosts without UUID when this host has none; blank removes it when the host has a
     * UUID to be known by. Returns what the audit log says.
     */
    private static String correctSerial(Connection c, String projectId, String hostId, String given) throws SQLException {
        String serial = blank(given);
        boolean hasUuid = Sql.one(c, "SELECT COUNT(*) FROM host WHERE id = ? AND uuid IS NOT NULL", rs -> rs.getInt(1) > 0,
                hostId).orElse(false);
        if (serial == null) {
            if (!hasUuid) {
                throw new TenancyException(Reason.INVALID, "serialNumber", "the host has no UUID: its serial number is how"
                        + " it is known, so it can be corrected but not removed");
            }
        } else if (!SERIAL.matcher(serial).matches()) {
            throw new TenancyException(Reason.INVALID, "serialNumber", "serial number '" + excerpt(serial)
                    + "' must be 1-128 characters of letters, digits and . _ : / -");
        } else if (!hasUuid && Sql.one(c, "SELECT id FROM host WHERE project_id = ? AND uuid IS NULL AND serial_number = ?"
                + " AND id <> ?", rs -> rs.getString(1), projectId, serial, hostId).isPresent()) {
            throw new TenancyException(Reason.CONFLICT, "a host without UUID already has serial number " + serial);
        }
        Sql.update(c, "UPDATE host SET serial_number = ? WHERE id = ?", serial, hostId);
        return "serial number " + (serial == null ? "removed" : serial) + "; ";
    }

    private static String excerpt(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** What a change returns, and what the audit log says about it. */
    private record Done<T>(T value, String detail) {
    }

    /**
     * Runs a change the caller is authorised for and audits it: SUCCESS with its detail, or FAILED with
     * the reason it was refused, so that refused changes are on record like denied ones.
     */
    private <T> T audited(Caller caller, Project p, String action, String type, String object,
                          java.util.function.Supplier<Done<T>> change) {
        Done<T> done;
        try {
            done = change.get();
        } catch (TenancyException e) {
            audit.record(caller.username(), p.orgId(), p.id(), action, type, object, Outcome.FAILED, caller.sourceAddress(),
                    e.reason() + ": " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit.record(caller.username(), p.orgId(), p.id(), action, type, object, Outcome.FAILED, caller.sourceAddress(),
                    String.valueOf(e.getMessage()));
            throw e;
        }
        audit.record(caller.username(), p.orgId(), p.id(), action, type, object, Outcome.SUCCESS, caller.sourceAddress(), done.detail());
        return done.value();
    }

    private static <T> T required(T update, String what) {
        if (update == null) {
            throw new TenancyException(Reason.INVALID, what, "the change to the " + what + " is required");
        }
        return update;
    }

    /** The id of the project's region, site, cluster or host with this name; NOT_FOUND otherwise. */
    private static String existing(Connection c, String table, Project p, String name) throws SQLException {
        String id = Sql.string(c, "SELECT id FROM " + table + " WHERE project_id = ? AND name = ?", p.id(), name);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, table + " '" + name + "' does not exist in '" + p.name() + "'");
        }
        return id;
    }

    private static long count(Connection c, String sql, Object... params) throws SQLException {
        return Sql.one(c, sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static String changes(String place, Map<String, String> meta) {
        return (place == null ? "" : "moved to " + (blank(place) == null ? "(none)" : place.strip()) + "; ")
                + (meta == null ? "metadata kept" : "metadata " + meta.keySet());
    }

    private static Fleet.Region loadRegion(Connection c, String id) throws SQLException {
        Map<String, String> meta = Labels.metadataOfObjects(c, "metadata", "object_id", List.of(id), " AND object_type = 'REGION'")
                .getOrDefault(id, Map.of());
        return Sql.one(c, "SELECT r.name, p.name, r.created_at FROM region r LEFT JOIN region p ON p.id = r.parent_id"
                + " WHERE r.id = ?", rs -> new Fleet.Region(rs.getString(1), rs.getString(2), meta, Sql.instant(rs, 3)), id).orElseThrow();
    }

    private static Fleet.Site loadSite(Connection c, String id) throws SQLException {
        Map<String, String> meta = Labels.metadataOfObjects(c, "metadata", "object_id", List.of(id), " AND object_type = 'SITE'")
                .getOrDefault(id, Map.of());
        return Sql.one(c, "SELECT s.name, r.name, s.address, s.latitude, s.longitude, s.created_at FROM site s"
                + " LEFT JOIN region r ON r.id = s.region_id WHERE s.id = ?", rs -> new Fleet.Site(rs.getString(1), rs.getString(2),
                rs.getString(3), (Double) rs.getObject(4), (Double) rs.getObject(5), meta, Sql.instant(rs, 6)), id).orElseThrow();
    }

    private static void replaceMetadata(Connection c, String type, String id, Map<String, String> meta) throws SQLException {
        Sql.update(c, "DELETE FROM metadata WHERE object_type = ? AND object_id = ?", type, id);
        putMetadata(c, type, id, meta);
    }

    // ---- validation and small helpers -----------------------------------------------------------

    private static void siteFields(String address, Double latitude, Double longitude) {
        if (latitude != null && (latitude.isNaN() || latitude < -90 || latitude > 90)) {
            throw new TenancyException(Reason.INVALID, "latitude", "latitude must be between -90 and 90");
        }
        if (longitude != null && (longitude.isNaN() || longitude < -180 || longitude > 180)) {
            throw new TenancyException(Reason.INVALID, "longitude", "longitude must be between -180 and 180");
        }
        TenancyException.invalidIf("address", Inputs.textProblem("address", address, 255));
    }

    private static void template(String template) {
        TenancyException.invalidIf("template", Inputs.nameRuleProblem("template", template));
    }

    private static HostRegistration validate(HostRegistration r) {
        if (r == null) {
            throw new TenancyException(Reason.INVALID, "host", "a host registration is required");
        }
        name(r.name());
        String serial = blank(r.serialNumber());
        String uuid = blank(r.uuid());
        if (serial == null && uuid == null) {
            throw new TenancyException(Reason.INVALID, "serialNumber", "a host needs a serial number, a UUID, or both");
        }
        if (serial != null && !SERIAL.matcher(serial).matches()) {
            throw new TenancyException(Reason.INVALID, "serialNumber", "serial number '" + Inputs.prefix(serial)
                    + "' must be 1-128 characters of letters, digits and . _ : / -");
        }
        if (uuid != null) {
            try {
                uuid = UUID.fromString(uuid).toString();
            } catch (IllegalArgumentException e) {
                throw new TenancyException(Reason.INVALID, "uuid", "'" + Inputs.prefix(uuid) + "' is not a UUID");
            }
        }
        return new HostRegistration(r.name(), serial, uuid, blank(r.site()), metadata(r.metadata()), r.autoOnboard());
    }

    /** Names of regions, sites, hosts, clusters and enrolment tokens. */
    static void name(String name) {
        TenancyException.invalidIf("name", Inputs.nameRuleProblem("name", name));
    }

    private static Map<String, String> metadata(Map<String, String> metadata) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : (metadata == null ? Map.<String, String>of() : metadata).entrySet()) {
            if (e.getKey() == null || !META_KEY.matcher(e.getKey()).matches()) {
                throw new TenancyException(Reason.INVALID, "metadata", "metadata key '" + Inputs.prefix(e.getKey())
                        + "' must be 1-63 characters of a-z, 0-9, '.', '_' and '-'");
            }
            if (e.getValue() == null) {
                throw new TenancyException(Reason.INVALID, "metadata", "metadata value of '" + e.getKey() + "' is required");
            }
            TenancyException.invalidIf("metadata", Inputs.textProblem("metadata value of '" + e.getKey() + "'", e.getValue(), 255));
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static String identity(HostRegistration h) {
        return (h.serialNumber() == null ? "" : "serial " + h.serialNumber()) + (h.uuid() == null ? "" : " uuid " + h.uuid());
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String regionId(Connection c, String projectId, String name, String field) throws SQLException {
        String id = regionIdOrNull(c, projectId, name);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, field + " region '" + name + "' does not exist");
        }
        return id;
    }

    private static String regionIdOrNull(Connection c, String projectId, String name) throws SQLException {
        return Sql.string(c, "SELECT id FROM region WHERE project_id = ? AND name = ?", projectId, name);
    }

    private static String siteIdOrNull(Connection c, String projectId, String name) throws SQLException {
        return Sql.string(c, "SELECT id FROM site WHERE project_id = ? AND name = ?", projectId, name);
    }

    private static void putMetadata(Connection c, String type, String id, Map<String, String> meta) throws SQLException {
        for (Map.Entry<String, String> e : meta.entrySet()) {
            Sql.update(c, "INSERT INTO metadata (object_type, object_id, meta_key, meta_value) VALUES (?, ?, ?, ?)",
                    type, id, e.getKey(), e.getValue());
        }
    }

}
