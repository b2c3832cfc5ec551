package org.edgeorch.apps;

import java.util.List;

import org.edgeorch.apps.Apps.AppVersion;
import org.edgeorch.apps.Apps.Application;
import org.edgeorch.apps.Apps.Deployment;
import org.edgeorch.apps.Apps.DeploymentSpec;
import org.edgeorch.apps.Apps.DeploymentPackage;
import org.edgeorch.apps.Apps.DeploymentStatus;
import org.edgeorch.apps.Apps.PackageDeploymentSpec;
import org.edgeorch.apps.Apps.PackageVersion;
import org.edgeorch.apps.Apps.PackageVersionSpec;
import org.edgeorch.apps.Apps.Profile;
import org.edgeorch.apps.Apps.ProfileSpec;
import org.edgeorch.apps.Apps.TargetHost;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A project's applications as operators see them. Reading needs PROJECT_READ; applications, versions and profiles
 * need CONFIG_WRITE; deployments need OPERATE. The caller is authorised before anything it sent is looked at, so
 * another tenant's project is NOT_FOUND whatever the input. Refusals are
 * {@link org.edgeorch.tenancy.TenancyException}s (INVALID with the field at fault) and change nothing; every change,
 * and every refused one, is audited, without any secret value.
 */
@ProviderType
public interface AppService {

    // ---- applications and versions --------------------------------------------------------------------

    Application createApplication(Caller caller, String project, String name, String description);

    List<Application> applications(Caller caller, String project);

    Application application(Caller caller, String project, String name);

    /** Deletes an application that no deployment uses, with its versions and profiles. */
    void deleteApplication(Caller caller, String project, String name);

    /**
     * Publishes a version of an application: its manifest (JSON, {@link Apps.AppManifest}) exactly as signed and the
     * detached CMS signature over it (DER, base64), checked against the release trust store. An unsigned, tampered,
     * untrusted, revoked or expired signature is refused (INVALID, field {@code signature}), and so is a manifest
     * for another application, of an unknown runtime, with artifacts not pinned by digest or a wrong template.
     */
    AppVersion publishVersion(Caller caller, String project, String application, String manifest, String signature);

    /** The application's versions, newest first. */
    List<AppVersion> versions(Caller caller, String project, String application);

    AppVersion version(Caller caller, String project, String application, String version);

    /** Deletes a version that no deployment uses, with its profiles. */
    void deleteVersion(Caller caller, String project, String application, String version);

    // ---- profiles ---------------------------------------------------------------------------------------

    /** Creates a profile of a version; each value is checked against the version's template (field values.NAME). */
    Profile createProfile(Caller caller, String project, String application, String version, ProfileSpec spec);

    /**
     * Replaces a profile's description and values; a secret sent back as {@link Apps#REDACTED} keeps its stored value.
     */
    Profile updateProfile(Caller caller, String project, String application, String version, String name,
                          ProfileSpec spec);

    List<Profile> profiles(Caller caller, String project, String application, String version);

    Profile profile(Caller caller, String project, String application, String version, String name);

    void deleteProfile(Caller caller, String project, String application, String version, String name);

    // ---- deployments ------------------------------------------------------------------------------------

    /**
     * Deploys a version (with a profile of it, and overrides) to the hosts a selector or a list names (OPERATE). The
     * values that result from defaults, profile and overrides must satisfy the template: every mandatory parameter
     * has a value, each value has its type and passes its validation.
     */
    Deployment createDeployment(Caller caller, String project, DeploymentSpec spec);

    /**
     * Changes a deployment (OPERATE): fields of the spec that are null stay (name is ignored); a secret override sent
     * back as {@link Apps#REDACTED} keeps its stored value.
     */
    Deployment updateDeployment(Caller caller, String project, String name, DeploymentSpec spec);

    List<Deployment> deployments(Caller caller, String project);

    Deployment deployment(Caller caller, String project, String name);

    void deleteDeployment(Caller caller, String project, String name);

    /** The hosts the deployment targets now, by name (evaluated against the fleet as it is). */
    List<TargetHost> targets(Caller caller, String project, String name);

    /**
     * The deployment's state on each host it targets, as the hosts' app agents reported it (PROJECT_READ), and on the
     * hosts it no longer targets that still report it.
     */
    DeploymentStatus deploymentStatus(Caller caller, String project, String name);

    // ---- deployment packages ----------------------------------------------------------------------------

    /** Creates a deployment package (CONFIG_WRITE). */
    DeploymentPackage createPackage(Caller caller, String project, String name, String description);

    List<DeploymentPackage> packages(Caller caller, String project);

    DeploymentPackage deploymentPackage(Caller caller, String project, String name);

    /** Deletes a package no deployment runs, with its versions (CONFIG_WRITE). */
    void deletePackage(Caller caller, String project, String name);

    /**
     * Creates a version of a package (CONFIG_WRITE): each entry names an application version of the project and
     * optionally a profile of it (fields {@code entries[i].application|version|profile}); an application at most once.
     * Versions are immutable.
     */
    PackageVersion createPackageVersion(Caller caller, String project, String packageName, PackageVersionSpec spec);

    /** The package's versions, newest first. */
    List<PackageVersion> packageVersions(Caller caller, String project, String packageName);

    PackageVersion packageVersion(Caller caller, String project, String packageName, String version);

    /** Deletes a package version no deployment runs (CONFIG_WRITE). */
    void deletePackageVersion(Caller caller, String project, String packageName, String version);

    /**
     * Deploys a package version (OPERATE): one deployment per entry, named {@code <name>-<application>}, to the same
     * target, all in one transaction: if one entry cannot be deployed (its values do not satisfy its template, its
     * signature is refused, a name is taken) none is. Returns the member deployments.
     */
    List<Deployment> deployPackage(Caller caller, String project, String packageName, PackageDeploymentSpec spec);

    /**
     * Moves a package deployment to another version of its package (OPERATE), in one transaction: members of
     * applications still in it move to the new entry's version and profile, new applications get a member, members of
     * applications no longer in it are removed. Returns the members after the move.
     */
    List<Deployment> upgradePackageDeployment(Caller caller, String project, String packageName, String name,
                                              String version);

    /** The members of a package deployment (PROJECT_READ). */
    List<Deployment> packageDeployment(Caller caller, String project, String packageName, String name);

    /** Removes a package deployment: every member (OPERATE). */
    void deletePackageDeployment(Caller caller, String project, String packageName, String name);
}
