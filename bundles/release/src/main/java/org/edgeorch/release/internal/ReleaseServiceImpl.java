package org.edgeorch.release.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.edgeorch.platform.Inputs;
import org.edgeorch.release.ImageDelivery;
import org.edgeorch.release.OsCatalog;
import org.edgeorch.release.ReleaseRegistry;
import org.edgeorch.release.ReleaseService;
import org.edgeorch.release.SignatureVerifier;
import org.edgeorch.release.Releases.DetectionSource;
import org.edgeorch.release.Releases.EventOutcome;
import org.edgeorch.release.Releases.EventReason;
import org.edgeorch.release.Releases.OsProfile;
import org.edgeorch.release.Releases.OsResource;
import org.edgeorch.release.Releases.ProfileMode;
import org.edgeorch.release.Releases.ProfileSpec;
import org.edgeorch.release.Releases.Release;
import org.edgeorch.release.Releases.ReleaseEvent;
import org.edgeorch.release.Releases.ReleaseStatus;
import org.edgeorch.release.Releases.RevocationList;
import org.edgeorch.release.Releases.Signer;
import org.edgeorch.oci.OciClient;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.security.ReleaseTrust;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
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
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The release service: the platform-wide trust store and releases, and each project's OS profiles and
 * resources. Detection itself (registry reads, signature and digest checks, recording the outcome) is
 * {@link ReleaseDetector}; the Camel routes drive it through {@link Detection}.
 */
@Component(service = {ReleaseService.class, ImageDelivery.class, OsCatalog.class, Detection.class,
        SignatureVerifier.class, ReleaseRegistry.class}, configurationPid = ReleaseConfig.PID)
@Designate(ocd = ReleaseConfig.class)
public class ReleaseServiceImpl implements ReleaseService, ImageDelivery, OsCatalog, Detection, SignatureVerifier,
        ReleaseRegistry {

    static final String SYSTEM_ACTOR = "release-service";
    private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern ARCH = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MAX_PAGE = 500;

    static final String RELEASE_COLUMNS = "r.profile, r.version, r.os_type, r.architecture, r.image_digest, r.image_size,"
            + " r.security_feature, r.description, r.known_cves, r.fixed_cves, r.repository, r.manifest_digest, r.signer,"
            + " r.signer_fingerprint, r.created, r.detected_at, r.source, r.status";

    private final Database db;
    private final TenancyService tenancy;
    private final AuditLog audit;
    private final Clock clock;
    private final OciClient registry;
    private final String publicRegistryUrl;
    private final ImageCache cache;
    private final ReleaseDetector detector;

    @Activate
    public ReleaseServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit,
                              ReleaseConfig config) throws IOException {
        this(db, tenancy, audit, Clock.systemUTC(), config, cacheDir(config));
    }

    ReleaseServiceImpl(Database db, TenancyService tenancy, AuditLog audit, Clock clock, ReleaseConfig config,
                       Path cacheDir) throws IOException {
        this.db = db;
        this.tenancy = tenancy;
        this.audit = audit;
        this.clock = clock;
        String url = config.registryUrl().strip();
        String user = blank(config.registryUser());
        this.registry = url.isEmpty() ? null : new OciClient(URI.create(url),
                user == null ? null : new OciClient.Credentials(user, config.registryPassword()), Duration.ofSeconds(10),
                Duration.ofMinutes(10));
        String pub = config.registryPublicUrl().strip();
        this.publicRegistryUrl = pub.isEmpty() ? (url.isEmpty() ? null : url) : pub;
        if (config.cacheMaxMegabytes() < 1) {
            throw new IllegalArgumentException("cacheMaxMegabytes must be at least 1");
        }
        this.cache = new ImageCache(cacheDir, config.cacheMaxMegabytes() << 20, clock);
        String prefix = config.repositoryPrefix().strip();
        this.detector = new ReleaseDetector(db, audit, clock, registry, cache, prefix, Math.max(1, config.pageSize()),
                config.verifyImages(), this::trust);
    }

    @Override
    public Optional<OciClient> client() {
        return Optional.ofNullable(registry);
    }

    /** Stops the registry client's download threads. */
    @Deactivate
    void deactivate() {
        if (registry != null) {
            registry.close();
        }
    }

    private static Path cacheDir(ReleaseConfig config) {
        if (!config.cacheDir().isBlank()) {
            return Paths.get(config.cacheDir().strip());
        }
        String data = System.getProperty("karaf.data", "data");
        return Paths.get(data, "release-cache");
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ---- detection (for the routes) ---------------------------------------------------------------

    @Override
    public String repositoryPrefix() {
        return detector.prefix();
    }

    @Override
    public List<Candidate> pollCandidates() {
        return detector.pollCandidates();
    }

    @Override
    public Optional<ReleaseEvent> process(Candidate candidate, boolean force) {
        return detector.process(candidate, force);
    }

    // ---- releases ---------------------------------------------------------------------------------

    @Override
    public List<Release> releases(Caller caller, String profile, int offset, int limit) {
        signedIn(caller);
        checkPage(offset, limit);
        List<Release> all = db.inTransaction(c -> Sql.list(c, "SELECT " + RELEASE_COLUMNS + " FROM os_release r"
                + (profile == null ? "" : " WHERE r.profile = ?"), rs -> release(rs, 1),
                profile == null ? new Object[0] : new Object[] {profile}));
        return all.stream()
                .sorted((a, b) -> a.profile().equals(b.profile()) ? Versions.NEWEST_FIRST.compare(a.version(), b.version())
                        : a.profile().compareTo(b.profile()))
                .skip(offset).limit(limit).toList();
    }

    @Override
    public Release release(Caller caller, String profile, String version) {
        signedIn(caller);
        return db.inTransaction(c -> Sql.one(c, "SELECT " + RELEASE_COLUMNS + " FROM os_release r WHERE r.profile = ? AND r.version = ?",
                rs -> release(rs, 1), profile, version))
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "release " + profile + " " + version + " does not exist"));
    }

    @Override
    public List<ReleaseEvent> events(Caller caller, String profile, EventOutcome outcome, int offset, int limit) {
        platformAdmin(caller, "release-event.list", "release-event", profile);
        checkPage(offset, limit);
        StringBuilder sql = new StringBuilder("SELECT id, occurred_at, source, repository, tag, manifest_digest, profile,"
                + " version, outcome, reason, detail FROM release_event WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (profile != null) {
            sql.append(" AND profile = ?");
            params.add(profile);
        }
        if (outcome != null) {
            sql.append(" AND outcome = ?");
            params.add(outcome);
        }
        sql.append(" ORDER BY id DESC OFFSET ").append(offset).append(" ROWS FETCH NEXT ").append(limit).append(" ROWS ONLY");
        return db.inTransaction(c -> Sql.list(c, sql.toString(), ReleaseServiceImpl::event, params.toArray()));
    }

    @Override
    public List<ReleaseEvent> check(Caller caller, String repository, String tag) {
        platformAdmin(caller, "release.check", "release", repository == null ? "*" : repository + ":" + tag);
        if (registry == null) {
            throw new TenancyException(Reason.CONFLICT, "no release service is configured (registryUrl in org.edgeorch.release)");
        }
        List<ReleaseEvent> events = new ArrayList<>();
        if (repository != null || tag != null) {
            if (repository == null || tag == null) {
                throw new TenancyException(Reason.INVALID, repository == null ? "repository" : "tag",
                        "give both repository and tag, or neither");
            }
            if (!repository.startsWith(detector.prefix())) {
                throw new TenancyException(Reason.INVALID, "repository", "repository '" + repository
                        + "' is not under the release prefix '" + detector.prefix() + "'");
            }
            detector.process(new Candidate(repository, tag, null, DetectionSource.MANUAL), true).ifPresent(events::add);
            if (events.isEmpty()) {
                throw new TenancyException(Reason.NOT_FOUND, "the registry has no tag " + repository + ":" + tag);
            }
        } else {
            for (Candidate candidate : detector.pollCandidates()) {
                detector.process(new Candidate(candidate.repository(), candidate.tag(), null, DetectionSource.MANUAL), false)
                        .ifPresent(events::add);
            }
        }
        audit.record(caller.username(), null, null, "release.check", "release", repository == null ? "*" : repository + ":" + tag,
                Outcome.SUCCESS, caller.sourceAddress(), events.size() + " event(s)");
        return events;
    }

    // ---- trust store --------------------------------------------------------------------------------

    @Override
    public ReleaseSignatures.SignatureCheck verify(byte[] content, byte[] signatureDer) {
        return ReleaseSignatures.verify(content, signatureDer, trust(), clock.instant());
    }

    /** The trust store as it is now: every signer (revoked ones listed as revoked) and the CRLs. */
    ReleaseTrust trust() {
        return db.inTransaction(c -> {
            List<X509Certificate> anchors = new ArrayList<>();
            Set<String> revoked = new HashSet<>();
            Sql.list(c, "SELECT certificate, fingerprint, revoked_at FROM release_signer", rs -> {
                anchors.addAll(Pems.certificates(rs.getString(1)));
                if (rs.getTimestamp(3) != null) {
                    revoked.add(rs.getString(2));
                }
                return null;
            });
            List<X509CRL> crls = Sql.list(c, "SELECT crl FROM release_crl", rs -> Pems.crl(rs.getString(1)));
            return new ReleaseTrust(anchors, revoked, crls);
        });
    }

    @Override
    public List<Signer> signers(Caller caller) {
        platformAdmin(caller, "release-signer.list", "release-signer", null);
        return db.inTransaction(c -> Sql.list(c, "SELECT name, subject, fingerprint, not_before, not_after, added_by, added_at,"
                + " revoked_at, revocation_reason, certificate FROM release_signer ORDER BY added_at, name", ReleaseServiceImpl::signer));
    }

    @Override
    public Signer addSigner(Caller caller, String name, String certificatePem) {
        platformAdmin(caller, "release-signer.add", "release-signer", name);
        name(name);
        if (certificatePem == null || certificatePem.isBlank()) {
            throw new TenancyException(Reason.INVALID, "certificate", "certificate (PEM) is required");
        }
        if (certificatePem.length() > 8000) {
            throw new TenancyException(Reason.INVALID, "certificate", "certificate must be one PEM certificate of at most 8000 characters");
        }
        List<X509Certificate> certs;
        try {
            certs = Pems.certificates(certificatePem);
        } catch (RuntimeException e) {
            throw new TenancyException(Reason.INVALID, "certificate", "certificate is not a PEM X.509 certificate: " + e.getMessage());
        }
        if (certs.size() != 1) {
            throw new TenancyException(Reason.INVALID, "certificate", "give exactly one certificate, not " + certs.size());
        }
        X509Certificate cert = certs.get(0);
        String fingerprint = HostCertificateAuthority.fingerprint(cert);
        Instant now = clock.instant();
        String pem = HostCertificateAuthority.pem(cert);
        db.inTransaction(c -> {
            if (Sql.string(c, "SELECT id FROM release_signer WHERE name = ?", name) != null) {
                throw new TenancyException(Reason.CONFLICT, "release signer '" + name + "' already exists");
            }
            String existing = Sql.string(c, "SELECT name FROM release_signer WHERE fingerprint = ?", fingerprint);
            if (existing != null) {
                throw new TenancyException(Reason.CONFLICT, "this certificate is already trusted as '" + existing + "'");
            }
            return Sql.update(c, "INSERT INTO release_signer (id, name, fingerprint, subject, not_before, not_after, certificate,"
                            + " added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), name,
                    fingerprint, truncate(cert.getSubjectX500Principal().getName(), 512), cert.getNotBefore().toInstant(),
                    cert.getNotAfter().toInstant(), pem, caller.username(), now);
        });
        audit.record(caller.username(), null, null, "release-signer.add", "release-signer", name, Outcome.SUCCESS,
                caller.sourceAddress(), cert.getSubjectX500Principal().getName() + ", SHA-256 " + fingerprint);
        return signer(caller, name);
    }

    private Signer signer(Caller caller, String name) {
        return signers(caller).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "release signer '" + name + "' does not exist"));
    }

    @Override
    public Signer revokeSigner(Caller caller, String name, String reason) {
        platformAdmin(caller, "release-signer.revoke", "release-signer", name);
        String why = blank(reason) == null ? "revoked by " + caller.username() : reason.strip();
        TenancyException.invalidIf("reason", Inputs.textProblem("reason", why, 255));
        Instant now = clock.instant();
        List<String[]> withdrawn = db.inTransaction(c -> {
            String fingerprint = Sql.string(c, "SELECT fingerprint FROM release_signer WHERE name = ?", name);
            if (fingerprint == null) {
                throw new TenancyException(Reason.NOT_FOUND, "release signer '" + name + "' does not exist");
            }
            if (Sql.update(c, "UPDATE release_signer SET revoked_at = ?, revocation_reason = ? WHERE name = ? AND revoked_at IS NULL",
                    now, why, name) == 0) {
                throw new TenancyException(Reason.CONFLICT, "release signer '" + name + "' is already revoked");
            }
            return withdraw(c, fingerprint, "signer '" + name + "' was revoked: " + why, now);
        });
        audit.record(caller.username(), null, null, "release-signer.revoke", "release-signer", name, Outcome.SUCCESS,
                caller.sourceAddress(), why + "; " + withdrawn.size() + " release(s) withdrawn");
        return signer(caller, name);
    }

    /** Withdraws the releases signed by the certificate with this fingerprint; returns their profile and version. */
    private List<String[]> withdraw(Connection c, String fingerprint, String why, Instant now) throws SQLException {
        List<String[]> releases = Sql.list(c, "SELECT profile, version, repository, manifest_digest FROM os_release"
                        + " WHERE signer_fingerprint = ? AND status = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, fingerprint,
                ReleaseStatus.VERIFIED);
        Sql.update(c, "UPDATE os_release SET status = ? WHERE signer_fingerprint = ? AND status = ?", ReleaseStatus.REVOKED,
                fingerprint, ReleaseStatus.VERIFIED);
        for (String[] r : releases) {
            ReleaseDetector.insertEvent(c, now, DetectionSource.MANUAL, r[2], r[1], r[3], r[0], r[1], EventOutcome.WITHDRAWN,
                    EventReason.SIGNER_REVOKED, why);
        }
        return releases;
    }

    @Override
    public RevocationList addRevocationList(Caller caller, String crlPem) {
        platformAdmin(caller, "release-crl.add", "release-crl", null);
        if (crlPem == null || crlPem.isBlank() || crlPem.length() > 32_000) {
            throw new TenancyException(Reason.INVALID, "crl", "crl must be one PEM X.509 CRL of at most 32000 characters");
        }
        X509CRL crl;
        try {
            crl = Pems.crl(crlPem);
        } catch (RuntimeException e) {
            throw new TenancyException(Reason.INVALID, "crl", "crl is not a PEM X.509 CRL: " + e.getMessage());
        }
        String issuer = crl.getIssuerX500Principal().getName();
        ReleaseTrust trust = trust();
        boolean signedByAnchor = trust.anchors().stream().anyMatch(a -> {
            if (!a.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                return false;
            }
            try {
                crl.verify(a.getPublicKey());
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        if (!signedByAnchor) {
            throw new TenancyException(Reason.INVALID, "crl", "the CRL of '" + issuer
                    + "' is not signed by a trusted release signer or CA; add the CA first");
        }
        int entries = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        Instant now = clock.instant();
        String pem = HostCertificateAuthority.pem(crl);
        List<String[]> withdrawn = db.inTransaction(c -> {
            Sql.update(c, "DELETE FROM release_crl WHERE issuer = ?", truncate(issuer, 512));
            Sql.update(c, "INSERT INTO release_crl (issuer, crl, this_update, next_update, entries, added_by, added_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)", truncate(issuer, 512), pem, crl.getThisUpdate().toInstant(),
                    crl.getNextUpdate() == null ? new Sql.Null(java.sql.Types.TIMESTAMP) : crl.getNextUpdate().toInstant(),
                    entries, caller.username(), now);
            // Releases signed by a certificate this list revokes are withdrawn, as for a revoked signer.
            List<String[]> out = new ArrayList<>();
            if (crl.getRevokedCertificates() != null) {
                for (String fingerprint : Sql.strings(c, "SELECT DISTINCT signer_fingerprint FROM os_release WHERE status = ?",
                        ReleaseStatus.VERIFIED)) {
                    String certificatePem = Sql.string(c, "SELECT certificate FROM release_signer WHERE fingerprint = ?", fingerprint);
                    if (certificatePem != null && crl.isRevoked(Pems.certificates(certificatePem).get(0))) {
                        out.addAll(withdraw(c, fingerprint, "its signer is listed in the CRL of " + issuer, now));
                    }
                }
            }
            return out;
        });
        audit.record(caller.username(), null, null, "release-crl.add", "release-crl", truncate(issuer, 255), Outcome.SUCCESS,
                caller.sourceAddress(), entries + " revoked certificate(s); " + withdrawn.size() + " release(s) withdrawn");
        return new RevocationList(issuer, crl.getThisUpdate().toInstant(),
                crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant(), entries, caller.username(), now);
    }

    @Override
    public List<RevocationList> revocationLists(Caller caller) {
        platformAdmin(caller, "release-crl.list", "release-crl", null);
        return db.inTransaction(c -> Sql.list(c, "SELECT issuer, this_update, next_update, entries, added_by, added_at"
                + " FROM release_crl ORDER BY issuer", rs -> new RevocationList(rs.getString(1), Sql.instant(rs, 2),
                Sql.instant(rs, 3), rs.getInt(4), rs.getString(5), Sql.instant(rs, 6))));
    }

    // ---- OS profiles ---------------------------------------------------------------------------------

    @Override
    public List<OsProfile> profiles(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            List<String> names = Sql.strings(c, "SELECT name FROM os_profile WHERE project_id = ? ORDER BY name", p.id());
            List<OsProfile> out = new ArrayList<>();
            for (String name : names) {
                out.add(profile(c, p.id(), name, project));
            }
            return out;
        });
    }

    @Override
    public OsProfile profile(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> profile(c, p.id(), name, project));
    }

    private OsProfile profile(Connection c, String projectId, String name, String project) throws SQLException {
        String id = profileId(c, projectId, name, project);
        List<String> versions = Sql.strings(c, "SELECT r.version FROM os_resource o JOIN os_release r ON r.id = o.release_id"
                + " WHERE o.profile_id = ? AND r.status = ?", id, ReleaseStatus.VERIFIED);
        String latest = versions.stream().sorted(Versions.NEWEST_FIRST).findFirst().orElse(null);
        int count = Integer.parseInt(Sql.string(c, "SELECT COUNT(*) FROM os_resource WHERE profile_id = ?", id));
        return Sql.one(c, "SELECT name, release_profile, version_range, mode, architecture, description, created_at, updated_at"
                        + " FROM os_profile WHERE id = ?", rs -> new OsProfile(rs.getString(1), rs.getString(2), rs.getString(3),
                        ProfileMode.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), latest, count, Sql.instant(rs, 7),
                        Sql.instant(rs, 8)), id).orElseThrow();
    }

    private static String profileId(Connection c, String projectId, String name, String project) throws SQLException {
        String id = Sql.string(c, "SELECT id FROM os_profile WHERE project_id = ? AND name = ?", projectId, name);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, "OS profile '" + name + "' does not exist in '" + project + "'");
        }
        return id;
    }

    @Override
    public OsProfile createProfile(Caller caller, String project, String name, ProfileSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        name(name);
        if (spec == null) {
            throw new TenancyException(Reason.INVALID, "spec", "the profile's releaseProfile and versionRange are required");
        }
        String releaseProfile = releaseProfile(spec.releaseProfile());
        String range = Versions.range(spec.versionRange());
        ProfileMode mode = spec.mode() == null ? ProfileMode.AUTOMATIC : spec.mode();
        String arch = architecture(spec.architecture());
        String description = description(spec.description());
        Instant now = clock.instant();
        int offered = db.inTransaction(c -> {
            if (Sql.string(c, "SELECT id FROM os_profile WHERE project_id = ? AND name = ?", p.id(), name) != null) {
                throw new TenancyException(Reason.CONFLICT, "OS profile '" + name + "' already exists in '" + project + "'");
            }
            String id = UUID.randomUUID().toString();
            Sql.update(c, "INSERT INTO os_profile (id, project_id, name, release_profile, version_range, mode, architecture,"
                            + " description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, p.id(), name,
                    releaseProfile, range, mode, arch, description, now, now);
            return mode == ProfileMode.AUTOMATIC ? offerExisting(c, p.id(), id, releaseProfile, range, arch, now) : 0;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "os-profile.create", "os-profile", name, Outcome.SUCCESS,
                caller.sourceAddress(), releaseProfile + " " + range + " " + mode + "; " + offered + " release(s) offered");
        return profile(caller, project, name);
    }

    /** Offers every verified release of the profile in range that it does not hold yet; returns how many. */
    private int offerExisting(Connection c, String projectId, String profileId, String releaseProfile, String range,
                                     String arch, Instant now) throws SQLException {
        List<String[]> candidates = Sql.list(c, "SELECT r.id, r.version, r.architecture FROM os_release r WHERE r.profile = ?"
                        + " AND r.status = ? AND NOT EXISTS (SELECT 1 FROM os_resource o WHERE o.profile_id = ? AND o.release_id = r.id)",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, releaseProfile, ReleaseStatus.VERIFIED,
                profileId);
        int n = 0;
        for (String[] r : candidates) {
            if ((arch == null || arch.equals(r[2])) && Versions.satisfies(r[1], range)) {
                insertResource(c, projectId, profileId, r[0], SYSTEM_ACTOR, now, events);
                n++;
            }
        }
        return n;
    }

    static void insertResource(Connection c, String projectId, String profileId, String releaseId, String by, Instant now,
                               EventPublisher events) throws SQLException {
        Sql.update(c, "INSERT INTO os_resource (id, project_id, profile_id, release_id, imported_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), projectId, profileId, releaseId, by, now);
        if (events != null) {
            String[] named = Sql.one(c, "SELECT f.name, r.version, r.profile FROM os_profile f, os_release r WHERE f.id = ?"
                    + " AND r.id = ?", rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, profileId,
                    releaseId).orElseThrow();
            events.publish(c, Event.of(projectId, EventType.OS_RESOURCE_ADDED, named[0], "VERIFIED", null,
                    "release " + named[2] + " " + named[1] + " imported by " + by).with("version", named[1])
                    .with("release", named[2]));
        }
    }

    /** The event journal (the store's); absent only in tests that build this class without one. */
    private volatile EventPublisher events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(EventPublisher publisher) {
        this.events = publisher;
        detector.events(publisher);
    }

    void unsetEvents(EventPublisher gone) {
        if (events == gone) {
            events = null;
            detector.events(null);
        }
    }

    @Override
    public OsProfile updateProfile(Caller caller, String project, String name, ProfileSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        if (spec == null) {
            throw new TenancyException(Reason.INVALID, "spec", "nothing to change");
        }
        String releaseProfile = spec.releaseProfile() == null ? null : releaseProfile(spec.releaseProfile());
        String range = spec.versionRange() == null ? null : Versions.range(spec.versionRange());
        String arch = spec.architecture() == null ? null : architecture(spec.architecture());
        String description = spec.description() == null ? null : description(spec.description());
        Instant now = clock.instant();
        int offered = db.inTransaction(c -> {
            String id = profileId(c, p.id(), name, project);
            Sql.update(c, "UPDATE os_profile SET release_profile = COALESCE(?, release_profile),"
                            + " version_range = COALESCE(?, version_range), mode = COALESCE(?, mode), architecture = "
                            + (spec.architecture() == null ? "architecture" : "?")
                            + ", description = COALESCE(?, description), updated_at = ? WHERE id = ?",
                    spec.architecture() == null
                            ? new Object[] {releaseProfile, range, spec.mode(), description, now, id}
                            : new Object[] {releaseProfile, range, spec.mode(), arch, description, now, id});
            String[] now2 = Sql.one(c, "SELECT release_profile, version_range, mode, architecture FROM os_profile WHERE id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, id).orElseThrow();
            return ProfileMode.valueOf(now2[2]) == ProfileMode.AUTOMATIC
                    ? offerExisting(c, p.id(), id, now2[0], now2[1], now2[3], now) : 0;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "os-profile.update", "os-profile", name, Outcome.SUCCESS,
                caller.sourceAddress(), offered + " release(s) offered");
        return profile(caller, project, name);
    }

    @Override
    public void deleteProfile(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        int resources = db.inTransaction(c -> {
            String id = profileId(c, p.id(), name, project);
            int n = Sql.update(c, "DELETE FROM os_resource WHERE profile_id = ?", id);
            Sql.update(c, "DELETE FROM os_profile WHERE id = ?", id);
            return n;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "os-profile.delete", "os-profile", name, Outcome.SUCCESS,
                caller.sourceAddress(), resources + " OS resource(s) removed");
    }

    // ---- OS resources ------------------------------------------------------------------------------

    private static final String RESOURCE_QUERY = "SELECT r.version, o.imported_by, o.created_at, " + RELEASE_COLUMNS
            + " FROM os_resource o JOIN os_release r ON r.id = o.release_id WHERE o.profile_id = ?";

    @Override
    public List<OsResource> osResources(Caller caller, String project, String profile) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> resources(c, profileId(c, p.id(), profile, project), profile));
    }

    private static List<OsResource> resources(Connection c, String profileId, String profile) throws SQLException {
        List<OsResource> rows = Sql.list(c, RESOURCE_QUERY, rs -> new OsResource(profile, rs.getString(1), false, release(rs, 4),
                rs.getString(2), Sql.instant(rs, 3)), profileId);
        String latest = rows.stream().filter(r -> r.release().status() == ReleaseStatus.VERIFIED).map(OsResource::version)
                .sorted(Versions.NEWEST_FIRST).findFirst().orElse(null);
        return rows.stream().sorted((a, b) -> Versions.NEWEST_FIRST.compare(a.version(), b.version()))
                .map(r -> new OsResource(r.profile(), r.version(), r.version().equals(latest), r.release(), r.importedBy(),
                        r.createdAt())).toList();
    }

    @Override
    public OsResource osResource(Caller caller, String project, String profile, String version) {
        return osResources(caller, project, profile).stream().filter(r -> r.version().equals(version)).findFirst()
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "OS profile '" + profile + "' of '" + project
                        + "' has no version " + version));
    }

    @Override
    public OsResource importRelease(Caller caller, String project, String profile, String version) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        if (version == null || version.isBlank()) {
            throw new TenancyException(Reason.INVALID, "version", "version is required");
        }
        Instant now = clock.instant();
        db.inTransaction(c -> {
            String id = profileId(c, p.id(), profile, project);
            String[] prof = Sql.one(c, "SELECT release_profile, version_range, architecture FROM os_profile WHERE id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, id).orElseThrow();
            String[] rel = Sql.one(c, "SELECT id, status, architecture FROM os_release WHERE profile = ? AND version = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, prof[0], version)
                    .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "the release service has no verified release "
                            + prof[0] + " " + version));
            if (!ReleaseStatus.VERIFIED.name().equals(rel[1])) {
                throw new TenancyException(Reason.CONFLICT, "release " + prof[0] + " " + version + " was withdrawn (its signer was revoked)");
            }
            if (!Versions.satisfies(version, prof[1])) {
                throw new TenancyException(Reason.INVALID, "version", "version " + version + " is outside the profile's range " + prof[1]);
            }
            if (prof[2] != null && !prof[2].equals(rel[2])) {
                throw new TenancyException(Reason.INVALID, "version", "release " + version + " is for " + rel[2]
                        + "; the profile takes " + prof[2]);
            }
            if (Sql.string(c, "SELECT id FROM os_resource WHERE profile_id = ? AND release_id = ?", id, rel[0]) != null) {
                throw new TenancyException(Reason.CONFLICT, "OS profile '" + profile + "' already has version " + version);
            }
            insertResource(c, p.id(), id, rel[0], caller.username(), now, events);
            return null;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "os-resource.import", "os-resource", profile + "/" + version,
                Outcome.SUCCESS, caller.sourceAddress(), null);
        return osResource(caller, project, profile, version);
    }

    @Override
    public void removeOsResource(Caller caller, String project, String profile, String version) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        int n = db.inTransaction(c -> Sql.update(c, "DELETE FROM os_resource WHERE profile_id = ? AND release_id IN"
                + " (SELECT r.id FROM os_release r JOIN os_profile f ON f.release_profile = r.profile WHERE f.id = ? AND r.version = ?)",
                profileId(c, p.id(), profile, project), profileId(c, p.id(), profile, project), version));
        if (n == 0) {
            throw new TenancyException(Reason.NOT_FOUND, "OS profile '" + profile + "' of '" + project + "' has no version " + version);
        }
        audit.record(caller.username(), p.orgId(), p.id(), "os-resource.remove", "os-resource", profile + "/" + version,
                Outcome.SUCCESS, caller.sourceAddress(), null);
    }

    // ---- image delivery ------------------------------------------------------------------------------

    private Optional<String[]> offeredImage(String projectId, String digest) {
        return db.inTransaction(c -> Sql.one(c, "SELECT r.repository, r.image_size FROM os_resource o JOIN os_release r"
                        + " ON r.id = o.release_id WHERE o.project_id = ? AND r.image_digest = ? AND r.status = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, projectId, digest, ReleaseStatus.VERIFIED));
    }

    @Override
    public Optional<CachedImage> image(String projectId, String digest) {
        Optional<String[]> offered = offeredImage(projectId, digest);
        if (offered.isEmpty()) {
            return Optional.empty();
        }
        try {
            long size = Long.parseLong(offered.get()[1]);
            CachedImage hit = cache.cached(digest, size);
            if (hit != null) {
                return Optional.of(hit);
            }
            if (registry == null) {
                throw new IOException("no release service is configured to fetch " + digest + " from");
            }
            return Optional.of(cache.fetch(registry, offered.get()[0], digest, size));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<String> nodeRegistryUrl() {
        return publicRegistryUrl == null ? Optional.empty() : Optional.of(publicRegistryUrl.replaceAll("/+$", ""));
    }

    @Override
    public Optional<String> registryUrl(String projectId, String digest) {
        if (publicRegistryUrl == null) {
            return Optional.empty();
        }
        String base = publicRegistryUrl.endsWith("/") ? publicRegistryUrl.substring(0, publicRegistryUrl.length() - 1) : publicRegistryUrl;
        return offeredImage(projectId, digest).map(r -> base + "/v2/" + r[0] + "/blobs/" + digest);
    }

    // ---- the catalogue for scheduling ---------------------------------------------------------------

    @Override
    public Optional<OsImage> resource(String projectId, String profile, String version) {
        return images(projectId, profile).stream().filter(i -> i.version().equals(version)).findFirst();
    }

    @Override
    public Optional<OsImage> latest(String projectId, String profile) {
        return images(projectId, profile).stream().min((a, b) -> Versions.NEWEST_FIRST.compare(a.version(), b.version()));
    }

    private List<OsImage> images(String projectId, String profile) {
        return db.inTransaction(c -> Sql.list(c, "SELECT r.profile, r.version, r.image_digest, r.image_size, r.release_manifest,"
                        + " r.signature, r.repository FROM os_resource o JOIN os_profile f ON f.id = o.profile_id"
                        + " JOIN os_release r ON r.id = o.release_id WHERE o.project_id = ? AND f.name = ? AND r.status = ?",
                rs -> new OsImage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6), publicRegistryUrl == null ? null
                        : publicRegistryUrl.replaceAll("/$", "") + "/v2/" + rs.getString(7) + "/blobs/" + rs.getString(3)),
                projectId, profile, ReleaseStatus.VERIFIED));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static void signedIn(Caller caller) {
        if (caller == null) {
            throw new TenancyException(Reason.UNAUTHENTICATED, "sign in first");
        }
    }

    private void platformAdmin(Caller caller, String action, String objectType, String objectId) {
        signedIn(caller);
        if (!caller.platformAdmin()) {
            audit.record(caller.username(), caller.orgId(), null, action, objectType, objectId, Outcome.DENIED,
                    caller.sourceAddress(), "only platform administrators manage the release service");
            throw new TenancyException(Reason.FORBIDDEN, "only platform administrators manage the release service");
        }
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0) {
            throw new TenancyException(Reason.INVALID, "offset", "offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new TenancyException(Reason.INVALID, "limit", "limit must be 1 to " + MAX_PAGE);
        }
    }

    private static void name(String name) {
        TenancyException.invalidIf("name", Inputs.nameRuleProblem("name", name));
    }

    private static String releaseProfile(String profile) {
        if (profile == null || !PROFILE.matcher(profile).matches()) {
            throw new TenancyException(Reason.INVALID, "releaseProfile", "releaseProfile '" + Inputs.prefix(profile)
                    + "' must be 1-63 characters of a-z, 0-9, '.', '_' and '-'");
        }
        return profile;
    }

    private static String architecture(String arch) {
        if (arch == null || arch.isBlank()) {
            return null;
        }
        if (!ARCH.matcher(arch.strip()).matches()) {
            throw new TenancyException(Reason.INVALID, "architecture", "architecture '" + Inputs.prefix(arch) + "' must be 1-32 letters, digits, '_' or '-'");
        }
        return arch.strip();
    }

    private static String description(String description) {
        String d = description == null ? "" : description.strip();
        TenancyException.invalidIf("description", Inputs.textProblem("description", d, 1000));
        return d;
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static Release release(ResultSet rs, int i) throws SQLException {
        return new Release(rs.getString(i), rs.getString(i + 1), OsType.valueOf(rs.getString(i + 2)), rs.getString(i + 3),
                rs.getString(i + 4), rs.getLong(i + 5), rs.getString(i + 6), rs.getString(i + 7), cves(rs.getString(i + 8)),
                cves(rs.getString(i + 9)), rs.getString(i + 10), rs.getString(i + 11), rs.getString(i + 12),
                rs.getString(i + 13), rs.getString(i + 14), Sql.instant(rs, i + 15), DetectionSource.valueOf(rs.getString(i + 16)),
                ReleaseStatus.valueOf(rs.getString(i + 17)));
    }

    static List<String> cves(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }

    static ReleaseEvent event(ResultSet rs) throws SQLException {
        return new ReleaseEvent(rs.getLong(1), Sql.instant(rs, 2), DetectionSource.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), EventOutcome.valueOf(rs.getString(9)),
                rs.getString(10) == null ? null : EventReason.valueOf(rs.getString(10)), rs.getString(11));
    }

    private static Signer signer(ResultSet rs) throws SQLException {
        return new Signer(rs.getString(1), rs.getString(2), rs.getString(3), Sql.instant(rs, 4), Sql.instant(rs, 5),
                rs.getString(6), Sql.instant(rs, 7), Sql.instant(rs, 8), rs.getString(9), rs.getString(10));
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
