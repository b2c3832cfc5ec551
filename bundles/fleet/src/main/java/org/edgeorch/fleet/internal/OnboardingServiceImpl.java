package org.edgeorch.fleet.internal;

import static org.edgeorch.fleet.internal.FleetServiceImpl.blank;
import static org.edgeorch.fleet.internal.FleetServiceImpl.name;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.edgeorch.platform.Inputs;
import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.FleetService;
import org.edgeorch.fleet.HostStatus;
import org.edgeorch.fleet.Onboarding;
import org.edgeorch.fleet.Onboarding.CertificateAuthorityInfo;
import org.edgeorch.fleet.Onboarding.EnrolmentToken;
import org.edgeorch.fleet.Onboarding.HostCertificate;
import org.edgeorch.fleet.Onboarding.HostReport;
import org.edgeorch.fleet.Onboarding.InventoryChange;
import org.edgeorch.fleet.Onboarding.IssuedToken;
import org.edgeorch.fleet.OnboardingService;
import org.edgeorch.fleet.SouthboundException;
import org.edgeorch.fleet.SouthboundService;
import org.edgeorch.fleet.AppChannel;
import org.edgeorch.fleet.TelemetryChannel;
import org.edgeorch.fleet.UpdateChannel;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.southbound.AgentStatus;
import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.DesiredApp;
import org.edgeorch.spi.southbound.DesiredState;
import org.edgeorch.spi.southbound.EnrolRequest;
import org.edgeorch.spi.southbound.EnrolResponse;
import org.edgeorch.spi.southbound.RenewRequest;
import org.edgeorch.spi.southbound.Report;
import org.edgeorch.spi.southbound.SyncRequest;
import org.edgeorch.store.Database;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.Sql;
import org.edgeorch.store.SqlWork;
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
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Onboarding and the southbound side of the fleet. The host certificate authority lives in the database
 * (shared by every orchestrator on it); certificates are recorded by serial number, so revoking one is a
 * row update every orchestrator sees on the host's next call. A timer marks hosts NO_CONNECTION after three
 * missed sync intervals: one UPDATE, harmless when several orchestrators run it.
 */
@Component(service = {OnboardingService.class, SouthboundService.class}, configurationPid = FleetConfig.PID)
@Designate(ocd = FleetConfig.class)
public class OnboardingServiceImpl implements OnboardingService, SouthboundService {

    private static final Logger LOG = LoggerFactory.getLogger(OnboardingServiceImpl.class);

    private static final Pattern KIND = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String TOKEN_PREFIX = "eoe_";
    private static final int MAX_REPORTS = 1000;
    private static final int MAX_PAGE = 500;
    /** Inventories larger than this (as JSON) are refused: a real one is a few KiB. */
    static final int MAX_INVENTORY_CHARS = 32_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final TenancyService tenancy;
    private final AuditLog audit;
    private final FleetService fleet;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final HostCertificateAuthority ca;
    private final int syncIntervalSeconds;
    private final Duration certificateValidity;
    private final ScheduledExecutorService liveness;
    /** Heartbeats not yet written: host id to time of its last sync. */
    private final Map<String, Instant> heartbeats = new ConcurrentHashMap<>();
    /** Digests of client certificates whose signature was checked. */
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    @Activate
    public OnboardingServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit,
                                 @Reference FleetService fleet, @Reference LeaderLeases leases, FleetConfig config) {
        this(db, tenancy, audit, fleet, Clock.systemUTC(), config.syncIntervalSeconds(),
                duration(config.hostCertificateValidity(), "hostCertificateValidity"),
                duration(config.authorityValidity(), "authorityValidity"), leases);
    }

    /**
     * @param livenessLeases the leases that elect the one orchestrator sweeping silent hosts to NO_CONNECTION; null
     *                 monitors nothing (tests call {@link #markSilentHosts()} themselves)
     */
    OnboardingServiceImpl(Database db, TenancyService tenancy, AuditLog audit, FleetService fleet, Clock clock,
                          int syncIntervalSeconds, Duration certificateValidity, Duration authorityValidity,
                          LeaderLeases livenessLeases) {
        if (syncIntervalSeconds < 1 || syncIntervalSeconds > 86_400) {
            throw new IllegalArgumentException("syncIntervalSeconds must be 1 to 86400, not " + syncIntervalSeconds);
        }
        this.db = db;
        this.tenancy = tenancy;
        this.audit = audit;
        this.fleet = fleet;
        this.clock = clock;
        this.syncIntervalSeconds = syncIntervalSeconds;
        this.certificateValidity = certificateValidity;
        this.ca = CertificateAuthorityStore.loadOrCreate(db, authorityValidity);
        if (livenessLeases != null) {
            this.liveness = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "edgeorch-fleet-liveness");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, syncIntervalSeconds / 2);
            this.liveness.scheduleWithFixedDelay(() -> markSilentHosts(livenessLeases), period, period, TimeUnit.SECONDS);
            // Every instance flushes the heartbeats of the hosts it served; only the leader sweeps.
            this.liveness.scheduleWithFixedDelay(this::flushHeartbeats, 2, 2, TimeUnit.SECONDS);
        } else {
            this.liveness = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (liveness != null) {
            liveness.shutdownNow();
        }
        flushHeartbeats();
    }

    private static Duration duration(String text, String name) {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not an ISO-8601 duration such as P30D", e);
        }
    }

    // ---- liveness -------------------------------------------------------------------------------

    /** Hosts that have not synced for three intervals go NO_CONNECTION. */
    int markSilentHosts() {
        return markSilentHosts(null);
    }

    static final String LIVENESS_JOB = "liveness-sweep";

    /** The sweep, fenced by the liveness lease when {@code leases} is given (only the leader sweeps). */
    private int markSilentHosts(LeaderLeases leases) {
        flushHeartbeats();
        try {
            Instant now = clock.instant();
            Instant cutoff = now.minusSeconds(3L * syncIntervalSeconds);
            String why = "no sync for " + 3 * syncIntervalSeconds + " s (three intervals)";
            SqlWork<Integer> sweep = c -> {
                if (events == null) {
                    return Sql.update(c, "UPDATE host SET status = ?, status_reason = ?, status_changed_at = ?"
                                    + " WHERE status IN (?, ?, ?) AND last_seen_at < ?", HostStatus.NO_CONNECTION, why, now,
                            HostStatus.ONBOARDED, HostStatus.RUNNING, HostStatus.ERROR, cutoff);
                }
                return markSilent(c, why, now, cutoff);
            };
            int changed = leases == null ? db.inTransaction(sweep) : leases.runAsLeader(LIVENESS_JOB, sweep).orElse(0);
            if (changed > 0) {
                LOG.info("{} host(s) went NO_CONNECTION", changed);
            }
            return changed;
        } catch (RuntimeException e) {
            LOG.warn("Cannot check host liveness: {}", e.toString());
            return 0;
        }
    }

    record Silent(String id, String projectId, String name, String status) {
    }

    /**
     * The sweep host by host (one batch), so that each host that went silent gets its event: a host whose sync or
     * heartbeat flush landed in between keeps its status and gets none.
     */
    private int markSilent(Connection c, String why, Instant now, Instant cutoff) throws SQLException {
        List<Silent> silent = Sql.list(c, "SELECT id, project_id, name, status FROM host WHERE status IN (?, ?, ?)"
                        + " AND last_seen_at < ?", rs -> new Silent(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4)), HostStatus.ONBOARDED, HostStatus.RUNNING, HostStatus.ERROR, cutoff);
        if (silent.isEmpty()) {
            return 0;
        }
        List<Event> changed = new ArrayList<>();
        try (PreparedStatement u = c.prepareStatement("UPDATE host SET status = ?, status_reason = ?, status_changed_at = ?"
                + " WHERE id = ? AND status IN (?, ?, ?) AND last_seen_at < ?")) {
            for (Silent h : silent) {
                Sql.bind(u, HostStatus.NO_CONNECTION, why, now, h.id(), HostStatus.ONBOARDED, HostStatus.RUNNING,
                        HostStatus.ERROR, cutoff);
                u.addBatch();
            }
            int[] counts = u.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    Silent h = silent.get(i);
                    changed.add(Event.of(h.projectId(), EventType.HOST_STATUS_CHANGED, h.name(), HostStatus.NO_CONNECTION,
                            h.status(), why));
                }
            }
        }
        publish(c, changed);
        return changed.size();
    }

    // ---- events ---------------------------------------------------------------------------------

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

    private void publish(Connection c, List<Event> list) throws SQLException {
        EventPublisher p = events;
        if (p != null && !list.isEmpty()) {
            p.publish(c, list);
        }
    }

    private void publish(Connection c, Event e) throws SQLException {
        publish(c, List.of(e));
    }

    // ---- enrolment tokens -----------------------------------------------------------------------

    @Override
    public IssuedToken createEnrolmentToken(Caller caller, String project, String name, String site, Duration validity,
                                            Integer maxUses) {
        Project p = tenancy.authorize(caller, project, Permission.HOST_REGISTER);
        name(name);
        if (validity == null || validity.compareTo(Duration.ofMinutes(1)) < 0 || validity.compareTo(Duration.ofDays(365)) > 0) {
            throw new TenancyException(Reason.INVALID, "validity", "validity must be from 1 minute to 365 days");
        }
        if (maxUses != null && (maxUses < 1 || maxUses > 1_000_000)) {
            throw new TenancyException(Reason.INVALID, "maxUses", "maxUses must be 1 to 1000000, or absent for no limit");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Instant expires = now.plus(validity);
        String siteName = blank(site);
        db.inTransaction(c -> {
            String siteId = null;
            if (siteName != null) {
                siteId = Sql.string(c, "SELECT id FROM site WHERE project_id = ? AND name = ?", p.id(), siteName);
                if (siteId == null) {
                    throw new TenancyException(Reason.NOT_FOUND, "site", "site '" + siteName + "' does not exist");
                }
            }
            if (Sql.string(c, "SELECT id FROM enrolment_token WHERE project_id = ? AND name = ?", p.id(), name) != null) {
                throw new TenancyException(Reason.CONFLICT, "enrolment token '" + name + "' already exists in '" + project + "'");
            }
            Sql.update(c, "INSERT INTO enrolment_token (id, project_id, name, secret_sha256, site_id, expires_at, max_uses, uses,"
                            + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)", UUID.randomUUID().toString(), p.id(),
                    name, sha256(secret), siteId, expires, maxUses == null ? new Sql.Null(java.sql.Types.INTEGER) : maxUses,
                    caller.username(), now);
            return null;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "enrolment-token.create", "enrolment-token", name, Outcome.SUCCESS,
                caller.sourceAddress(), "expires " + expires + (maxUses == null ? "" : ", " + maxUses + " uses"));
        return new IssuedToken(new EnrolmentToken(name, siteName, expires, maxUses, 0, caller.username(), now, null), secret);
    }

    @Override
    public List<EnrolmentToken> enrolmentTokens(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> Sql.list(c, "SELECT t.name, s.name, t.expires_at, t.max_uses, t.uses, t.created_by, t.created_at,"
                + " t.revoked_at FROM enrolment_token t LEFT JOIN site s ON s.id = t.site_id WHERE t.project_id = ? ORDER BY t.name",
                rs -> new EnrolmentToken(rs.getString(1), rs.getString(2), Sql.instant(rs, 3),
                        rs.getObject(4) == null ? null : rs.getInt(4), rs.getInt(5), rs.getString(6), Sql.instant(rs, 7),
                        Sql.instant(rs, 8)), p.id()));
    }

    @Override
    public void revokeEnrolmentToken(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.HOST_REGISTER);
        int n = db.inTransaction(c -> Sql.update(c, "UPDATE enrolment_token SET revoked_at = ? WHERE project_id = ? AND name = ?"
                + " AND revoked_at IS NULL", clock.instant(), p.id(), name));
        if (n == 0) {
            throw new TenancyException(Reason.NOT_FOUND, "no enrolment token '" + name + "' to revoke in '" + project + "'");
        }
        audit.record(caller.username(), p.orgId(), p.id(), "enrolment-token.revoke", "enrolment-token", name, Outcome.SUCCESS,
                caller.sourceAddress(), null);
    }

    // ---- host lifecycle -------------------------------------------------------------------------

    @Override
    public Fleet.Host invalidateHost(Caller caller, String project, String host, String reason) {
        Project p = tenancy.authorize(caller, project, Permission.HOST_WRITE);
        String why = blank(reason) == null ? "invalidated by " + caller.username() : reason.strip();
        TenancyException.invalidIf("reason", Inputs.textProblem("reason", why, 255));
        Instant now = clock.instant();
        int revoked = db.inTransaction(c -> {
            String id = hostId(c, p.id(), host, project);
            String before = Sql.string(c, "SELECT status FROM host WHERE id = ?", id);
            Sql.update(c, "UPDATE host SET status = ?, status_reason = ?, status_changed_at = ? WHERE id = ?",
                    HostStatus.INVALIDATED, why, now, id);
            if (!HostStatus.INVALIDATED.name().equals(before)) {
                publish(c, Event.of(p.id(), EventType.HOST_STATUS_CHANGED, host, HostStatus.INVALIDATED, before, why));
            }
            return revoke(c, id, HostStatus.INVALIDATED.name(), now);
        });
        audit.record(caller.username(), p.orgId(), p.id(), "host.invalidate", "host", host, Outcome.SUCCESS,
                caller.sourceAddress(), why + "; " + revoked + " certificate(s) revoked");
        return fleet.host(caller, project, host);
    }

    @Override
    public void deleteHost(Caller caller, String project, String host) {
        Project p = tenancy.authorize(caller, project, Permission.HOST_WRITE);
        Instant now = clock.instant();
        int revoked = db.inTransaction(c -> {
            String id = hostId(c, p.id(), host, project);
            int n = revoke(c, id, HostStatus.DELETED.name(), now);
            for (String table : List.of("host_report", "host_inventory_change", "host_inventory", "host_label", "cluster_host")) {
                Sql.update(c, "DELETE FROM " + table + " WHERE host_id = ?", id);
            }
            Sql.update(c, "DELETE FROM metadata WHERE object_type = 'HOST' AND object_id = ?", id);
            Sql.update(c, "DELETE FROM host WHERE id = ?", id);
            publish(c, Event.of(p.id(), EventType.HOST_DELETED, host, HostStatus.DELETED, null,
                    "deleted by " + caller.username()));
            return n;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "host.delete", "host", host, Outcome.SUCCESS,
                caller.sourceAddress(), revoked + " certificate(s) revoked");
    }

    private static int revoke(Connection c, String hostId, String reason, Instant now) throws SQLException {
        return Sql.update(c, "UPDATE host_certificate SET revoked_at = ?, revocation_reason = ? WHERE host_id = ? AND revoked_at IS NULL",
                now, reason, hostId);
    }

    private static String hostId(Connection c, String projectId, String host, String project) throws SQLException {
        String id = Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", projectId, host);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, "host '" + host + "' does not exist in '" + project + "'");
        }
        return id;
    }

    @Override
    public List<HostCertificate> certificates(Caller caller, String project, String host) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> Sql.list(c, "SELECT serial, not_before, not_after, revoked_at, revocation_reason"
                        + " FROM host_certificate WHERE host_id = ? ORDER BY not_before DESC",
                rs -> new HostCertificate(rs.getString(1), Sql.instant(rs, 2), Sql.instant(rs, 3), Sql.instant(rs, 4),
                        rs.getString(5)), hostId(c, p.id(), host, project)));
    }

    @Override
    public Onboarding.Inventory inventory(Caller caller, String project, String host) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> Sql.one(c, "SELECT sha256, reported_at, inventory FROM host_inventory WHERE host_id = ?",
                        rs -> new Onboarding.Inventory(host, rs.getString(1), Sql.instant(rs, 2), read(rs.getString(3))),
                        hostId(c, p.id(), host, project))
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "host '" + host + "' has not reported an inventory yet")));
    }

    private HardwareInventory read(String text) {
        try {
            return json.readValue(text, HardwareInventory.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored inventory is not readable", e);
        }
    }

    @Override
    public List<InventoryChange> inventoryChanges(Caller caller, String project, String host, int offset, int limit) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        page(offset, limit);
        return db.inTransaction(c -> Sql.list(c, "SELECT id, changed_at, sections, summary FROM host_inventory_change"
                        + " WHERE host_id = ? ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                rs -> new InventoryChange(rs.getLong(1), Sql.instant(rs, 2), Arrays.asList(rs.getString(3).split(",")),
                        rs.getString(4)), hostId(c, p.id(), host, project), offset, limit));
    }

    @Override
    public List<HostReport> reports(Caller caller, String project, String host, int offset, int limit) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        page(offset, limit);
        return db.inTransaction(c -> Sql.list(c, "SELECT seq, occurred_at, received_at, kind, detail FROM host_report"
                        + " WHERE host_id = ? ORDER BY seq DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                rs -> new HostReport(rs.getLong(1), Sql.instant(rs, 2), Sql.instant(rs, 3), rs.getString(4), rs.getString(5)),
                hostId(c, p.id(), host, project), offset, limit));
    }

    private static void page(int offset, int limit) {
        if (offset < 0) {
            throw new TenancyException(Reason.INVALID, "offset", "offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new TenancyException(Reason.INVALID, "limit", "limit must be 1 to " + MAX_PAGE);
        }
    }

    @Override
    public CertificateAuthorityInfo certificateAuthority() {
        return new CertificateAuthorityInfo(HostCertificateAuthority.pem(ca.certificate()),
                HostCertificateAuthority.fingerprint(ca.certificate()), ca.certificate().getNotAfter().toInstant());
    }

    // ---- southbound: enrolment ------------------------------------------------------------------

    private record Candidate(String hostId, String hostName, String projectId, String projectName, String orgId,
                             HostStatus status) {
    }

    /** Several projects claimed the node's identity with auto-onboard: each claimant is told, none is named to another. */
    private static final class AmbiguousClaim extends SouthboundException {
        private static final long serialVersionUID = 1L;
        private final transient List<Candidate> claims;

        AmbiguousClaim(List<Candidate> claims) {
            super(409, "AMBIGUOUS", "several projects registered this host with auto-onboard; enrol with a token, whose"
                    + " project alone decides");
            this.claims = List.copyOf(claims);
        }
    }

    private record Token(String id, String projectId, String projectName, String orgId, String siteId, Instant expiresAt,
                         Integer maxUses, int uses, Instant revokedAt, String name) {
    }

    @Override
    public EnrolResponse enrol(EnrolRequest r, String sourceAddress) {
        if (r == null) {
            throw new SouthboundException(400, "INVALID", "an enrolment request is required");
        }
        String serial = blank(r.serialNumber());
        String uuid = blank(r.uuid());
        if (serial == null && uuid == null) {
            throw new SouthboundException(400, "INVALID", "a serial number, a UUID or both are required");
        }
        if (serial != null && serial.length() > 128) {
            throw new SouthboundException(400, "INVALID", "the serial number must be at most 128 characters");
        }
        if (uuid != null) {
            try {
                uuid = UUID.fromString(uuid).toString();
            } catch (IllegalArgumentException e) {
                throw new SouthboundException(400, "INVALID", "'" + uuid + "' is not a UUID");
            }
        }
        String identity = (serial == null ? "" : "serial " + serial + " ") + (uuid == null ? "" : "uuid " + uuid);
        String theUuid = uuid;
        Instant now = clock.instant();
        String token = blank(r.token());
        String how = token == null ? "auto-onboarded by " + identity.strip() : "enrolled with a token, " + identity.strip();
        record Enrolled(Candidate host, X509Certificate cert) {
        }
        Enrolled done;
        try {
            // One transaction: the token's use, the host, the certificate and its record stand or fall together
            // (a bad CSR spends no use), and one commit is all an enrolment costs the database.
            done = db.inTransaction(c -> {
                Candidate host = token == null ? autoOnboard(c, serial, theUuid)
                        : enrolByToken(c, token, serial, theUuid, r.hostname(), now);
                completeIdentity(c, host, serial, theUuid);
                X509Certificate cert;
                try {
                    cert = ca.signHost(r.csr(), host.projectName(), host.hostName(), certificateValidity);
                } catch (IllegalArgumentException e) {
                    throw new SouthboundException(400, "INVALID_CSR", e.getMessage());
                }
                Sql.update(c, "UPDATE host_certificate SET revoked_at = ?, revocation_reason = 'REENROLLED' WHERE host_id = ?"
                        + " AND revoked_at IS NULL", now, host.hostId());
                record(c, cert, host.hostId(), host.projectId(), host.hostName());
                Sql.update(c, "UPDATE host SET status = ?, status_reason = ?, status_changed_at = ?, onboarded_at = ?,"
                        + " last_seen_at = ? WHERE id = ?", HostStatus.ONBOARDED, how, now, now, now, host.hostId());
                publish(c, Event.of(host.projectId(), EventType.HOST_ONBOARDED, host.hostName(), HostStatus.ONBOARDED,
                        host.status(), how));
                if (token != null) {
                    countUse(c, token);
                }
                return new Enrolled(host, cert);
            });
        } catch (SouthboundException e) {
            audit.record("node", null, null, "host.enrol", "host", identity.strip(), Outcome.DENIED, sourceAddress, e.getMessage());
            if (e instanceof AmbiguousClaim a) {
                // Every claimant's admins learn that their claim was not honoured, in their own audit, and how many
                // other organisations claim the node too; no other tenant's project or host is named.
                long organisations = a.claims.stream().map(Candidate::orgId).distinct().count();
                for (Candidate claim : a.claims) {
                    long others = a.claims.stream().map(Candidate::orgId).filter(o -> !o.equals(claim.orgId())).distinct().count();
                    audit.record("node", claim.orgId(), claim.projectId(), "host.auto-onboard", "host", claim.hostName(),
                            Outcome.DENIED, sourceAddress, "auto-onboard by " + identity.strip() + " refused: "
                                    + a.claims.size() + " projects in " + organisations + " organisation(s) claim this node ("
                                    + others + " other organisation(s)); enrol it with this project's token");
                }
            }
            throw e;
        }
        Candidate host = done.host();
        X509Certificate cert = done.cert();
        audit.record("host:" + host.hostName(), host.orgId(), host.projectId(), "host.enrol", "host", host.hostName(),
                Outcome.SUCCESS, sourceAddress, how);
        return response(host.projectName(), host.hostName(), cert);
    }

    private EnrolResponse response(String project, String host, X509Certificate cert) {
        return new EnrolResponse(project, host, HostCertificateAuthority.pem(cert), HostCertificateAuthority.pem(ca.certificate()),
                cert.getNotAfter().getTime(), syncIntervalSeconds);
    }

    private static void record(Connection c, X509Certificate cert, String hostId, String projectId, String hostName)
            throws SQLException {
        Sql.update(c, "INSERT INTO host_certificate (serial, host_id, project_id, host_name, not_before, not_after)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", cert.getSerialNumber().toString(16), hostId, projectId, hostName,
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }

    /**
     * A host found by one identity learns the other the node reports: a host pre-registered by serial number gets
     * its UUID at enrolment (and one registered by UUID its serial number), unless another host of the project
     * already has that UUID.
     */
    private static void completeIdentity(Connection c, Candidate host, String serial, String uuid) throws SQLException {
        if (uuid != null && Sql.one(c, "SELECT id FROM host WHERE project_id = ? AND uuid = ?", rs -> rs.getString(1),
                host.projectId(), uuid).isEmpty()) {
            Sql.update(c, "UPDATE host SET uuid = ? WHERE id = ? AND uuid IS NULL", uuid, host.hostId());
        }
        if (serial != null) {
            Sql.update(c, "UPDATE host SET serial_number = ? WHERE id = ? AND serial_number IS NULL", serial, host.hostId());
        }
    }

    private static final String CANDIDATE = "SELECT h.id, h.name, h.project_id, p.name, p.org_id, h.status FROM host h"
            + " JOIN project p ON p.id = h.project_id";

    private static Candidate candidate(java.sql.ResultSet rs) throws SQLException {
        return new Candidate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                HostStatus.valueOf(rs.getString(6)));
    }

    /** A pre-registered host with auto-onboard on, found by UUID (else by serial among hosts without UUID). */
    private static Candidate autoOnboard(Connection c, String serial, String uuid) throws SQLException {
        List<Candidate> found = uuid != null
                ? Sql.list(c, CANDIDATE + " WHERE h.uuid = ? AND h.auto_onboard = ?", OnboardingServiceImpl::candidate, uuid, true)
                : List.of();
        if (found.isEmpty() && serial != null) {
            found = Sql.list(c, CANDIDATE + " WHERE h.serial_number = ? AND h.uuid IS NULL AND h.auto_onboard = ?",
                    OnboardingServiceImpl::candidate, serial, true);
        }
        if (found.isEmpty()) {
            throw new SouthboundException(401, "NOT_REGISTERED", "no enrolment token given, and no host registered with"
                    + " auto-onboard has this serial number or UUID");
        }
        if (found.size() > 1) {
            throw new AmbiguousClaim(found);
        }
        Candidate h = found.get(0);
        if (h.status() != HostStatus.REGISTERED) {
            throw new SouthboundException(409, "ALREADY_ONBOARDED", "host '" + h.hostName() + "' is " + h.status()
                    + "; auto-onboard works once, enrol again with a token");
        }
        return h;
    }

    private Candidate enrolByToken(Connection c, String secret, String serial, String uuid, String hostname, Instant now)
            throws SQLException {
        Token t = Sql.one(c, "SELECT t.id, t.project_id, p.name, p.org_id, t.site_id, t.expires_at, t.max_uses, t.uses, t.revoked_at,"
                        + " t.name FROM enrolment_token t JOIN project p ON p.id = t.project_id WHERE t.secret_sha256 = ?",
                rs -> new Token(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        Sql.instant(rs, 6), rs.getObject(7) == null ? null : rs.getInt(7), rs.getInt(8), Sql.instant(rs, 9),
                        rs.getString(10)), sha256(secret)).orElseThrow(() ->
                new SouthboundException(401, "TOKEN_UNKNOWN", "the enrolment token is not known"));
        if (t.revokedAt() != null) {
            throw new SouthboundException(401, "TOKEN_REVOKED", "enrolment token '" + t.name() + "' was revoked");
        }
        if (!now.isBefore(t.expiresAt())) {
            throw new SouthboundException(401, "TOKEN_EXPIRED", "enrolment token '" + t.name() + "' expired at " + t.expiresAt());
        }
        if (t.maxUses() != null && t.uses() >= t.maxUses()) {
            throw usedUp(t.name(), t.maxUses());
        }
        Optional<Candidate> existing = uuid != null
                ? Sql.one(c, CANDIDATE + " WHERE h.project_id = ? AND h.uuid = ?", OnboardingServiceImpl::candidate, t.projectId(), uuid)
                : Optional.empty();
        if (existing.isEmpty() && serial != null) {
            existing = Sql.one(c, CANDIDATE + " WHERE h.project_id = ? AND h.serial_number = ? AND h.uuid IS NULL",
                    OnboardingServiceImpl::candidate, t.projectId(), serial);
        }
        if (existing.isPresent()) {
            Candidate h = existing.get();
            if (h.status() == HostStatus.INVALIDATED) {
                throw new SouthboundException(403, "HOST_INVALIDATED", "host '" + h.hostName() + "' was invalidated;"
                        + " delete and register it again to onboard it");
            }
            return h;
        }
        String name = freeName(c, t.projectId(), hostname, serial, uuid);
        String id = UUID.randomUUID().toString();
        Sql.update(c, "INSERT INTO host (id, project_id, site_id, name, serial_number, uuid, status, status_reason,"
                        + " status_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, t.projectId(), t.siteId(), name,
                serial, uuid, HostStatus.REGISTERED, "registered by enrolment token '" + t.name() + "'", now, now);
        Labels.Context labels = Labels.context(c, t.projectId());
        for (Map.Entry<String, String> e : labels.effective(t.siteId(), Map.of()).entrySet()) {
            Sql.update(c, "INSERT INTO host_label (host_id, project_id, meta_key, meta_value) VALUES (?, ?, ?, ?)",
                    id, t.projectId(), e.getKey(), e.getValue());
        }
        return new Candidate(id, name, t.projectId(), t.projectName(), t.orgId(), HostStatus.REGISTERED);
    }

    /**
     * Counts a use of the token, checking the limit in the same statement so that two nodes racing for the
     * last use cannot both win. Last in the enrolment's transaction: the row lock it takes is held only
     * until the commit, so enrolments with one token do not queue behind each other's work.
     */
    private static void countUse(Connection c, String secret) throws SQLException {
        if (Sql.update(c, "UPDATE enrolment_token SET uses = uses + 1 WHERE secret_sha256 = ? AND (max_uses IS NULL OR uses < max_uses)",
                sha256(secret)) == 0) {
            throw usedUp(Sql.string(c, "SELECT name FROM enrolment_token WHERE secret_sha256 = ?", sha256(secret)), null);
        }
    }

    private static SouthboundException usedUp(String token, Integer maxUses) {
        return new SouthboundException(401, "TOKEN_USED_UP", "enrolment token '" + token + "' has been used "
                + (maxUses == null ? "as often as it may" : maxUses + " times") + ", its limit");
    }

    /** A host name from the node's hostname (else its serial or UUID), made unique in the project. */
    private static String freeName(Connection c, String projectId, String hostname, String serial, String uuid)
            throws SQLException {
        String base = hostname == null ? "" : hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
                .replaceAll("^-+", "");
        if (base.isEmpty()) {
            base = "host-" + (serial != null ? serial : uuid).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        }
        base = base.length() > 50 ? base.substring(0, 50) : base;
        String name = base;
        for (int i = 2; Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", projectId, name) != null; i++) {
            name = base + "-" + i;
        }
        return name;
    }

    // ---- southbound: calls with a host certificate ----------------------------------------------

    @Override
    public HostIdentity authenticate(X509Certificate certificate, String sourceAddress) {
        if (certificate == null) {
            throw new SouthboundException(401, "CERTIFICATE_REQUIRED", "this call needs the host's client certificate (mutual TLS)");
        }
        verifyIssuedByUs(certificate);
        String serial = certificate.getSerialNumber().toString(16);
        record Row(String hostId, String hostName, String projectId, String projectName, String orgId, Instant notBefore,
                   Instant notAfter, Instant revokedAt, String revocationReason, String status, String agentVersion) {
        }
        Row row = db.inTransaction(c -> Sql.one(c, "SELECT hc.host_id, hc.host_name, hc.project_id, p.name, p.org_id, hc.not_before,"
                        + " hc.not_after, hc.revoked_at, hc.revocation_reason, h.status, h.agent_version FROM host_certificate hc"
                        + " JOIN project p ON p.id = hc.project_id LEFT JOIN host h ON h.id = hc.host_id WHERE hc.serial = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        Sql.instant(rs, 6), Sql.instant(rs, 7), Sql.instant(rs, 8), rs.getString(9), rs.getString(10),
                        rs.getString(11)), serial)
                .orElse(null));
        SouthboundException refusal = null;
        if (row == null) {
            refusal = new SouthboundException(401, "CERTIFICATE_UNKNOWN", "certificate " + serial + " is not on record");
        } else if (HostStatus.DELETED.name().equals(row.revocationReason()) || row.status() == null) {
            refusal = new SouthboundException(403, "HOST_DELETED", "host '" + row.hostName() + "' was deleted");
        } else if (HostStatus.INVALIDATED.name().equals(row.status())
                || HostStatus.INVALIDATED.name().equals(row.revocationReason())) {
            refusal = new SouthboundException(403, "HOST_INVALIDATED", "host '" + row.hostName() + "' was invalidated");
        } else if (row.revokedAt() != null) {
            refusal = new SouthboundException(401, "CERTIFICATE_REVOKED", "certificate " + serial + " was revoked ("
                    + row.revocationReason() + ")");
        } else if (!clock.instant().isBefore(row.notAfter())) {
            refusal = new SouthboundException(401, "CERTIFICATE_EXPIRED", "certificate " + serial + " expired at " + row.notAfter());
        }
        if (refusal != null) {
            audit.record(row == null ? "node" : "host:" + row.hostName(), row == null ? null : row.orgId(),
                    row == null ? null : row.projectId(), "host.call", "host", row == null ? serial : row.hostName(),
                    Outcome.DENIED, sourceAddress, refusal.code());
            throw refusal;
        }
        return new HostIdentity(row.hostId(), row.hostName(), row.projectId(), row.projectName(), row.orgId(), serial,
                row.notBefore(), row.notAfter(), HostStatus.valueOf(row.status()), row.agentVersion());
    }

    /**
     * The signature check, once per certificate: the TLS layer has already validated the chain, and checking
     * an ECDSA signature again on every sync would cost more than the rest of the call. Certificates are
     * remembered by the SHA-256 of their encoding, so a different certificate with a known serial is checked.
     */
    private void verifyIssuedByUs(X509Certificate certificate) {
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new SouthboundException(401, "CERTIFICATE_UNKNOWN", "the client certificate cannot be read");
        }
        if (verified.containsKey(digest)) {
            return;
        }
        try {
            certificate.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new SouthboundException(401, "CERTIFICATE_UNKNOWN", "the client certificate was not issued by this orchestrator");
        }
        if (verified.size() > 200_000) {
            verified.clear();
        }
        verified.put(digest, Boolean.TRUE);
    }

    /**
     * Writes the heartbeats collected since the last flush in one batched transaction. A sync that only says
     * "still here" changes nothing else, so it is not worth a commit of its own; losing up to a flush
     * interval of heartbeats in a crash delays NO_CONNECTION by as much, no more.
     */
    int flushHeartbeats() {
        if (heartbeats.isEmpty()) {
            return 0;
        }
        Map<String, Instant> batch = new HashMap<>();
        for (String id : List.copyOf(heartbeats.keySet())) {
            Instant at = heartbeats.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        try {
            db.inTransaction(c -> {
                try (PreparedStatement u = c.prepareStatement("UPDATE host SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL"
                        + " OR last_seen_at < ?)")) {
                    for (Map.Entry<String, Instant> e : batch.entrySet()) {
                        Sql.bind(u, e.getValue(), e.getKey(), e.getValue());
                        u.addBatch();
                    }
                    u.executeBatch();
                }
                return null;
            });
        } catch (RuntimeException e) {
            batch.forEach(heartbeats::putIfAbsent);
            LOG.warn("Cannot write {} heartbeats (kept for the next try): {}", batch.size(), e.toString());
        }
        return batch.size();
    }

    @Override
    public EnrolResponse renew(HostIdentity host, RenewRequest request, String sourceAddress) {
        X509Certificate cert;
        try {
            cert = ca.signHost(request == null ? null : request.csr(), host.projectName(), host.hostName(), certificateValidity);
        } catch (IllegalArgumentException e) {
            throw new SouthboundException(400, "INVALID_CSR", e.getMessage());
        }
        db.inTransaction(c -> {
            record(c, cert, host.hostId(), host.projectId(), host.hostName());
            return null;
        });
        audit.record("host:" + host.hostName(), host.orgId(), host.projectId(), "host.certificate.renew", "host", host.hostName(),
                Outcome.SUCCESS, sourceAddress, "certificate " + cert.getSerialNumber().toString(16) + " until " + cert.getNotAfter().toInstant());
        return response(host.projectName(), host.hostName(), cert);
    }

    @Override
    public SyncResult sync(HostIdentity host, SyncRequest r) {
        validate(r);
        Instant now = clock.instant();
        String inventoryJson = r.inventory() == null ? null : write(r.inventory());
        if (inventoryJson != null && inventoryJson.length() > MAX_INVENTORY_CHARS) {
            throw new SouthboundException(413, "INVENTORY_TOO_LARGE", "an inventory must be at most " + MAX_INVENTORY_CHARS
                    + " characters of JSON");
        }
        HostStatus wanted = r.status() == AgentStatus.ERROR ? HostStatus.ERROR : HostStatus.RUNNING;
        String reason = r.status() == AgentStatus.ERROR
                ? (blank(r.statusDetail()) == null ? "the agent reports an error" : r.statusDetail().strip())
                : "syncing";
        UpdateChannel updates = updateChannel;
        if (updates != null && (r.osVersion() != null || r.update() != null)) {
            updates.reported(host.projectId(), host.hostId(), blank(r.osVersion()), r.update());
        }
        UpdateChannel.HostUpdates planned = updates == null ? UpdateChannel.HostUpdates.NONE
                : updates.updatesFor(host.projectId(), host.hostId());
        AppChannel appChannel = this.appChannel;
        if (appChannel != null && r.apps() != null) {
            appChannel.reported(host.projectId(), host.hostId(), r.apps());
        }
        List<DesiredApp> apps = appChannel == null ? List.of() : appChannel.appsFor(host.projectId(), host.hostId());
        TelemetryChannel telemetry = telemetryChannel;
        int telemetryInterval = telemetry == null ? 0 : telemetry.telemetryIntervalSeconds(host.projectId());
        boolean onlyAlive = host.status() == wanted && Objects.equals(host.agentVersion(), blank(r.agentVersion()))
                && inventoryJson == null && (r.reports() == null || r.reports().isEmpty()) && wanted == HostStatus.RUNNING;
        SyncResult result = db.inTransaction(c -> {
            if (!onlyAlive) {
                Sql.update(c, "UPDATE host SET last_seen_at = ?, agent_version = ? WHERE id = ?", now, blank(r.agentVersion()),
                        host.hostId());
                // Only a change of status moves status_changed_at; an INVALIDATED host never comes back by syncing.
                // What it was, read only when the status looks about to change (the identity may be a moment old).
                String was = host.status() == wanted || events == null ? null
                        : Sql.string(c, "SELECT status FROM host WHERE id = ?", host.hostId());
                int moved = Sql.update(c, "UPDATE host SET status = ?, status_reason = ?, status_changed_at = ? WHERE id = ?"
                        + " AND status <> ? AND status <> ?", wanted, reason, now, host.hostId(), wanted, HostStatus.INVALIDATED);
                if (moved > 0) {
                    publish(c, Event.of(host.projectId(), EventType.HOST_STATUS_CHANGED, host.hostName(), wanted, was, reason));
                }
            }
            String inventorySha = inventoryJson == null
                    ? Sql.string(c, "SELECT sha256 FROM host_inventory WHERE host_id = ?", host.hostId())
                    : storeInventory(c, host, inventoryJson, r.inventorySha256(), now);
            long acked = storeReports(c, host, r.reports(), now);
            Map<String, String> metadata = new TreeMap<>();
            Sql.list(c, "SELECT meta_key, meta_value FROM host_label WHERE host_id = ?",
                    rs -> metadata.put(rs.getString(1), rs.getString(2)), host.hostId());
            long lifetime = Duration.between(host.notBefore(), host.notAfter()).toMillis();
            DesiredState desired = new DesiredState(host.projectName(), host.hostName(), metadata, syncIntervalSeconds,
                    host.notBefore().toEpochMilli() + lifetime * 2 / 3, planned.os(), planned.windows(), apps, telemetryInterval);
            // The hint stays out of the ETag: a host asked to come back sooner still gets 304 when nothing changed.
            int hint = planned.nextSyncSeconds() > 0 && planned.nextSyncSeconds() < syncIntervalSeconds ? planned.nextSyncSeconds() : 0;
            return new SyncResult(desired, "\"" + sha256(write(desired)).substring(0, 32) + "\"", acked, inventorySha, hint);
        });
        if (onlyAlive) {
            heartbeats.put(host.hostId(), now);
        }
        return result;
    }

    /** The observability side, when it runs: the project's telemetry interval into the desired state. */
    private volatile TelemetryChannel telemetryChannel;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTelemetryChannel(TelemetryChannel channel) {
        this.telemetryChannel = channel;
    }

    void unsetTelemetryChannel(TelemetryChannel gone) {
        if (telemetryChannel == gone) {
            telemetryChannel = null;
        }
    }

    /** The applications side, when it runs: desired apps in, app states out. */
    private volatile AppChannel appChannel;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAppChannel(AppChannel channel) {
        this.appChannel = channel;
    }

    void unsetAppChannel(AppChannel gone) {
        if (appChannel == gone) {
            appChannel = null;
        }
    }

    /** The scheduling side, when it runs: windows and desired OS in, update reports out. */
    private volatile UpdateChannel updateChannel;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setUpdateChannel(UpdateChannel channel) {
        this.updateChannel = channel;
    }

    void unsetUpdateChannel(UpdateChannel gone) {
        if (updateChannel == gone) {
            updateChannel = null;
        }
    }

    private static final int MAX_APPS = 256;

    private static void validate(SyncRequest r) {
        if (r == null || r.status() == null) {
            throw new SouthboundException(400, "INVALID", "a sync request with a status is required");
        }
        if (r.statusDetail() != null && r.statusDetail().length() > 255) {
            throw new SouthboundException(400, "INVALID", "statusDetail must be at most 255 characters");
        }
        if (r.agentVersion() != null && r.agentVersion().length() > 63) {
            throw new SouthboundException(400, "INVALID", "agentVersion must be at most 63 characters");
        }
        if (r.inventorySha256() != null && !SHA256.matcher(r.inventorySha256()).matches()) {
            throw new SouthboundException(400, "INVALID", "inventorySha256 must be 64 lower-case hex digits");
        }
        if (r.osVersion() != null && r.osVersion().length() > 128) {
            throw new SouthboundException(400, "INVALID", "osVersion must be at most 128 characters");
        }
        if (r.update() != null && (r.update().runId() == null || r.update().runId().length() > 36 || r.update().status() == null
                || (r.update().detail() != null && r.update().detail().length() > 1000) || r.update().progress() < 0
                || r.update().progress() > 100)) {
            throw new SouthboundException(400, "INVALID", "an update report needs a runId (at most 36 characters) and a status;"
                    + " detail at most 1000 characters, progress 0 to 100");
        }
        List<Report> reports = r.reports() == null ? List.of() : r.reports();
        if (reports.size() > MAX_REPORTS) {
            throw new SouthboundException(413, "TOO_MANY_REPORTS", "at most " + MAX_REPORTS + " reports per sync");
        }
        for (Report report : reports) {
            if (report == null || report.sequence() < 1 || report.kind() == null || !KIND.matcher(report.kind()).matches()
                    || (report.detail() != null && report.detail().length() > 1000)) {
                throw new SouthboundException(400, "INVALID", "a report needs a sequence from 1, a kind of A-Z, 0-9 and _"
                        + " (at most 32) and a detail of at most 1000 characters");
            }
        }
        if (r.apps() != null) {
            if (r.apps().size() > MAX_APPS) {
                throw new SouthboundException(413, "TOO_MANY_APPS", "at most " + MAX_APPS + " app states per sync");
            }
            for (AppReport app : r.apps()) {
                if (app == null || app.deployment() == null || app.deployment().isEmpty() || app.deployment().length() > 63
                        || app.state() == null || (app.version() != null && app.version().length() > 128)
                        || (app.reason() != null && app.reason().length() > 500)) {
                    throw new SouthboundException(400, "INVALID", "an app state needs a deployment (at most 63 characters)"
                            + " and a state; version at most 128 characters, reason at most 500");
                }
            }
        }
    }

    private String storeInventory(Connection c, HostIdentity host, String inventory, String agentSha, Instant now)
            throws SQLException {
        String sha = agentSha != null ? agentSha : sha256(inventory);
        String before = Sql.one(c, "SELECT inventory FROM host_inventory WHERE host_id = ?", rs -> rs.getString(1), host.hostId())
                .orElse(null);
        if (inventory.equals(before)) {
            Sql.update(c, "UPDATE host_inventory SET sha256 = ? WHERE host_id = ?", sha, host.hostId());
            return sha;
        }
        InventoryDiff.Change change;
        try {
            change = InventoryDiff.between(before == null ? null : json.readTree(before), json.readTree(inventory));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (before == null) {
            Sql.update(c, "INSERT INTO host_inventory (host_id, project_id, sha256, inventory, reported_at) VALUES (?, ?, ?, ?, ?)",
                    host.hostId(), host.projectId(), sha, inventory, now);
        } else {
            Sql.update(c, "UPDATE host_inventory SET sha256 = ?, inventory = ?, reported_at = ? WHERE host_id = ?",
                    sha, inventory, now, host.hostId());
        }
        Sql.update(c, "INSERT INTO host_inventory_change (host_id, project_id, changed_at, sections, summary) VALUES (?, ?, ?, ?, ?)",
                host.hostId(), host.projectId(), now, String.join(",", change.sections()), change.summary());
        return sha;
    }

    /** Stores reports numbered above what is stored; returns the highest number stored. */
    private static long storeReports(Connection c, HostIdentity host, List<Report> reports, Instant now) throws SQLException {
        long stored = Sql.one(c, "SELECT MAX(seq) FROM host_report WHERE host_id = ?", rs -> rs.getLong(1), host.hostId()).orElse(0L);
        if (reports == null || reports.isEmpty()) {
            return stored;
        }
        long highest = stored;
        List<Report> sorted = new ArrayList<>(reports);
        sorted.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        for (Report r : sorted) {
            if (r.sequence() > highest) {
                Sql.update(c, "INSERT INTO host_report (host_id, seq, project_id, occurred_at, received_at, kind, detail)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)", host.hostId(), r.sequence(), host.projectId(),
                        Instant.ofEpochMilli(r.at()), now, r.kind(), r.detail());
                highest = r.sequence();
            }
        }
        return highest;
    }

    @Override
    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    @Override
    public X509Certificate issueServerCertificate(PublicKey key, List<String> names, Duration validity) {
        return ca.signServer(key, names, validity);
    }

    // ---- small helpers --------------------------------------------------------------------------

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
