package org.edgeorch.apps.internal;

import org.edgeorch.security.SecretBox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.edgeorch.platform.Inputs;
import org.edgeorch.apps.AppService;
import org.edgeorch.apps.Apps;
import org.edgeorch.apps.Apps.AppManifest;
import org.edgeorch.apps.Apps.AppVersion;
import org.edgeorch.apps.Apps.Application;
import org.edgeorch.apps.Apps.Deployment;
import org.edgeorch.apps.Apps.DeploymentPackage;
import org.edgeorch.apps.Apps.DeploymentSpec;
import org.edgeorch.apps.Apps.PackageDeploymentSpec;
import org.edgeorch.apps.Apps.PackageEntry;
import org.edgeorch.apps.Apps.PackageVersion;
import org.edgeorch.apps.Apps.PackageVersionSpec;
import org.edgeorch.apps.Apps.DeploymentState;
import org.edgeorch.apps.Apps.DeploymentStatus;
import org.edgeorch.apps.Apps.HostAppStatus;
import org.edgeorch.apps.Apps.ParameterTemplate;
import org.edgeorch.apps.Apps.Profile;
import org.edgeorch.apps.Apps.ProfileSpec;
import org.edgeorch.apps.Apps.TargetHost;
import org.edgeorch.apps.Apps.TargetKind;
import org.edgeorch.apps.Selector;
import org.edgeorch.apps.internal.Parameters.FieldError;
import org.edgeorch.fleet.AppChannel;
import org.edgeorch.release.ImageDelivery;
import org.edgeorch.release.SignatureVerifier;
import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.AppState;
import org.edgeorch.security.ReleaseSignatures.SignatureCheck;
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
import org.osgi.service.metatype.annotations.Designate;


/**
 * Applications, versions, profiles and deployments of a project (migration {@code V20__apps.sql}).
 *
 * <p>Operators' calls authorise first, then check their input, then change one transaction, and are audited (refusals
 * after authorisation as FAILED with the reason); audit details name parameters, never their values. A version is
 * accepted only with a signature the release trust store accepts, and checked again whenever a deployment is made or
 * changed, so a version whose signer has since been revoked is never deployed. Secret values are sealed by
 * {@link SecretBox} before they reach the database and shown as {@link Apps#REDACTED} in every read.
 *
 * <p>As the fleet's {@link AppChannel} it puts into each host's desired state the deployments that target it, resolved
 * for it with secrets opened (sent to that host only, over the mutual-TLS southbound), and records the states its app
 * agent reports per deployment and host ({@code V21__app_host_status.sql}).
 */
@Component(service = {AppService.class, AppChannel.class, VersionIntake.class}, configurationPid = AppsConfig.PID)
@Designate(ocd = AppsConfig.class)
public class AppServiceImpl implements AppService, AppChannel, VersionIntake {

    static final String PROFILE = "PROFILE";
    static final String DEPLOYMENT = "DEPLOYMENT";
    private static final int MAX_HOSTS = 1000;

    private final Database db;
    private final TenancyService tenancy;
    private final AuditLog audit;
    private final SignatureVerifier verifier;
    private final SecretBox secrets;
    private final Clock clock;

    @Activate
    public AppServiceImpl(@Reference Database db, @Reference TenancyService tenancy, @Reference AuditLog audit,
                          @Reference SignatureVerifier verifier, AppsConfig config) {
        this(db, tenancy, audit, verifier, SecretBox.fromFile(keyFile(config)), Clock.systemUTC());
    }

    AppServiceImpl(Database db, TenancyService tenancy, AuditLog audit, SignatureVerifier verifier, SecretBox secrets,
                   Clock clock) {
        this.db = db;
        this.tenancy = tenancy;
        this.audit = audit;
        this.verifier = verifier;
        this.secrets = secrets;
        this.clock = clock;
    }

    private static Path keyFile(AppsConfig config) {
        if (!config.secretKeyFile().isBlank()) {
            return Paths.get(config.secretKeyFile().strip());
        }
        return Paths.get(System.getProperty("karaf.data", "data"), "edgeorch", "apps-secret.key");
    }

    /** A version as stored: its id and its manifest read back. */
    record VersionRow(String id, String applicationId, AppVersion version, AppManifest manifest, String manifestText,
                      String signature) {
    }

    record ProfileRow(String id, String versionId, Profile profile) {
    }

    record DeploymentRow(String id, String versionId, String profileId, Deployment deployment) {
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

    private void deploymentEvent(java.sql.Connection c, Project p, String name, String status, String message)
            throws java.sql.SQLException {
        EventPublisher e = events;
        if (e != null) {
            e.publish(c, Event.of(p.id(), EventType.DEPLOYMENT_CHANGED, name, status, null, message));
        }
    }

    // ---- applications -----------------------------------------------------------------------------------

    @Override
    public Application createApplication(Caller caller, String project, String name, String description) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "app.create", name, () -> {
            name("name", name, "application");
            String d = description(description);
            return db.inTransaction(c -> {
                if (applicationId(c, p.id(), name) != null) {
                    throw new TenancyException(Reason.CONFLICT, "application '" + name + "' already exists in '" + p.name() + "'");
                }
                Sql.update(c, "INSERT INTO app_application (id, project_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)",
                        UUID.randomUUID().toString(), p.id(), name, d, clock.instant());
                return new Done<>(application(c, p, name), d == null ? "" : d);
            });
        });
    }

    @Override
    public List<Application> applications(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            List<String> names = Sql.strings(c, "SELECT name FROM app_application WHERE project_id = ? ORDER BY name", p.id());
            List<Application> out = new ArrayList<>();
            for (String n : names) {
                out.add(application(c, p, n));
            }
            return out;
        });
    }

    @Override
    public Application application(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> application(c, p, name));
    }

    @Override
    public void deleteApplication(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "app.delete", name, () -> db.inTransaction(c -> {
            String appId = existingApplication(c, p, name);
            refuseIfPackaged(c, "application_id", appId, "application '" + name + "'");
            List<String> using = Sql.strings(c, "SELECT d.name FROM app_deployment d JOIN app_version v ON v.id = d.version_id"
                    + " WHERE v.application_id = ? ORDER BY d.name", appId);
            if (!using.isEmpty()) {
                throw new TenancyException(Reason.CONFLICT, "application '" + name + "' is deployed by " + String.join(", ", using)
                        + "; delete those deployments first");
            }
            for (String versionId : Sql.strings(c, "SELECT id FROM app_version WHERE application_id = ?", appId)) {
                deleteVersionRows(c, versionId);
            }
            Sql.update(c, "DELETE FROM app_application WHERE id = ?", appId);
            return new Done<>(null, "");
        }));
    }

    // ---- versions ---------------------------------------------------------------------------------------

    @Override
    public AppVersion publishVersion(Caller caller, String project, String application, String manifest, String signature) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        AppVersion published = audited(caller, p, "app.version.publish", application, () -> {
            Manifests.Read read = Manifests.read(manifest);
            if (!read.errors().isEmpty()) {
                throw invalid(read.errors());
            }
            AppManifest m = read.manifest();
            if (!m.application().equals(application)) {
                throw new TenancyException(Reason.INVALID, "manifest.application", "the manifest is for application '"
                        + m.application() + "', not '" + application + "'");
            }
            SignatureCheck check = verify(manifest, signature);
            return db.inTransaction(c -> insertVersion(c, p, existingApplication(c, p, application), m, manifest, signature,
                    check, caller.username()));
        });
        followRanges(p, application);
        return published;
    }

    private Done<AppVersion> insertVersion(Connection c, Project p, String appId, AppManifest m, String manifest,
                                           String signature, SignatureCheck check, String publishedBy) throws SQLException {
        if (Sql.string(c, "SELECT id FROM app_version WHERE application_id = ? AND version = ?", appId, m.version()) != null) {
            throw new TenancyException(Reason.CONFLICT, "version " + m.version() + " of '" + m.application()
                    + "' already exists; publish a new version instead of changing one");
        }
        String signer = check.signer().getSubjectX500Principal().getName();
        Sql.update(c, "INSERT INTO app_version (id, application_id, project_id, version, runtime, manifest, signature,"
                        + " signer, signer_fingerprint, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), appId, p.id(), m.version(), m.runtime(), manifest, signature.strip(),
                signer.length() > 255 ? signer.substring(0, 255) : signer, check.signerFingerprint(),
                shorten(publishedBy), clock.instant());
        return new Done<>(existingVersion(c, p, m.application(), m.version()).version(),
                m.version() + " (" + m.runtime() + ", " + check.detail() + ")");
    }

    // ---- versions found in the release service ------------------------------------------------------------

    /** Who adds the versions detection found, in the audit log and as their publisher. */
    static final String DETECTOR = "app-detector";

    @Override
    public Intake rejected(String project, String application, String reason) {
        projectNamed(project).ifPresent(p -> audit.record(DETECTOR, p.orgId(), p.id(), "app.version.detect", "application",
                shorten(application), Outcome.FAILED, null, "INVALID: " + reason));
        return new Intake(Intake.Outcome.REJECTED, reason);
    }

    private Optional<Project> projectNamed(String project) {
        return db.inTransaction(c -> Sql.one(c, "SELECT id, org_id, name, display_name, created_at"
                + " FROM project WHERE name = ?", rs -> new Project(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), Sql.instant(rs, 5)), project));
    }

    @Override
    public Intake detected(String project, String application, String tag, String manifest, String signature,
                           String source) {
        Optional<Project> found = projectNamed(project);
        if (found.isEmpty()) {
            return new Intake(Intake.Outcome.REJECTED, "there is no project '" + shorten(project) + "'");
        }
        Project p = found.get();
        String[] created = {null};
        try {
            AppVersion v = audited(DETECTOR, null, p, "app.version.detect", application, () -> {
                Manifests.Read read = Manifests.read(manifest);
                if (!read.errors().isEmpty()) {
                    throw invalid(read.errors());
                }
                AppManifest m = read.manifest();
                if (!m.application().equals(application) || !org.edgeorch.apps.oci.AppArtifact.tag(m.version()).equals(tag)) {
                    throw new TenancyException(Reason.INVALID, "manifest", "the manifest describes " + m.application() + " "
                            + m.version() + " but was pushed as " + application + ":" + shorten(tag));
                }
                SignatureCheck check = verify(manifest, signature);
                return db.inTransaction(c -> {
                    String appId = applicationId(c, p.id(), application);
                    if (appId == null) {
                        appId = UUID.randomUUID().toString();
                        Sql.update(c, "INSERT INTO app_application (id, project_id, name, description, created_at)"
                                + " VALUES (?, ?, ?, ?, ?)", appId, p.id(), application, null, clock.instant());
                        created[0] = application;
                    }
                    VersionRow existing = Sql.one(c, "SELECT v.id FROM app_version v WHERE v.application_id = ? AND v.version = ?",
                            rs -> rs.getString(1), appId, m.version()).isPresent()
                            ? existingVersion(c, p, application, m.version()) : null;
                    if (existing != null && existing.manifestText().equals(manifest)) {
                        return new Done<>(existing.version(), m.version() + " was published already, with this manifest");
                    }
                    Done<AppVersion> done = insertVersion(c, p, appId, m, manifest, signature, check, DETECTOR);
                    return new Done<>(done.value(), done.detail() + ", found by " + source);
                });
            });
            if (created[0] != null) {
                audit.record(DETECTOR, p.orgId(), p.id(), "app.create", "application", application, Outcome.SUCCESS, null,
                        "for version " + v.version() + ", found in the release service");
            }
            followRanges(p, application);
            return new Intake(Intake.Outcome.ACCEPTED, v.version() + " signed by " + v.signer());
        } catch (TenancyException e) {
            return new Intake(Intake.Outcome.REJECTED, e.reason() + ": " + e.getMessage());
        }
    }

    // ---- auto-upgrade -----------------------------------------------------------------------------------

    static final String AUTO_UPGRADE = "app-auto-upgrade";

    /**
     * Moves every deployment of the application that follows a range to the newest signed version in it, each in its
     * own transaction, audited as {@code deployment.auto-upgrade} by {@value #AUTO_UPGRADE} (FAILED with the reason
     * when the values do not fit the new version's template: the deployment stays where it was).
     */
    private void followRanges(Project p, String application) {
        List<String> names = db.inTransaction(c -> Sql.strings(c, "SELECT d.name FROM app_deployment d JOIN app_version v"
                + " ON v.id = d.version_id JOIN app_application a ON a.id = v.application_id WHERE d.project_id = ?"
                + " AND a.name = ? AND d.version_range IS NOT NULL ORDER BY d.name", p.id(), application));
        for (String name : names) {
            try {
                String moved = db.inTransaction(c -> autoUpgrade(c, p, name));
                if (moved != null) {
                    audit.record(AUTO_UPGRADE, p.orgId(), p.id(), "deployment.auto-upgrade", "deployment", name,
                            Outcome.SUCCESS, null, moved);
                }
            } catch (TenancyException e) {
                audit.record(AUTO_UPGRADE, p.orgId(), p.id(), "deployment.auto-upgrade", "deployment", name, Outcome.FAILED,
                        null, e.reason() + ": " + e.getMessage());
            }
        }
    }

    /** One deployment moved to the newest version in its range; null when it runs it already. */
    private String autoUpgrade(Connection c, Project p, String name) throws SQLException {
        DeploymentRow current = existingDeployment(c, p, name);
        Deployment d = current.deployment();
        VersionRow v = newestInRange(c, p, d.application(), null, d.versionRange());
        String to = v.version().version();
        if (to.equals(d.version()) || (org.semver4j.Semver.isValid(d.version()) && Versions.compare(to, d.version()) <= 0)) {
            return null;
        }
        VersionRow old = existingVersion(c, p, d.application(), d.version());
        String profileId = null;
        Map<String, String> profileValues = Map.of();
        String carried = "";
        if (current.profileId() != null) {
            profileId = Sql.string(c, "SELECT id FROM app_profile WHERE version_id = ? AND name = ?", v.id(), d.profile());
            if (profileId == null) {
                // The profile is carried forward: a copy for the new version, its values checked against its template.
                Map<String, String> values = plainValues(c, PROFILE, current.profileId(), v);
                List<FieldError> errors = Parameters.checkValues(v.manifest().parameters(), values, "values");
                if (!errors.isEmpty()) {
                    throw invalid(errors);
                }
                profileId = UUID.randomUUID().toString();
                Instant now = clock.instant();
                Sql.update(c, "INSERT INTO app_profile (id, version_id, project_id, name, description, created_at, updated_at)"
                        + " SELECT ?, ?, project_id, name, description, ?, ? FROM app_profile WHERE id = ?", profileId, v.id(),
                        now, now, current.profileId());
                writeValues(c, PROFILE, profileId, v, values);
                carried = ", profile " + d.profile() + " carried forward";
            }
            profileValues = plainValues(c, PROFILE, profileId, v);
        }
        Map<String, String> overrides = plainValues(c, DEPLOYMENT, current.id(), old);
        checkValues(v, overrides, "overrides", profileValues);
        Sql.update(c, "UPDATE app_deployment SET version_id = ?, profile_id = ?, updated_at = ? WHERE id = ?", v.id(), profileId,
                clock.instant(), current.id());
        writeValues(c, DEPLOYMENT, current.id(), v, overrides);
        return d.version() + " -> " + to + " (following " + d.versionRange() + carried + ")";
    }

    /**
     * The newest version of the application in the range whose signature the trust store accepts now; {@code version},
     * when given, must be in the range.
     */
    private VersionRow newestInRange(Connection c, Project p, String application, String version, String range)
            throws SQLException {
        String appId = existingApplication(c, p, application);
        if (version != null) {
            existingVersion(c, p, application, version);
            if (!Versions.satisfies(version, range)) {
                throw new TenancyException(Reason.INVALID, "version", "version " + shorten(version) + " is not in versionRange "
                        + range);
            }
        }
        VersionRow best = null;
        for (VersionRow r : Sql.list(c, VERSION_SELECT + " WHERE v.application_id = ?", this::versionRow, appId)) {
            String candidate = r.version().version();
            if (!Versions.satisfies(candidate, range) || (best != null && Versions.compare(candidate, best.version().version()) <= 0)) {
                continue;
            }
            try {
                verify(r.manifestText(), r.signature());
            } catch (TenancyException e) {
                continue; // its signer was revoked since: never deployed
            }
            best = r;
        }
        if (best == null) {
            throw new TenancyException(Reason.INVALID, "versionRange", "no signed version of '" + application + "' is in"
                    + " versionRange " + range);
        }
        return best;
    }

    @Override
    public List<AppVersion> versions(Caller caller, String project, String application) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            String appId = existingApplication(c, p, application);
            return Sql.list(c, VERSION_SELECT + " WHERE v.application_id = ? ORDER BY v.published_at DESC, v.version DESC",
                    this::versionRow, appId).stream().map(VersionRow::version).toList();
        });
    }

    @Override
    public AppVersion version(Caller caller, String project, String application, String version) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> existingVersion(c, p, application, version).version());
    }

    @Override
    public void deleteVersion(Caller caller, String project, String application, String version) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "app.version.delete", application + ":" + version, () -> db.inTransaction(c -> {
            VersionRow v = existingVersion(c, p, application, version);
            refuseIfPackaged(c, "version_id", v.id(), "version " + version + " of '" + application + "'");
            List<String> using = Sql.strings(c, "SELECT name FROM app_deployment WHERE version_id = ? ORDER BY name", v.id());
            if (!using.isEmpty()) {
                throw new TenancyException(Reason.CONFLICT, "version " + version + " of '" + application + "' is deployed by "
                        + String.join(", ", using) + "; move or delete those deployments first");
            }
            deleteVersionRows(c, v.id());
            return new Done<>(null, "");
        }));
    }

    private void deleteVersionRows(Connection c, String versionId) throws SQLException {
        for (String profileId : Sql.strings(c, "SELECT id FROM app_profile WHERE version_id = ?", versionId)) {
            Sql.update(c, "DELETE FROM app_value WHERE owner_type = ? AND owner_id = ?", PROFILE, profileId);
        }
        Sql.update(c, "DELETE FROM app_profile WHERE version_id = ?", versionId);
        Sql.update(c, "DELETE FROM app_version WHERE id = ?", versionId);
    }

    /** The check of a version's signature against the trust store now; INVALID (field signature) unless it passes. */
    private SignatureCheck verify(String manifest, String signature) {
        if (signature == null || signature.isBlank()) {
            throw new TenancyException(Reason.INVALID, "signature", "the version is unsigned: give the detached CMS"
                    + " signature of the manifest (DER, base64), as openssl cms -sign -binary -outform DER makes it");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw new TenancyException(Reason.INVALID, "signature", "the signature is not base64");
        }
        SignatureCheck check = verifier.verify(manifest.getBytes(StandardCharsets.UTF_8), der);
        if (!check.valid()) {
            throw new TenancyException(Reason.INVALID, "signature", "the signature is refused (" + check.failure() + "): "
                    + check.detail());
        }
        return check;
    }

    // ---- profiles ---------------------------------------------------------------------------------------

    @Override
    public Profile createProfile(Caller caller, String project, String application, String version, ProfileSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        String name = spec == null ? null : spec.name();
        return audited(caller, p, "app.profile.create", application + ":" + version + ":" + name, () -> {
            if (spec == null) {
                throw new TenancyException(Reason.INVALID, "name", "a profile needs a name and values");
            }
            name("name", spec.name(), "profile");
            String d = description(spec.description());
            Map<String, String> values = spec.values() == null ? Map.of() : spec.values();
            return db.inTransaction(c -> {
                VersionRow v = existingVersion(c, p, application, version);
                checkValues(v, values, "values", Map.of());
                if (Sql.string(c, "SELECT id FROM app_profile WHERE version_id = ? AND name = ?", v.id(), spec.name()) != null) {
                    throw new TenancyException(Reason.CONFLICT, "profile '" + spec.name() + "' of " + application + " "
                            + version + " already exists");
                }
                String id = UUID.randomUUID().toString();
                Instant now = clock.instant();
                Sql.update(c, "INSERT INTO app_profile (id, version_id, project_id, name, description, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, v.id(), p.id(), spec.name(), d, now, now);
                writeValues(c, PROFILE, id, v, values);
                return new Done<>(existingProfile(c, p, v, spec.name()).profile(), names(values));
            });
        });
    }

    @Override
    public Profile updateProfile(Caller caller, String project, String application, String version, String name,
                                 ProfileSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "app.profile.update", application + ":" + version + ":" + name, () -> {
            if (spec == null) {
                throw new TenancyException(Reason.INVALID, "values", "give the profile's values (and description)");
            }
            String d = description(spec.description());
            Map<String, String> values = spec.values() == null ? Map.of() : spec.values();
            return db.inTransaction(c -> {
                VersionRow v = existingVersion(c, p, application, version);
                ProfileRow profile = existingProfile(c, p, v, name);
                Map<String, String> merged = keepRedacted(c, v, PROFILE, profile.id(), values);
                checkValues(v, merged, "values", Map.of());
                checkDeploymentsStillResolve(c, profile, v, merged);
                Sql.update(c, "UPDATE app_profile SET description = ?, updated_at = ? WHERE id = ?", d, clock.instant(),
                        profile.id());
                writeValues(c, PROFILE, profile.id(), v, merged);
                return new Done<>(existingProfile(c, p, v, name).profile(), names(merged));
            });
        });
    }

    @Override
    public List<Profile> profiles(Caller caller, String project, String application, String version) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            VersionRow v = existingVersion(c, p, application, version);
            List<Profile> out = new ArrayList<>();
            for (String n : Sql.strings(c, "SELECT name FROM app_profile WHERE version_id = ? ORDER BY name", v.id())) {
                out.add(existingProfile(c, p, v, n).profile());
            }
            return out;
        });
    }

    @Override
    public Profile profile(Caller caller, String project, String application, String version, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> existingProfile(c, p, existingVersion(c, p, application, version), name).profile());
    }

    @Override
    public void deleteProfile(Caller caller, String project, String application, String version, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "app.profile.delete", application + ":" + version + ":" + name, () -> db.inTransaction(c -> {
            ProfileRow profile = existingProfile(c, p, existingVersion(c, p, application, version), name);
            refuseIfPackaged(c, "profile_id", profile.id(), "profile '" + name + "'");
            List<String> using = Sql.strings(c, "SELECT name FROM app_deployment WHERE profile_id = ? ORDER BY name", profile.id());
            if (!using.isEmpty()) {
                throw new TenancyException(Reason.CONFLICT, "profile '" + name + "' is used by " + String.join(", ", using));
            }
            Sql.update(c, "DELETE FROM app_value WHERE owner_type = ? AND owner_id = ?", PROFILE, profile.id());
            Sql.update(c, "DELETE FROM app_profile WHERE id = ?", profile.id());
            return new Done<>(null, "");
        }));
    }

    /** A profile's new values must still leave every deployment that uses it with its mandatory parameters. */
    private void checkDeploymentsStillResolve(Connection c, ProfileRow profile, VersionRow v, Map<String, String> values)
            throws SQLException {
        for (String deploymentId : Sql.strings(c, "SELECT id FROM app_deployment WHERE profile_id = ?", profile.id())) {
            Map<String, String> overrides = plainValues(c, DEPLOYMENT, deploymentId, v);
            List<FieldError> missing = Parameters.missing(v.manifest().parameters(),
                    Parameters.resolve(v.manifest().parameters(), values, overrides), "values");
            if (!missing.isEmpty()) {
                throw invalid(missing);
            }
        }
    }

    // ---- deployments ------------------------------------------------------------------------------------

    @Override
    public Deployment createDeployment(Caller caller, String project, DeploymentSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        String name = spec == null ? null : spec.name();
        return audited(caller, p, "deployment.create", name, () -> {
            if (spec == null) {
                throw new TenancyException(Reason.INVALID, "name", "a deployment needs a name, an application version and"
                        + " a target");
            }
            name("name", spec.name(), "deployment");
            required("application", spec.application());
            String range = blank(spec.versionRange()) == null ? null : Versions.range(spec.versionRange());
            if (range == null) {
                required("version", spec.version());
            }
            Target target = target(spec.targetKind(), spec.selector(), spec.hosts());
            Map<String, String> overrides = spec.overrides() == null ? Map.of() : spec.overrides();
            return db.inTransaction(c -> insertDeployment(c, p, caller.username(), spec, range, target, overrides, null));
        });
    }

    /** Inserts a checked deployment; {@code packageVersionId} and the spec's name tie a package deployment's member. */
    private Done<Deployment> insertDeployment(Connection c, Project p, String createdBy, DeploymentSpec spec, String range,
                                              Target target, Map<String, String> overrides, String[] member)
            throws SQLException {
        VersionRow v = range == null ? existingVersion(c, p, spec.application(), spec.version())
                : newestInRange(c, p, spec.application(), spec.version(), range);
        ProfileRow profile = blank(spec.profile()) == null ? null : existingProfile(c, p, v, spec.profile().strip());
        if (Sql.string(c, "SELECT id FROM app_deployment WHERE project_id = ? AND name = ?", p.id(), spec.name()) != null) {
            throw new TenancyException(Reason.CONFLICT, "deployment '" + spec.name() + "' already exists in '"
                    + p.name() + "'");
        }
        checkValues(v, overrides, "overrides", profile == null ? Map.of() : plainValues(c, PROFILE, profile.id(), v));
        List<String> hostIds = hostIds(c, p, target);
        verify(v.manifestText(), v.signature());
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Sql.update(c, "INSERT INTO app_deployment (id, project_id, name, version_id, profile_id, target_kind, selector,"
                        + " created_by, created_at, updated_at, version_range, package_version_id, package_deployment)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, p.id(), spec.name(), v.id(), profile == null ? null : profile.id(), target.kind(),
                target.selectorText(), shorten(createdBy), now, now, range, member == null ? null : member[0],
                member == null ? null : member[1]);
        writeHosts(c, id, hostIds);
        writeValues(c, DEPLOYMENT, id, v, overrides);
        deploymentEvent(c, p, spec.name(), "CREATED", spec.application() + " " + v.version().version() + " to "
                + target.describe());
        return new Done<>(existingDeployment(c, p, spec.name()).deployment(), spec.application() + " "
                + v.version().version() + (range == null ? "" : " (following " + range + ")")
                + (profile == null ? "" : " profile " + profile.profile().name()) + " to "
                + target.describe() + overridesDetail(overrides));
    }

    @Override
    public Deployment updateDeployment(Caller caller, String project, String name, DeploymentSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        return audited(caller, p, "deployment.update", name, () -> {
            if (spec == null || (spec.application() == null && spec.version() == null && spec.profile() == null
                    && spec.overrides() == null && spec.targetKind() == null && spec.selector() == null && spec.hosts() == null
                    && spec.versionRange() == null)) {
                throw new TenancyException(Reason.INVALID, "deployment", "nothing to change: give version, versionRange,"
                        + " profile, overrides or the target (targetKind with selector or hosts)");
            }
            String newRange = spec.versionRange() == null || spec.versionRange().isBlank() ? null
                    : Versions.range(spec.versionRange());
            return db.inTransaction(c -> {
                DeploymentRow current = existingDeployment(c, p, name);
                Deployment d = current.deployment();
                if (spec.application() != null && !spec.application().equals(d.application())) {
                    throw new TenancyException(Reason.INVALID, "application", "a deployment keeps its application ('"
                            + d.application() + "'); make a new deployment for another one");
                }
                if (d.packageDeployment() != null && (spec.version() != null || spec.versionRange() != null
                    || spec.profile() != null)) {
                throw new TenancyException(Reason.CONFLICT, "deployment '" + name + "' is a member of package deployment '"
                        + d.packageDeployment() + "' and runs what package " + d.packageName() + " " + d.packageVersion()
                        + " says; upgrade the package deployment instead");
            }
            String range = spec.versionRange() == null ? d.versionRange() : newRange;
                VersionRow v = range == null || (spec.versionRange() == null && spec.version() == null)
                        ? existingVersion(c, p, d.application(), spec.version() == null ? d.version() : spec.version())
                        : newestInRange(c, p, d.application(), spec.version(), range);
                boolean newVersion = !v.version().version().equals(d.version());
                String profileName = spec.profile() != null ? blank(spec.profile()) : newVersion ? d.profile() : d.profile();
                ProfileRow profile = profileName == null ? null : existingProfile(c, p, v, profileName);
                Map<String, String> overrides = spec.overrides() == null
                        ? (newVersion ? plainValues(c, DEPLOYMENT, current.id(), existingVersion(c, p, d.application(),
                        d.version())) : plainValues(c, DEPLOYMENT, current.id(), v))
                        : keepRedacted(c, v, DEPLOYMENT, current.id(), spec.overrides());
                checkValues(v, overrides, "overrides", profile == null ? Map.of() : plainValues(c, PROFILE, profile.id(), v));
                Target target = spec.targetKind() == null && spec.selector() == null && spec.hosts() == null
                        ? null : target(spec.targetKind() == null ? d.targetKind() : spec.targetKind(), spec.selector(), spec.hosts());
                verify(v.manifestText(), v.signature());
                Sql.update(c, "UPDATE app_deployment SET version_id = ?, profile_id = ?, version_range = ?, updated_at = ?"
                        + " WHERE id = ?", v.id(), profile == null ? null : profile.id(), range, clock.instant(), current.id());
                if (target != null) {
                    List<String> hostIds = hostIds(c, p, target);
                    Sql.update(c, "UPDATE app_deployment SET target_kind = ?, selector = ? WHERE id = ?", target.kind(),
                            target.selectorText(), current.id());
                    Sql.update(c, "DELETE FROM app_deployment_host WHERE deployment_id = ?", current.id());
                    writeHosts(c, current.id(), hostIds);
                }
                writeValues(c, DEPLOYMENT, current.id(), v, overrides);
                Deployment after = existingDeployment(c, p, name).deployment();
                deploymentEvent(c, p, name, "UPDATED", after.application() + " " + after.version());
                return new Done<>(after, after.application() + " " + after.version() + (after.profile() == null ? ""
                        : " profile " + after.profile()) + " to " + (after.targetKind() == TargetKind.SELECTOR
                        ? "selector " + after.selector() : after.hosts().size() + " host(s)") + overridesDetail(overrides));
            });
        });
    }

    @Override
    public List<Deployment> deployments(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            List<Deployment> out = new ArrayList<>();
            for (String n : Sql.strings(c, "SELECT name FROM app_deployment WHERE project_id = ? ORDER BY name", p.id())) {
                out.add(existingDeployment(c, p, n).deployment());
            }
            return out;
        });
    }

    @Override
    public Deployment deployment(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> existingDeployment(c, p, name).deployment());
    }

    @Override
    public void deleteDeployment(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        audited(caller, p, "deployment.delete", name, () -> db.inTransaction(c -> {
            DeploymentRow d = existingDeployment(c, p, name);
            if (d.deployment().packageDeployment() != null) {
                throw new TenancyException(Reason.CONFLICT, "deployment '" + name + "' is a member of package deployment '"
                        + d.deployment().packageDeployment() + "'; delete the package deployment");
            }
            deleteDeploymentRows(c, p, d, caller.username());
            return new Done<>(null, "");
        }));
    }

    private void deleteDeploymentRows(Connection c, Project p, DeploymentRow d, String by) throws SQLException {
        String name = d.deployment().name();
        Sql.update(c, "DELETE FROM app_value WHERE owner_type = ? AND owner_id = ?", DEPLOYMENT, d.id());
        Sql.update(c, "DELETE FROM app_deployment_host WHERE deployment_id = ?", d.id());
        Sql.update(c, "DELETE FROM app_host_status WHERE deployment_id = ?", d.id());
        lastReported.clear();
        Sql.update(c, "DELETE FROM app_deployment WHERE id = ?", d.id());
        deploymentEvent(c, p, name, "DELETED", "deleted by " + by);
    }

    @Override
    public List<TargetHost> targets(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            DeploymentRow d = existingDeployment(c, p, name);
            Map<String, Map<String, String>> labels = projectLabels(c, p.id());
            List<TargetHost> out = new ArrayList<>();
            if (d.deployment().targetKind() == TargetKind.SELECTOR) {
                Selector selector = Selector.parse(d.deployment().selector());
                for (String host : Sql.strings(c, "SELECT name FROM host WHERE project_id = ? ORDER BY name", p.id())) {
                    Map<String, String> metadata = labels.getOrDefault(host, Map.of());
                    if (selector.matches(metadata)) {
                        out.add(new TargetHost(host, metadata));
                    }
                }
            } else {
                for (String host : d.deployment().hosts()) {
                    out.add(new TargetHost(host, labels.getOrDefault(host, Map.of())));
                }
            }
            return out;
        });
    }

    @Override
    public DeploymentStatus deploymentStatus(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            DeploymentRow d = existingDeployment(c, p, name);
            Map<String, String> targeted = targetHosts(c, p.id(), d);
            Map<String, Row> reported = new HashMap<>();
            Sql.list(c, "SELECT s.host_id, h.name, s.version, s.state, s.reason, s.reported_at FROM app_host_status s"
                    + " JOIN host h ON h.id = s.host_id WHERE s.deployment_id = ?", rs -> reported.put(rs.getString(1),
                    new Row(rs.getString(2), rs.getString(3), AppState.valueOf(rs.getString(4)), rs.getString(5),
                            Sql.instant(rs, 6))), d.id());
            String version = d.deployment().version();
            List<HostAppStatus> hosts = new ArrayList<>();
            Map<AppState, Integer> counts = new java.util.EnumMap<>(AppState.class);
            for (Map.Entry<String, String> t : targeted.entrySet()) {
                Row r = reported.remove(t.getKey());
                HostAppStatus h;
                if (r == null) {
                    h = new HostAppStatus(t.getValue(), null, AppState.PENDING, "the host has not reported it yet", null, true);
                } else if (!version.equals(r.version()) && r.state() == AppState.RUNNING) {
                    h = new HostAppStatus(t.getValue(), r.version(), AppState.PENDING, "runs " + r.version()
                            + "; waiting for the host to move to " + version, r.at(), true);
                } else {
                    h = new HostAppStatus(t.getValue(), r.version(), r.state(), r.reason(), r.at(), true);
                }
                hosts.add(h);
                counts.merge(h.state(), 1, Integer::sum);
            }
            for (Row r : reported.values()) {
                hosts.add(new HostAppStatus(r.host(), r.version(), r.state(), r.reason(), r.at(), false));
            }
            hosts.sort(java.util.Comparator.comparing(HostAppStatus::host));
            int running = counts.getOrDefault(AppState.RUNNING, 0);
            int bad = counts.getOrDefault(AppState.FAILED, 0) + counts.getOrDefault(AppState.UNHEALTHY, 0)
                    + counts.getOrDefault(AppState.ROLLED_BACK, 0);
            DeploymentState state = targeted.isEmpty() ? DeploymentState.NO_TARGETS
                    : running == targeted.size() ? DeploymentState.RUNNING
                    : bad > 0 ? (running > 0 ? DeploymentState.DEGRADED : DeploymentState.ERROR)
                    : DeploymentState.DEPLOYING;
            return new DeploymentStatus(d.deployment().name(), d.deployment().application(), version, state, counts, hosts);
        });
    }

    private record Row(String host, String version, AppState state, String reason, Instant at) {
    }

    /** The hosts a deployment targets now: id to name, ordered by name. */
    private static Map<String, String> targetHosts(Connection c, String projectId, DeploymentRow d) throws SQLException {
        Map<String, String> byId = new LinkedHashMap<>();
        if (d.deployment().targetKind() == TargetKind.SELECTOR) {
            Selector selector = Selector.parse(d.deployment().selector());
            Map<String, Map<String, String>> labels = new HashMap<>();
            Sql.list(c, "SELECT l.host_id, l.meta_key, l.meta_value FROM host_label l WHERE l.project_id = ?",
                    rs -> labels.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3)),
                    projectId);
            Sql.list(c, "SELECT id, name FROM host WHERE project_id = ? ORDER BY name", rs -> {
                if (selector.matches(labels.getOrDefault(rs.getString(1), Map.of()))) {
                    byId.put(rs.getString(1), rs.getString(2));
                }
                return null;
            }, projectId);
        } else {
            Sql.list(c, "SELECT h.id, h.name FROM app_deployment_host dh JOIN host h ON h.id = dh.host_id"
                    + " WHERE dh.deployment_id = ? ORDER BY h.name", rs -> byId.put(rs.getString(1), rs.getString(2)), d.id());
        }
        return byId;
    }

    // ---- the southbound's view (AppChannel) ---------------------------------------------------------------

    /** The release service, for the registry nodes pull artifacts from. */
    private volatile ImageDelivery releaseService;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setReleaseService(ImageDelivery delivery) {
        this.releaseService = delivery;
    }

    void unsetReleaseService(ImageDelivery gone) {
        if (releaseService == gone) {
            releaseService = null;
        }
    }

    @Override
    public List<org.edgeorch.spi.southbound.DesiredApp> appsFor(String projectId, String hostId) {
        Map<String, String> metadata = db.inTransaction(c -> {
            Map<String, String> m = new TreeMap<>();
            Sql.list(c, "SELECT meta_key, meta_value FROM host_label WHERE host_id = ?", rs -> m.put(rs.getString(1),
                    rs.getString(2)), hostId);
            return m;
        });
        ImageDelivery release = releaseService;
        String registry = release == null ? null : release.nodeRegistryUrl().orElse(null);
        List<org.edgeorch.spi.southbound.DesiredApp> out = new ArrayList<>();
        for (DesiredApp d : desiredApps(projectId, hostId, metadata)) {
            out.add(new org.edgeorch.spi.southbound.DesiredApp(d.deployment(), d.application(), d.version(), registry,
                    d.manifestText(), d.signature(), d.values(), d.secrets().stream().sorted().toList()));
        }
        return out;
    }

    /**
     * What each host reported last, without timestamps, and when: a sync that repeats it within a minute writes (and
     * reads) nothing. The minute bounds how stale the table can be when several orchestrators share the database and
     * the host's syncs alternate between them.
     */
    private final Map<String, Said> lastReported = new java.util.concurrent.ConcurrentHashMap<>();

    private record Said(String what, Instant at) {
    }

    @Override
    public void reported(String projectId, String hostId, List<AppReport> apps) {
        StringBuilder b = new StringBuilder();
        for (AppReport r : apps) {
            b.append(r.deployment()).append('\u0000').append(r.version()).append('\u0000').append(r.state()).append('\u0000')
                    .append(r.reason()).append('\n');
        }
        String said = b.toString();
        Instant now = clock.instant();
        Said before = lastReported.get(hostId);
        if (before != null && before.what().equals(said) && before.at().isAfter(now.minusSeconds(60))) {
            return;
        }
        store(projectId, hostId, apps);
        if (lastReported.size() > 100_000) {
            lastReported.clear();
        }
        lastReported.put(hostId, new Said(said, now));
    }

    private void store(String projectId, String hostId, List<AppReport> apps) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            Map<String, String> ids = new HashMap<>();
            Sql.list(c, "SELECT name, id FROM app_deployment WHERE project_id = ?", rs -> ids.put(rs.getString(1),
                    rs.getString(2)), projectId);
            Map<String, String[]> stored = new HashMap<>();
            Sql.list(c, "SELECT deployment_id, version, state, reason FROM app_host_status WHERE host_id = ?",
                    rs -> stored.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)}), hostId);
            Set<String> seen = new java.util.HashSet<>();
            for (AppReport r : apps) {
                String id = ids.get(r.deployment());
                if (id == null || !seen.add(id)) {
                    continue; // a deployment deleted since: the host is removing it
                }
                String[] before = stored.get(id);
                String[] after = {r.version(), r.state().name(), r.reason()};
                if (before != null && java.util.Arrays.equals(before, after)) {
                    continue;
                }
                Instant at = r.at() > 0 ? Instant.ofEpochMilli(r.at()) : now;
                if (before == null) {
                    Sql.update(c, "INSERT INTO app_host_status (deployment_id, host_id, project_id, version, state, reason,"
                            + " reported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, hostId, projectId, r.version(),
                            r.state(), r.reason(), at, now);
                } else {
                    Sql.update(c, "UPDATE app_host_status SET version = ?, state = ?, reason = ?, reported_at = ?, updated_at = ?"
                            + " WHERE deployment_id = ? AND host_id = ?", r.version(), r.state(), r.reason(), at, now, id, hostId);
                }
            }
            for (String id : stored.keySet()) {
                if (!seen.contains(id)) {
                    Sql.update(c, "DELETE FROM app_host_status WHERE deployment_id = ? AND host_id = ?", id, hostId);
                }
            }
            return null;
        });
    }

    /** Every host's effective metadata in the project, by host name, in one indexed read. */
    private static Map<String, Map<String, String>> projectLabels(Connection c, String projectId) throws SQLException {
        Map<String, Map<String, String>> labels = new HashMap<>();
        Sql.list(c, "SELECT h.name, l.meta_key, l.meta_value FROM host_label l JOIN host h ON h.id = l.host_id"
                + " WHERE l.project_id = ?", rs -> labels.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                .put(rs.getString(2), rs.getString(3)), projectId);
        return labels;
    }

    // ---- the system's view -------------------------------------------------------------------------------

    /**
     * A deployment as one host should run it: the version's signed manifest and the resolved values (defaults,
     * profile, overrides), secrets opened; {@code secrets} names the parameters whose values are secret.
     */
    record DesiredApp(String deployment, String application, String version, AppManifest manifest, String manifestText,
                      String signature, Map<String, String> values, Set<String> secrets) {
    }

    /** The deployments that target this host, given its effective metadata, resolved for it. */
    List<DesiredApp> desiredApps(String projectId, String hostId, Map<String, String> metadata) {
        return db.inTransaction(c -> {
            List<DesiredApp> out = new ArrayList<>();
            Set<String> listed = new LinkedHashSet<>(Sql.strings(c,
                    "SELECT deployment_id FROM app_deployment_host WHERE host_id = ?", hostId));
            List<String[]> rows = Sql.list(c, "SELECT id, target_kind, selector, name FROM app_deployment WHERE project_id = ?"
                    + " ORDER BY name", rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)},
                    projectId);
            for (String[] row : rows) {
                boolean targeted = TargetKind.valueOf(row[1]) == TargetKind.SELECTOR
                        ? Selector.parse(row[2]).matches(metadata) : listed.contains(row[0]);
                if (targeted) {
                    out.add(resolved(c, row[0], row[3]));
                }
            }
            return out;
        });
    }

    /** A deployment's version and resolved values, secrets opened: for the host it targets only. */
    private DesiredApp resolved(Connection c, String deploymentId, String name) throws SQLException {
        String[] ids = Sql.one(c, "SELECT version_id, profile_id FROM app_deployment WHERE id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, deploymentId).orElseThrow();
        VersionRow v = Sql.one(c, VERSION_SELECT + " WHERE v.id = ?", this::versionRow, ids[0]).orElseThrow();
        Map<String, String> profile = ids[1] == null ? Map.of() : plainValues(c, PROFILE, ids[1], v);
        Map<String, String> overrides = plainValues(c, DEPLOYMENT, deploymentId, v);
        Map<String, String> values = Parameters.resolve(v.manifest().parameters(), profile, overrides);
        Set<String> secretNames = v.manifest().parameters().stream().filter(ParameterTemplate::secret)
                .map(ParameterTemplate::name).collect(Collectors.toSet());
        return new DesiredApp(name, v.version().application(), v.version().version(), v.manifest(), v.manifestText(),
                v.signature(), values, secretNames);
    }

    // ---- rows -------------------------------------------------------------------------------------------

    private static final String VERSION_SELECT = "SELECT v.id, v.application_id, a.name, v.version, v.manifest, v.signature,"
            + " v.signer, v.signer_fingerprint, v.published_by, v.published_at FROM app_version v"
            + " JOIN app_application a ON a.id = v.application_id";

    private VersionRow versionRow(java.sql.ResultSet rs) throws SQLException {
        String text = rs.getString(5);
        AppManifest m = Manifests.read(text).manifest();
        if (m == null) {
            throw new IllegalStateException("a stored manifest no longer reads");
        }
        return new VersionRow(rs.getString(1), rs.getString(2), new AppVersion(rs.getString(3), rs.getString(4), m.runtime(),
                m.description(), m.artifacts(), m.container(), m.parameters(), rs.getString(7), rs.getString(8),
                rs.getString(9), Sql.instant(rs, 10)), m, text, rs.getString(6));
    }

    private static String applicationId(Connection c, String projectId, String name) throws SQLException {
        return Sql.string(c, "SELECT id FROM app_application WHERE project_id = ? AND name = ?", projectId, name);
    }

    private static String existingApplication(Connection c, Project p, String name) throws SQLException {
        String id = name == null ? null : applicationId(c, p.id(), name);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, "application '" + shorten(name) + "' does not exist in '" + p.name() + "'");
        }
        return id;
    }

    private Application application(Connection c, Project p, String name) throws SQLException {
        String id = existingApplication(c, p, name);
        List<String> versions = Sql.strings(c, "SELECT version FROM app_version WHERE application_id = ?"
                + " ORDER BY published_at DESC, version DESC", id);
        return Sql.one(c, "SELECT name, description, created_at FROM app_application WHERE id = ?", rs -> new Application(
                rs.getString(1), rs.getString(2), Sql.instant(rs, 3), versions), id).orElseThrow();
    }

    private VersionRow existingVersion(Connection c, Project p, String application, String version) throws SQLException {
        String appId = existingApplication(c, p, application);
        return Sql.one(c, VERSION_SELECT + " WHERE v.application_id = ? AND v.version = ?", this::versionRow, appId, version)
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "version " + shorten(version) + " of '" + application
                        + "' does not exist"));
    }

    private ProfileRow existingProfile(Connection c, Project p, VersionRow v, String name) throws SQLException {
        Optional<ProfileRow> row = Sql.one(c, "SELECT id, name, description, created_at, updated_at FROM app_profile"
                + " WHERE version_id = ? AND name = ?", rs -> new ProfileRow(rs.getString(1), v.id(), new Profile(
                v.version().application(), v.version().version(), rs.getString(2), rs.getString(3), Map.of(),
                Sql.instant(rs, 4), Sql.instant(rs, 5))), v.id(), name);
        if (row.isEmpty()) {
            throw new TenancyException(Reason.NOT_FOUND, "profile '" + shorten(name) + "' of " + v.version().application() + " "
                    + v.version().version() + " does not exist");
        }
        ProfileRow r = row.get();
        Profile pr = r.profile();
        return new ProfileRow(r.id(), r.versionId(), new Profile(pr.application(), pr.version(), pr.name(), pr.description(),
                redactedValues(c, PROFILE, r.id()), pr.createdAt(), pr.updatedAt()));
    }

    private DeploymentRow existingDeployment(Connection c, Project p, String name) throws SQLException {
        Optional<String[]> row = Sql.one(c, "SELECT d.id, d.version_id, d.profile_id, d.name, a.name, v.version, pr.name,"
                + " d.target_kind, d.selector, d.created_by, d.version_range, d.package_deployment, pk.name, pv.version"
                + " FROM app_deployment d JOIN app_version v"
                + " ON v.id = d.version_id JOIN app_application a ON a.id = v.application_id"
                + " LEFT JOIN app_profile pr ON pr.id = d.profile_id LEFT JOIN app_package_version pv"
                + " ON pv.id = d.package_version_id LEFT JOIN app_package pk ON pk.id = pv.package_id"
                + " WHERE d.project_id = ? AND d.name = ?", rs -> {
                    String[] r = new String[14];
                    for (int i = 0; i < 14; i++) {
                        r[i] = rs.getString(i + 1);
                    }
                    return r;
                }, p.id(), name);
        if (row.isEmpty()) {
            throw new TenancyException(Reason.NOT_FOUND, "deployment '" + shorten(name) + "' does not exist in '" + p.name() + "'");
        }
        String[] r = row.get();
        Instant[] times = Sql.one(c, "SELECT created_at, updated_at FROM app_deployment WHERE id = ?",
                rs -> new Instant[] {Sql.instant(rs, 1), Sql.instant(rs, 2)}, r[0]).orElseThrow();
        List<String> hosts = Sql.strings(c, "SELECT h.name FROM app_deployment_host dh JOIN host h ON h.id = dh.host_id"
                + " WHERE dh.deployment_id = ? ORDER BY h.name", r[0]);
        return new DeploymentRow(r[0], r[1], r[2], new Deployment(r[3], r[4], r[5], r[6], redactedValues(c, DEPLOYMENT, r[0]),
                TargetKind.valueOf(r[7]), r[8], hosts, r[9], times[0], times[1], r[10], r[11], r[12], r[13]));
    }

    // ---- values -----------------------------------------------------------------------------------------

    private static void checkValues(VersionRow v, Map<String, String> values, String prefix, Map<String, String> profile) {
        List<FieldError> errors = new ArrayList<>(Parameters.checkValues(v.manifest().parameters(), values, prefix));
        if (errors.isEmpty() && prefix.equals("overrides")) {
            errors.addAll(Parameters.missing(v.manifest().parameters(),
                    Parameters.resolve(v.manifest().parameters(), profile, values), prefix));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    /** Values as the caller sent them, with each secret sent back as REDACTED replaced by its stored value. */
    private Map<String, String> keepRedacted(Connection c, VersionRow v, String ownerType, String ownerId,
                                             Map<String, String> given) throws SQLException {
        Map<String, String> stored = null;
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, ParameterTemplate> template = Parameters.byName(v.manifest().parameters());
        for (Map.Entry<String, String> e : given.entrySet()) {
            ParameterTemplate t = template.get(e.getKey());
            if (t != null && t.secret() && Apps.REDACTED.equals(e.getValue())) {
                if (stored == null) {
                    stored = plainValues(c, ownerType, ownerId, v);
                }
                if (stored.containsKey(e.getKey())) {
                    out.put(e.getKey(), stored.get(e.getKey()));
                    continue;
                }
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private void writeValues(Connection c, String ownerType, String ownerId, VersionRow v, Map<String, String> values)
            throws SQLException {
        Sql.update(c, "DELETE FROM app_value WHERE owner_type = ? AND owner_id = ?", ownerType, ownerId);
        Map<String, ParameterTemplate> template = Parameters.byName(v.manifest().parameters());
        for (Map.Entry<String, String> e : values.entrySet()) {
            boolean secret = template.get(e.getKey()).secret();
            Sql.update(c, "INSERT INTO app_value (owner_type, owner_id, param_name, param_value, secret) VALUES (?, ?, ?, ?, ?)",
                    ownerType, ownerId, e.getKey(), secret ? secrets.seal(e.getValue(), context(ownerType, ownerId, e.getKey()))
                            : e.getValue(), secret);
        }
    }

    /**
     * The stored values with secrets opened, keeping only parameters the version still declares, and sealing
     * follows the version's template: a value stored plain for a parameter a newer version declares secret is
     * still read as stored.
     */
    private Map<String, String> plainValues(Connection c, String ownerType, String ownerId, VersionRow v) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, ParameterTemplate> template = Parameters.byName(v.manifest().parameters());
        Sql.list(c, "SELECT param_name, param_value, secret FROM app_value WHERE owner_type = ? AND owner_id = ? ORDER BY param_name",
                rs -> {
                    String n = rs.getString(1);
                    if (template.containsKey(n)) {
                        out.put(n, rs.getBoolean(3) ? secrets.open(rs.getString(2), context(ownerType, ownerId, n))
                                : rs.getString(2));
                    }
                    return null;
                }, ownerType, ownerId);
        return out;
    }

    private static Map<String, String> redactedValues(Connection c, String ownerType, String ownerId) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        Sql.list(c, "SELECT param_name, param_value, secret FROM app_value WHERE owner_type = ? AND owner_id = ?",
                rs -> out.put(rs.getString(1), rs.getBoolean(3) ? Apps.REDACTED : rs.getString(2)), ownerType, ownerId);
        return out;
    }

    private static String context(String ownerType, String ownerId, String name) {
        return ownerType + "/" + ownerId + "/" + name;
    }

    // ---- targets ----------------------------------------------------------------------------------------

    /** A deployment's target as checked: a parsed selector or host names. */
    record Target(TargetKind kind, Selector selector, List<String> hosts) {
        String selectorText() {
            return selector == null ? null : selector.toString();
        }

        String describe() {
            return kind == TargetKind.SELECTOR ? "selector " + selector : hosts.size() + " host(s)";
        }
    }

    private static Target target(TargetKind kind, String selector, List<String> hosts) {
        if (kind == null) {
            throw new TenancyException(Reason.INVALID, "targetKind", "the target is required: targetKind SELECTOR with a"
                    + " selector, or HOSTS with hosts");
        }
        if (kind == TargetKind.SELECTOR) {
            if (hosts != null && !hosts.isEmpty()) {
                throw new TenancyException(Reason.INVALID, "hosts", "a SELECTOR deployment names no hosts");
            }
            try {
                return new Target(kind, Selector.parse(selector), List.of());
            } catch (Selector.SyntaxException e) {
                throw new TenancyException(Reason.INVALID, "selector", e.getMessage());
            }
        }
        if (selector != null && !selector.isBlank()) {
            throw new TenancyException(Reason.INVALID, "selector", "a HOSTS deployment has no selector");
        }
        if (hosts == null || hosts.isEmpty()) {
            throw new TenancyException(Reason.INVALID, "hosts", "a HOSTS deployment names at least one host");
        }
        if (hosts.size() > MAX_HOSTS) {
            throw new TenancyException(Reason.INVALID, "hosts", "at most " + MAX_HOSTS + " hosts; use a selector for more");
        }
        return new Target(kind, null, List.copyOf(new LinkedHashSet<>(hosts)));
    }

    private static List<String> hostIds(Connection c, Project p, Target target) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < target.hosts().size(); i++) {
            String host = target.hosts().get(i);
            String id = host == null ? null : Sql.string(c, "SELECT id FROM host WHERE project_id = ? AND name = ?", p.id(), host);
            if (id == null) {
                throw new TenancyException(Reason.INVALID, "hosts[" + i + "]", "host '" + shorten(host)
                        + "' does not exist in '" + p.name() + "'");
            }
            ids.add(id);
        }
        return ids;
    }

    private static void writeHosts(Connection c, String deploymentId, List<String> hostIds) throws SQLException {
        for (String hostId : hostIds) {
            Sql.update(c, "INSERT INTO app_deployment_host (deployment_id, host_id) VALUES (?, ?)", deploymentId, hostId);
        }
    }

    // ---- deployment packages ------------------------------------------------------------------------------

    private static final int MAX_ENTRIES = 32;

    private void refuseIfPackaged(Connection c, String column, String id, String what) throws SQLException {
        List<String> packaged = Sql.strings(c, "SELECT DISTINCT pk.name || ' ' || pv.version FROM app_package_entry e"
                + " JOIN app_package_version pv ON pv.id = e.package_version_id JOIN app_package pk ON pk.id = pv.package_id"
                + " WHERE e." + column + " = ? ORDER BY 1", id);
        if (!packaged.isEmpty()) {
            throw new TenancyException(Reason.CONFLICT, what + " is in package version(s) " + String.join(", ", packaged)
                    + "; delete those package versions first");
        }
    }

    @Override
    public DeploymentPackage createPackage(Caller caller, String project, String name, String description) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        return audited(caller, p, "package.create", name, () -> {
            name("name", name, "package");
            String d = description(description);
            return db.inTransaction(c -> {
                if (packageId(c, p.id(), name) != null) {
                    throw new TenancyException(Reason.CONFLICT, "package '" + name + "' already exists in '" + p.name() + "'");
                }
                Sql.update(c, "INSERT INTO app_package (id, project_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)",
                        UUID.randomUUID().toString(), p.id(), name, d, clock.instant());
                return new Done<>(deploymentPackage(c, p, name), d == null ? "" : d);
            });
        });
    }

    @Override
    public List<DeploymentPackage> packages(Caller caller, String project) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            List<DeploymentPackage> out = new ArrayList<>();
            for (String n : Sql.strings(c, "SELECT name FROM app_package WHERE project_id = ? ORDER BY name", p.id())) {
                out.add(deploymentPackage(c, p, n));
            }
            return out;
        });
    }

    @Override
    public DeploymentPackage deploymentPackage(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> deploymentPackage(c, p, name));
    }

    @Override
    public void deletePackage(Caller caller, String project, String name) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "package.delete", name, () -> db.inTransaction(c -> {
            String id = existingPackage(c, p, name);
            refuseIfDeployed(c, "SELECT DISTINCT d.package_deployment FROM app_deployment d JOIN app_package_version pv"
                    + " ON pv.id = d.package_version_id WHERE pv.package_id = ? ORDER BY 1", id, "package '" + name + "'");
            for (String versionId : Sql.strings(c, "SELECT id FROM app_package_version WHERE package_id = ?", id)) {
                Sql.update(c, "DELETE FROM app_package_entry WHERE package_version_id = ?", versionId);
            }
            Sql.update(c, "DELETE FROM app_package_version WHERE package_id = ?", id);
            Sql.update(c, "DELETE FROM app_package WHERE id = ?", id);
            return new Done<>(null, "");
        }));
    }

    private static void refuseIfDeployed(Connection c, String sql, String id, String what) throws SQLException {
        List<String> using = Sql.strings(c, sql, id);
        if (!using.isEmpty()) {
            throw new TenancyException(Reason.CONFLICT, what + " is deployed by package deployment(s) " + String.join(", ", using)
                    + "; delete those first");
        }
    }

    @Override
    public PackageVersion createPackageVersion(Caller caller, String project, String packageName, PackageVersionSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        String version = spec == null ? null : spec.version();
        return audited(caller, p, "package.version.create", packageName + ":" + version, () -> {
            if (spec == null) {
                throw new TenancyException(Reason.INVALID, "version", "a package version needs a version and its entries");
            }
            if (spec.version() == null || !Manifests.VERSION.matcher(spec.version()).matches()) {
                throw new TenancyException(Reason.INVALID, "version", "the version is 1-128 characters of A-Z, a-z, 0-9"
                        + " and '.+_-', starting with a letter or digit (semantic versions: 1.2.3)");
            }
            String d = description(spec.description());
            List<PackageEntry> entries = spec.entries() == null ? List.of() : spec.entries();
            if (entries.isEmpty()) {
                throw new TenancyException(Reason.INVALID, "entries", "a package version has at least one entry:"
                        + " an application version and optionally a profile");
            }
            if (entries.size() > MAX_ENTRIES) {
                throw new TenancyException(Reason.INVALID, "entries", "at most " + MAX_ENTRIES + " entries, not " + entries.size());
            }
            for (int i = 0; i < entries.size(); i++) {
                PackageEntry e = entries.get(i);
                String f = "entries[" + i + "]";
                if (e == null) {
                    throw new TenancyException(Reason.INVALID, f, "an entry is required here, not null");
                }
                TenancyException.invalidIf(f + ".application", Inputs.nameRuleProblem("an application name", e.application()));
                required(f + ".version", e.version());
                if (e.profile() != null) {
                    TenancyException.invalidIf(f + ".profile", Inputs.nameRuleProblem("a profile name", e.profile()));
                }
            }
            return db.inTransaction(c -> {
                String packageId = existingPackage(c, p, packageName);
                if (Sql.string(c, "SELECT id FROM app_package_version WHERE package_id = ? AND version = ?", packageId,
                        spec.version()) != null) {
                    throw new TenancyException(Reason.CONFLICT, "version " + spec.version() + " of package '" + packageName
                            + "' already exists; package versions are immutable: create a new version");
                }
                String versionId = UUID.randomUUID().toString();
                Sql.update(c, "INSERT INTO app_package_version (id, package_id, project_id, version, description, created_by,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", versionId, packageId, p.id(), spec.version(), d,
                        shorten(caller.username()), clock.instant());
                Set<String> applications = new HashSet<>();
                for (int i = 0; i < entries.size(); i++) {
                    PackageEntry e = entries.get(i);
                    String f = "entries[" + i + "]";
                    if (!applications.add(e.application())) {
                        throw new TenancyException(Reason.INVALID, f + ".application", "application '" + e.application()
                                + "' is in the package twice; a package version holds one version of each application");
                    }
                    VersionRow v;
                    ProfileRow profile;
                    try {
                        v = existingVersion(c, p, e.application(), e.version());
                    } catch (TenancyException notFound) {
                        throw new TenancyException(Reason.INVALID, f + ".version", notFound.getMessage());
                    }
                    try {
                        profile = e.profile() == null ? null : existingProfile(c, p, v, e.profile());
                    } catch (TenancyException notFound) {
                        throw new TenancyException(Reason.INVALID, f + ".profile", notFound.getMessage());
                    }
                    Sql.update(c, "INSERT INTO app_package_entry (package_version_id, entry_index, application_id, version_id,"
                            + " profile_id) VALUES (?, ?, ?, ?, ?)", versionId, i, v.applicationId(), v.id(),
                            profile == null ? null : profile.id());
                }
                return new Done<>(packageVersion(c, p, packageName, spec.version()), spec.version() + " with "
                        + entries.stream().map(e -> e.application() + " " + e.version()).collect(Collectors.joining(", ")));
            });
        });
    }

    @Override
    public List<PackageVersion> packageVersions(Caller caller, String project, String packageName) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> {
            List<PackageVersion> out = new ArrayList<>();
            for (String v : deploymentPackage(c, p, packageName).versions()) {
                out.add(packageVersion(c, p, packageName, v));
            }
            return out;
        });
    }

    @Override
    public PackageVersion packageVersion(Caller caller, String project, String packageName, String version) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> packageVersion(c, p, packageName, version));
    }

    @Override
    public void deletePackageVersion(Caller caller, String project, String packageName, String version) {
        Project p = tenancy.authorize(caller, project, Permission.CONFIG_WRITE);
        audited(caller, p, "package.version.delete", packageName + ":" + version, () -> db.inTransaction(c -> {
            String id = existingPackageVersion(c, p, packageName, version);
            refuseIfDeployed(c, "SELECT DISTINCT package_deployment FROM app_deployment WHERE package_version_id = ? ORDER BY 1",
                    id, "version " + version + " of package '" + packageName + "'");
            Sql.update(c, "DELETE FROM app_package_entry WHERE package_version_id = ?", id);
            Sql.update(c, "DELETE FROM app_package_version WHERE id = ?", id);
            return new Done<>(null, "");
        }));
    }

    @Override
    public List<Deployment> deployPackage(Caller caller, String project, String packageName, PackageDeploymentSpec spec) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        String name = spec == null ? null : spec.name();
        return audited(caller, p, "package.deploy", name, () -> {
            if (spec == null) {
                throw new TenancyException(Reason.INVALID, "name", "a package deployment needs a name, a package version"
                        + " and a target");
            }
            name("name", spec.name(), "package deployment");
            required("version", spec.version());
            Target target = target(spec.targetKind(), spec.selector(), spec.hosts());
            return db.inTransaction(c -> {
                String versionId = existingPackageVersion(c, p, packageName, spec.version());
                if (!Sql.strings(c, "SELECT name FROM app_deployment WHERE project_id = ? AND package_deployment = ?", p.id(),
                        spec.name()).isEmpty()) {
                    throw new TenancyException(Reason.CONFLICT, "package deployment '" + spec.name() + "' already exists in '"
                            + p.name() + "'");
                }
                List<Deployment> members = new ArrayList<>();
                for (PackageEntry e : packageVersion(c, p, packageName, spec.version()).entries()) {
                    members.add(insertMember(c, p, caller.username(), spec.name(), e, target, versionId).value());
                }
                return new Done<>(List.copyOf(members), packageName + " " + spec.version() + " to " + target.describe()
                        + ": " + members.stream().map(Deployment::name).collect(Collectors.joining(", ")));
            });
        });
    }

    private Done<Deployment> insertMember(Connection c, Project p, String by, String packageDeployment, PackageEntry e,
                                          Target target, String packageVersionId) throws SQLException {
        String member = packageDeployment + "-" + e.application();
        TenancyException.invalidIf("name", Inputs.nameRuleProblem("the member deployment's name (<name>-<application>)",
                member));
        try {
            return insertDeployment(c, p, by, new DeploymentSpec(member, e.application(), e.version(), e.profile(), Map.of(),
                    target.kind(), target.selectorText(), target.hosts()), null, target, Map.of(),
                    new String[] {packageVersionId, packageDeployment});
        } catch (TenancyException refused) {
            // Which member could not be deployed, so the operator knows which entry to fix.
            throw new TenancyException(refused.reason(), refused.field(), e.application() + " " + e.version() + ": "
                    + refused.getMessage());
        }
    }

    @Override
    public List<Deployment> upgradePackageDeployment(Caller caller, String project, String packageName, String name,
                                                     String version) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        return audited(caller, p, "package.upgrade", name, () -> {
            required("version", version);
            return db.inTransaction(c -> {
                List<DeploymentRow> members = members(c, p, packageName, name);
                String versionId = existingPackageVersion(c, p, packageName, version);
                Deployment first = members.get(0).deployment();
                Target target = target(first.targetKind(), first.selector(), first.hosts());
                Map<String, DeploymentRow> byApplication = new LinkedHashMap<>();
                members.forEach(m -> byApplication.put(m.deployment().application(), m));
                List<String> moved = new ArrayList<>();
                for (PackageEntry e : packageVersion(c, p, packageName, version).entries()) {
                    DeploymentRow m = byApplication.remove(e.application());
                    if (m == null) {
                        insertMember(c, p, caller.username(), name, e, target, versionId);
                        moved.add("+" + e.application() + " " + e.version());
                        continue;
                    }
                    VersionRow v = existingVersion(c, p, e.application(), e.version());
                    ProfileRow profile = e.profile() == null ? null : existingProfile(c, p, v, e.profile());
                    // The member's own overrides go along, checked against the new version's template.
                    Map<String, String> overrides = plainValues(c, DEPLOYMENT, m.id(),
                            existingVersion(c, p, e.application(), m.deployment().version()));
                    try {
                        checkValues(v, overrides, "overrides", profile == null ? Map.of() : plainValues(c, PROFILE, profile.id(), v));
                        verify(v.manifestText(), v.signature());
                    } catch (TenancyException refused) {
                        throw new TenancyException(refused.reason(), refused.field(), e.application() + " " + e.version() + ": "
                                + refused.getMessage());
                    }
                    Sql.update(c, "UPDATE app_deployment SET version_id = ?, profile_id = ?, package_version_id = ?, updated_at = ?"
                            + " WHERE id = ?", v.id(), profile == null ? null : profile.id(), versionId, clock.instant(), m.id());
                    writeValues(c, DEPLOYMENT, m.id(), v, overrides);
                    deploymentEvent(c, p, m.deployment().name(), "UPDATED", e.application() + " " + e.version());
                    moved.add(e.application() + " " + m.deployment().version() + " -> " + e.version());
                }
                for (DeploymentRow gone : byApplication.values()) {
                    deleteDeploymentRows(c, p, gone, caller.username());
                    moved.add("-" + gone.deployment().application());
                }
                return new Done<>(memberDeployments(c, p, packageName, name), packageName + " " + first.packageVersion()
                        + " -> " + version + ": " + String.join(", ", moved));
            });
        });
    }

    @Override
    public List<Deployment> packageDeployment(Caller caller, String project, String packageName, String name) {
        Project p = tenancy.authorize(caller, project, Permission.PROJECT_READ);
        return db.inTransaction(c -> memberDeployments(c, p, packageName, name));
    }

    @Override
    public void deletePackageDeployment(Caller caller, String project, String packageName, String name) {
        Project p = tenancy.authorize(caller, project, Permission.OPERATE);
        audited(caller, p, "package.undeploy", name, () -> db.inTransaction(c -> {
            for (DeploymentRow m : members(c, p, packageName, name)) {
                deleteDeploymentRows(c, p, m, caller.username());
            }
            return new Done<>(null, "");
        }));
    }

    private List<Deployment> memberDeployments(Connection c, Project p, String packageName, String name) throws SQLException {
        return members(c, p, packageName, name).stream().map(DeploymentRow::deployment).toList();
    }

    private List<DeploymentRow> members(Connection c, Project p, String packageName, String name) throws SQLException {
        String packageId = existingPackage(c, p, packageName);
        List<String> names = Sql.strings(c, "SELECT d.name FROM app_deployment d JOIN app_package_version pv"
                + " ON pv.id = d.package_version_id WHERE d.project_id = ? AND d.package_deployment = ? AND pv.package_id = ?"
                + " ORDER BY d.name", p.id(), name, packageId);
        if (names.isEmpty()) {
            throw new TenancyException(Reason.NOT_FOUND, "package deployment '" + shorten(name) + "' of package '"
                    + shorten(packageName) + "' does not exist in '" + p.name() + "'");
        }
        List<DeploymentRow> out = new ArrayList<>();
        for (String n : names) {
            out.add(existingDeployment(c, p, n));
        }
        return out;
    }

    private static String packageId(Connection c, String projectId, String name) throws SQLException {
        return Sql.string(c, "SELECT id FROM app_package WHERE project_id = ? AND name = ?", projectId, name);
    }

    private static String existingPackage(Connection c, Project p, String name) throws SQLException {
        String id = packageId(c, p.id(), name);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, "package '" + shorten(name) + "' does not exist in '" + p.name() + "'");
        }
        return id;
    }

    private static String existingPackageVersion(Connection c, Project p, String packageName, String version)
            throws SQLException {
        String id = Sql.string(c, "SELECT id FROM app_package_version WHERE package_id = ? AND version = ?",
                existingPackage(c, p, packageName), version);
        if (id == null) {
            throw new TenancyException(Reason.NOT_FOUND, "version " + shorten(version) + " of package '" + shorten(packageName)
                    + "' does not exist");
        }
        return id;
    }

    private static DeploymentPackage deploymentPackage(Connection c, Project p, String name) throws SQLException {
        String id = existingPackage(c, p, name);
        Object[] row = Sql.one(c, "SELECT description, created_at FROM app_package WHERE id = ?",
                rs -> new Object[] {rs.getString(1), Sql.instant(rs, 2)}, id).orElseThrow();
        List<String> versions = new ArrayList<>(Sql.strings(c, "SELECT version FROM app_package_version WHERE package_id = ?", id));
        versions.sort(AppServiceImpl::newestFirst);
        return new DeploymentPackage(name, (String) row[0], (Instant) row[1], versions);
    }

    /** Semantic versions by precedence, newest first; others after them, by text. */
    private static int newestFirst(String a, String b) {
        boolean sa = org.semver4j.Semver.isValid(a);
        boolean sb = org.semver4j.Semver.isValid(b);
        if (sa && sb) {
            return Versions.compare(b, a);
        }
        return sa ? -1 : sb ? 1 : b.compareTo(a);
    }

    private static PackageVersion packageVersion(Connection c, Project p, String packageName, String version)
            throws SQLException {
        String id = existingPackageVersion(c, p, packageName, version);
        Object[] row = Sql.one(c, "SELECT description, created_by, created_at FROM app_package_version WHERE id = ?",
                rs -> new Object[] {rs.getString(1), rs.getString(2), Sql.instant(rs, 3)}, id).orElseThrow();
        List<PackageEntry> entries = Sql.list(c, "SELECT a.name, v.version, pr.name FROM app_package_entry e"
                + " JOIN app_application a ON a.id = e.application_id JOIN app_version v ON v.id = e.version_id"
                + " LEFT JOIN app_profile pr ON pr.id = e.profile_id WHERE e.package_version_id = ? ORDER BY e.entry_index",
                rs -> new PackageEntry(rs.getString(1), rs.getString(2), rs.getString(3)), id);
        return new PackageVersion(packageName, version, (String) row[0], entries, (String) row[1], (Instant) row[2]);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** What a change returns, and what the audit log says about it (never a value). */
    private record Done<T>(T value, String detail) {
    }

    private <T> T audited(Caller caller, Project p, String action, String object, Supplier<Done<T>> change) {
        return audited(caller.username(), caller.sourceAddress(), p, action, object, change);
    }

    private <T> T audited(String actor, String source, Project p, String action, String object, Supplier<Done<T>> change) {
        String type = action.startsWith("deployment") ? "deployment" : action.startsWith("package") ? "package"
                : "application";
        String obj = shorten(object);
        Done<T> done;
        try {
            done = change.get();
        } catch (TenancyException e) {
            audit.record(actor, p.orgId(), p.id(), action, type, obj, Outcome.FAILED, source,
                    e.reason() + ": " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit.record(actor, p.orgId(), p.id(), action, type, obj, Outcome.FAILED, source,
                    e.getClass().getSimpleName());
            throw e;
        }
        audit.record(actor, p.orgId(), p.id(), action, type, obj, Outcome.SUCCESS, source,
                done.detail());
        return done.value();
    }

    static TenancyException invalid(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String message = errors.stream().limit(10).map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        return new TenancyException(Reason.INVALID, first.field(), message);
    }

    private static void name(String field, String name, String what) {
        TenancyException.invalidIf(field, Inputs.nameRuleProblem("a " + what + " name", name));
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new TenancyException(Reason.INVALID, field, field + " is required");
        }
    }

    private static String description(String d) {
        String s = blank(d);
        TenancyException.invalidIf("description", Inputs.textProblem("description", s, 255));
        return s;
    }

    private static String names(Map<String, String> values) {
        return values.isEmpty() ? "no values" : "values for " + String.join(", ", new TreeMap<>(values).keySet());
    }

    private static String overridesDetail(Map<String, String> overrides) {
        return overrides.isEmpty() ? "" : ", overrides for " + String.join(", ", new TreeMap<>(overrides).keySet());
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static String shorten(String s) {
        return s == null ? "null" : s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
