package org.edgeorch.orchestrator.shell.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.apps.AppService;
import org.edgeorch.apps.Apps;
import org.edgeorch.apps.Apps.DeploymentSpec;
import org.edgeorch.apps.Apps.ProfileSpec;
import org.edgeorch.apps.Apps.TargetKind;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.OptionsAnywhere;

/**
 * Applications, versions, profiles and deployments: {@code edge:app-*}, {@code edge:app-profile-*} and
 * {@code edge:deployment-*}. The project is the first argument, like the fleet's commands. Values are
 * {@code --set NAME=VALUE} (repeatable); secret values are never printed.
 */
public final class AppCommands {

    private AppCommands() {
    }

    public abstract static class AppCommand extends TenancyCommand {
        @Reference
        AppService apps;
    }

    // ---- applications -----------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-create", description = "Creates an application in a project (CONFIG_WRITE)")
    public static class AppCreate extends AppCommand {
        @Option(name = "--description")
        String description;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Apps.Application a = apps.createApplication(caller, project, name, description);
            System.out.println("Created application " + a.name());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-list", description = "Lists a project's applications and their versions")
    public static class AppList extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable table = table("Application", "Versions (newest first)", "Description");
            for (Apps.Application a : apps.applications(caller, project)) {
                table.addRow().addContent(a.name(), String.join(", ", a.versions()), a.description() == null ? "" : a.description());
            }
            table.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-show", description = "Shows an application version: runtime, artifacts, parameters"
            + " and signer (without a version: the newest)")
    public static class AppShow extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "application", required = true)
        String application;

        @Argument(index = 2, name = "version")
        String version;

        @Override
        protected void run(Caller caller) {
            Apps.Application a = apps.application(caller, project, application);
            String v = version != null ? version : a.versions().isEmpty() ? null : a.versions().get(0);
            System.out.printf("Application   %s%n", a.name());
            System.out.printf("Versions      %s%n", a.versions().isEmpty() ? "none" : String.join(", ", a.versions()));
            if (v == null) {
                return;
            }
            Apps.AppVersion av = apps.version(caller, project, application, v);
            System.out.printf("Version       %s (%s)%n", av.version(), av.runtime());
            System.out.printf("Signed by     %s (%s)%n", av.signer(), av.signerFingerprint());
            System.out.printf("Published     %s by %s%n", av.publishedAt(), av.publishedBy());
            for (Apps.Artifact artifact : av.artifacts()) {
                System.out.printf("Artifact      %s: %s@%s%n", artifact.name(), artifact.repository(), artifact.digest());
            }
            ShellTable table = table("Parameter", "Type", "Default", "Mandatory", "Secret", "Validation");
            for (Apps.ParameterTemplate p : av.parameters()) {
                String validation = p.type() == Apps.ParameterType.ENUM ? String.join("|", p.values())
                        : p.pattern() != null ? p.pattern()
                        : p.min() != null || p.max() != null ? (p.min() == null ? "" : p.min()) + ".." + (p.max() == null ? "" : p.max())
                        : "";
                table.addRow().addContent(p.name(), p.type(), p.defaultValue() == null ? "" : p.defaultValue(),
                        p.mandatory() ? "yes" : "", p.secret() ? "yes" : "", validation);
            }
            table.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-delete", description = "Deletes an application no deployment uses (CONFIG_WRITE)")
    public static class AppDelete extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            apps.deleteApplication(caller, project, name);
            System.out.println("Deleted application " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-version-publish", description = "Publishes a signed application version from a"
            + " manifest file and its detached CMS signature (DER or base64) on the orchestrator (CONFIG_WRITE; reads"
            + " files, so platform administrators only)")
    public static class VersionPublish extends AppCommand {
        @Option(name = "--manifest", required = true, description = "the manifest JSON file, exactly as signed")
        String manifest;

        @Option(name = "--signature", required = true, description = "openssl cms -sign -binary -outform DER output")
        String signature;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "application", required = true)
        String application;

        @Override
        protected void run(Caller caller) throws Exception {
            String text = text("--manifest", manifest);
            byte[] sig = file("--signature", signature);
            String base64 = sig.length > 0 && sig[0] == 0x30 ? Base64.getEncoder().encodeToString(sig)
                    : new String(sig, java.nio.charset.StandardCharsets.US_ASCII).strip();
            Apps.AppVersion v = apps.publishVersion(caller, project, application, text, base64);
            System.out.println("Published " + v.application() + " " + v.version() + " (" + v.runtime() + "), signed by "
                    + v.signer());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-publish", description = "Signs an application version's manifest with the"
            + " release key and publishes it to the release service, like edge:release-publish; detection then adds it"
            + " to the project (CONFIG_WRITE; reads key files on the orchestrator, so platform administrators only)")
    public static class AppPublish extends AppCommand {
        @org.apache.karaf.shell.api.action.lifecycle.Reference
        org.osgi.service.cm.ConfigurationAdmin configuration;

        @org.apache.karaf.shell.api.action.lifecycle.Reference
        org.apache.karaf.shell.api.console.Session session;

        @Option(name = "--registry", description = "the registry; default: registryUrl of org.edgeorch.release")
        String registry;

        @Option(name = "--prefix", description = "repository prefix; default: repositoryPrefix of org.edgeorch.apps")
        String prefix;

        @Option(name = "--key", required = true, description = "the release signing key (PEM file on the orchestrator)")
        String key;

        @Option(name = "--cert", required = true, description = "its certificate (PEM file on the orchestrator)")
        String cert;

        @Option(name = "--chain", description = "CA certificates to include in the signature (PEM file)")
        String chain;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "manifest", required = true, description = "the version's manifest (JSON file on the"
                + " orchestrator); its exact bytes are signed")
        String manifest;

        @Override
        protected void run(Caller caller) throws Exception {
            tenancy.authorize(caller, project, org.edgeorch.tenancy.Permission.CONFIG_WRITE);
            if (!caller.platformAdmin()) {
                throw new TenancyException(TenancyException.Reason.FORBIDDEN, "only platform administrators publish"
                        + " with key files on the orchestrator; publish from the build pipeline with bin/edge-app-publish");
            }
            java.util.Dictionary<String, Object> release = configuration.getConfiguration("org.edgeorch.release", null)
                    .getProperties();
            java.util.Dictionary<String, Object> appsConfig = configuration.getConfiguration("org.edgeorch.apps", null)
                    .getProperties();
            String url = registry != null ? registry : release == null ? null : (String) release.get("registryUrl");
            if (url == null || url.isBlank()) {
                throw new TenancyException(TenancyException.Reason.INVALID, "registry",
                        "no registry: give --registry or set registryUrl in org.edgeorch.release");
            }
            String repositoryPrefix = prefix != null ? prefix : appsConfig == null || appsConfig.get("repositoryPrefix") == null
                    ? org.edgeorch.apps.oci.AppArtifact.DEFAULT_PREFIX : (String) appsConfig.get("repositoryPrefix");
            List<String> args = new ArrayList<>(List.of("--registry", url.strip(), "--prefix", repositoryPrefix.strip(),
                    "--project", project, "--key", key, "--cert", cert));
            if (chain != null) {
                args.add("--chain");
                args.add(chain);
            }
            args.add(manifest);
            java.io.PrintStream console = session.getConsole();
            int status = org.edgeorch.apps.oci.AppPublishTool.run(args.toArray(String[]::new), console, console);
            if (status != 0) {
                org.edgeorch.shell.EdgeCommand.error("Error: nothing was published (status " + status + ")");
            } else {
                console.println("Published; detection verifies it and adds the version (edge:app-show)");
            }
        }
    }

    // ---- profiles ---------------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-profile-create", description = "Creates a profile of values for an application"
            + " version (CONFIG_WRITE); each value is checked against the version's template")
    public static class ProfileCreate extends AppCommand {
        @Option(name = "--set", multiValued = true, description = "NAME=VALUE, repeatable")
        List<String> values;

        @Option(name = "--description")
        String description;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "application", required = true)
        String application;

        @Argument(index = 2, name = "version", required = true)
        String version;

        @Argument(index = 3, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Apps.Profile p = apps.createProfile(caller, project, application, version,
                    new ProfileSpec(name, description, assignments("--set", values)));
            System.out.println("Created profile " + p.name() + " of " + p.application() + " " + p.version() + ": "
                    + p.values());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-profile-list", description = "Lists the profiles of an application version;"
            + " secret values redacted")
    public static class ProfileList extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "application", required = true)
        String application;

        @Argument(index = 2, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            ShellTable table = table("Profile", "Values", "Updated");
            for (Apps.Profile p : apps.profiles(caller, project, application, version)) {
                table.addRow().addContent(p.name(), p.values(), p.updatedAt());
            }
            table.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "app-profile-delete", description = "Deletes a profile no deployment uses (CONFIG_WRITE)")
    public static class ProfileDelete extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "application", required = true)
        String application;

        @Argument(index = 2, name = "version", required = true)
        String version;

        @Argument(index = 3, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            apps.deleteProfile(caller, project, application, version, name);
            System.out.println("Deleted profile " + name);
        }
    }

    // ---- deployments ------------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "deployment-create", description = "Deploys an application version to the hosts a"
            + " selector (--selector \"site=berlin, tier in (pos)\") or a list (--host, repeatable) names (OPERATE)")
    public static class DeploymentCreate extends AppCommand {
        @Option(name = "--profile")
        String profile;

        @Option(name = "--set", multiValued = true, description = "an override NAME=VALUE, repeatable")
        List<String> overrides;

        @Option(name = "--selector", description = "a metadata selector: key=value, key!=value, key in (a, b),"
                + " key notin (a), key, !key; comma-separated")
        String selector;

        @Option(name = "--host", multiValued = true, description = "a host's name, repeatable")
        List<String> hosts;

        @Option(name = "--follow", description = "auto-upgrade: follow this semantic-version range (^1.0.0, ~1.4.0, *):"
                + " the deployment runs the newest signed version in it and moves when a newer one is published")
        String follow;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Argument(index = 2, name = "application", required = true)
        String application;

        @Argument(index = 3, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            TargetKind kind = hosts != null && !hosts.isEmpty() ? TargetKind.HOSTS : TargetKind.SELECTOR;
            if (kind == TargetKind.HOSTS && selector != null) {
                throw new TenancyException(TenancyException.Reason.INVALID, "selector", "give --selector or --host, not both");
            }
            Apps.Deployment d = apps.createDeployment(caller, project, new DeploymentSpec(name, application, version,
                    profile, assignments("--set", overrides), kind, selector, hosts, follow));
            System.out.println("Created deployment " + d.name() + ": " + d.application() + " " + d.version() + " to "
                    + target(d) + "; " + apps.targets(caller, project, d.name()).size() + " host(s) targeted now");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "deployment-update", description = "Changes a deployment's version, profile,"
            + " overrides (--set replaces them all) or target; options not given stay (OPERATE)")
    public static class DeploymentUpdate extends AppCommand {
        @Option(name = "--version")
        String version;

        @Option(name = "--follow", description = "auto-upgrade: follow this semantic-version range (^1.0.0, ~1.4.0, *);"
                + " an empty string pins the deployment again")
        String follow;

        @Option(name = "--profile")
        String profile;

        @Option(name = "--set", multiValued = true)
        List<String> overrides;

        @Option(name = "--selector")
        String selector;

        @Option(name = "--host", multiValued = true)
        List<String> hosts;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            TargetKind kind = hosts != null && !hosts.isEmpty() ? TargetKind.HOSTS : selector != null ? TargetKind.SELECTOR : null;
            Apps.Deployment d = apps.updateDeployment(caller, project, name, new DeploymentSpec(null, null, version, profile,
                    overrides == null ? null : assignments("--set", overrides), kind, selector, hosts, follow));
            System.out.println("Updated deployment " + d.name() + ": " + d.application() + " " + d.version() + " to "
                    + target(d));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "deployment-list", description = "Lists a project's deployments")
    public static class DeploymentList extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable table = table("Deployment", "Application", "Version", "Profile", "Target", "Overrides");
            for (Apps.Deployment d : apps.deployments(caller, project)) {
                table.addRow().addContent(d.name(), d.application(), d.version(), d.profile() == null ? "" : d.profile(),
                        target(d), d.overrides());
            }
            table.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "deployment-status", description = "Shows a deployment's state on each host it"
            + " targets, as their app agents report it")
    public static class DeploymentStatusCommand extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Apps.DeploymentStatus s = apps.deploymentStatus(caller, project, name);
            System.out.printf("Deployment    %s: %s %s%n", s.deployment(), s.application(), s.version());
            System.out.printf("State         %s %s%n", s.state(), s.counts());
            ShellTable table = table("Host", "Version", "State", "Reported", "Reason");
            for (Apps.HostAppStatus h : s.hosts()) {
                table.addRow().addContent(h.host() + (h.targeted() ? "" : " (no longer targeted)"),
                        h.version() == null ? "-" : h.version(), h.state(), h.reportedAt() == null ? "-" : h.reportedAt(),
                        h.reason() == null ? "" : h.reason());
            }
            table.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "deployment-show", description = "Shows a deployment and the hosts it targets now")
    public static class DeploymentShow extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Apps.Deployment d = apps.deployment(caller, project, name);
            System.out.printf("Deployment    %s%n", d.name());
            System.out.printf("Application   %s %s%s%n", d.application(), d.version(),
                    d.profile() == null ? "" : " profile " + d.profile());
            System.out.printf("Overrides     %s%n", d.overrides());
            System.out.printf("Target        %s%n", target(d));
            System.out.printf("Created       %s by %s, updated %s%n", d.createdAt(), d.createdBy(), d.updatedAt());
            ShellTable table = table("Targeted host", "Metadata");
            for (Apps.TargetHost h : apps.targets(caller, project, name)) {
                table.addRow().addContent(h.host(), h.metadata());
            }
            table.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "deployment-delete", description = "Deletes a deployment: its hosts remove the"
            + " application (OPERATE)")
    public static class DeploymentDelete extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            apps.deleteDeployment(caller, project, name);
            System.out.println("Deleted deployment " + name);
        }
    }

    static String target(Apps.Deployment d) {
        return d.targetKind() == TargetKind.SELECTOR ? "selector " + d.selector() : "hosts " + String.join(", ", d.hosts());
    }

    /** NAME=VALUE options as a map; one without '=' is a message naming the option. */
    static Map<String, String> assignments(String option, List<String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : given == null ? new ArrayList<String>() : given) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new TenancyException(TenancyException.Reason.INVALID, option, option + " takes NAME=VALUE");
            }
            out.put(a.substring(0, eq).strip(), a.substring(eq + 1));
        }
        return out;
    }
}
