package org.edgeorch.orchestrator.shell.internal;

import static org.edgeorch.shell.EdgeCommand.table;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.apps.Apps;
import org.edgeorch.apps.Apps.PackageEntry;
import org.edgeorch.apps.Apps.TargetKind;
import org.edgeorch.orchestrator.shell.internal.AppCommands.AppCommand;
import org.edgeorch.shell.OptionsAnywhere;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;

/**
 * Deployment packages: {@code edge:package-*}. A package version is a set of application versions, a profile each
 * ({@code --entry APP:VERSION[:PROFILE]}, repeatable); deploying it makes one deployment per entry, upgraded together.
 */
public final class PackageCommands {

    private PackageCommands() {
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-create", description = "Creates a deployment package in a project (CONFIG_WRITE)")
    public static class PackageCreate extends AppCommand {
        @Option(name = "--description")
        String description;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Apps.DeploymentPackage p = apps.createPackage(caller, project, name, description);
            System.out.println("Created package " + p.name());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-list", description = "Lists a project's deployment packages and their versions")
    public static class PackageList extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable table = table("Package", "Versions", "Description");
            for (Apps.DeploymentPackage p : apps.packages(caller, project)) {
                table.addRow().addContent(p.name(), String.join(", ", p.versions()), p.description() == null ? "" : p.description());
            }
            table.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-version-create", description = "Creates a package version from application"
            + " versions: --entry APP:VERSION[:PROFILE], repeatable (CONFIG_WRITE)")
    public static class VersionCreate extends AppCommand {
        @Option(name = "--entry", multiValued = true, required = true, description = "APP:VERSION or APP:VERSION:PROFILE")
        List<String> entries;

        @Option(name = "--description")
        String description;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "package", required = true)
        String name;

        @Argument(index = 2, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            List<PackageEntry> parsed = new ArrayList<>();
            for (String entry : entries) {
                String[] parts = entry.split(":", -1);
                if (parts.length < 2 || parts.length > 3) {
                    throw new TenancyException(TenancyException.Reason.INVALID, "entries[" + parsed.size() + "]",
                            "--entry is APP:VERSION or APP:VERSION:PROFILE");
                }
                parsed.add(new PackageEntry(parts[0], parts[1], parts.length == 3 ? parts[2] : null));
            }
            Apps.PackageVersion v = apps.createPackageVersion(caller, project, name,
                    new Apps.PackageVersionSpec(version, description, parsed));
            System.out.println("Created " + v.packageName() + " " + v.version() + " with " + v.entries().size() + " application(s)");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-show", description = "Shows a package version's entries, or a package"
            + " deployment's members with --deployment")
    public static class PackageShow extends AppCommand {
        @Option(name = "--deployment", description = "show this package deployment's members instead")
        String deployment;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "package", required = true)
        String name;

        @Argument(index = 2, name = "version", description = "the package version (default: the newest)")
        String version;

        @Override
        protected void run(Caller caller) {
            if (deployment != null) {
                members(apps.packageDeployment(caller, project, name, deployment));
                return;
            }
            String shown = version;
            if (shown == null) {
                List<String> versions = apps.deploymentPackage(caller, project, name).versions();
                if (versions.isEmpty()) {
                    System.out.println("Package " + name + " has no versions yet");
                    return;
                }
                shown = versions.get(0);
            }
            Apps.PackageVersion v = apps.packageVersion(caller, project, name, shown);
            System.out.println(v.packageName() + " " + v.version() + (v.description() == null ? "" : ": " + v.description()));
            ShellTable table = table("Application", "Version", "Profile");
            for (PackageEntry e : v.entries()) {
                table.addRow().addContent(e.application(), e.version(), e.profile() == null ? "" : e.profile());
            }
            table.print(System.out);
        }
    }

    static void members(List<Apps.Deployment> members) {
        ShellTable table = table("Deployment", "Application", "Version", "Profile", "Package version", "Target");
        for (Apps.Deployment d : members) {
            table.addRow().addContent(d.name(), d.application(), d.version(), d.profile() == null ? "" : d.profile(),
                    d.packageVersion(), AppCommands.target(d));
        }
        table.print(System.out);
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-deploy", description = "Deploys a package version to the hosts a selector"
            + " or a list (--host, repeatable) names: one deployment <name>-<application> per entry, all or none (OPERATE)")
    public static class PackageDeploy extends AppCommand {
        @Option(name = "--selector", description = "a metadata selector: key=value, key in (a, b), ...")
        String selector;

        @Option(name = "--host", multiValued = true, description = "a host's name, repeatable")
        List<String> hosts;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true, description = "the package deployment's name")
        String name;

        @Argument(index = 2, name = "package", required = true)
        String packageName;

        @Argument(index = 3, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            TargetKind kind = hosts != null && !hosts.isEmpty() ? TargetKind.HOSTS : TargetKind.SELECTOR;
            if (kind == TargetKind.HOSTS && selector != null) {
                throw new TenancyException(TenancyException.Reason.INVALID, "selector", "give --selector or --host, not both");
            }
            List<Apps.Deployment> members = apps.deployPackage(caller, project, packageName,
                    new Apps.PackageDeploymentSpec(name, version, kind, selector, hosts));
            System.out.println("Deployed " + packageName + " " + version + " as " + members.size() + " deployment(s)");
            members(members);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-upgrade", description = "Moves a package deployment to another version of"
            + " its package, every member together (OPERATE)")
    public static class PackageUpgrade extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true, description = "the package deployment")
        String name;

        @Argument(index = 2, name = "package", required = true)
        String packageName;

        @Argument(index = 3, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            members(apps.upgradePackageDeployment(caller, project, packageName, name, version));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-undeploy", description = "Removes a package deployment: every member (OPERATE)")
    public static class PackageUndeploy extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Argument(index = 2, name = "package", required = true)
        String packageName;

        @Override
        protected void run(Caller caller) {
            apps.deletePackageDeployment(caller, project, packageName, name);
            System.out.println("Removed package deployment " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "package-delete", description = "Deletes a package, or one version of it with a"
            + " third argument, that no deployment runs (CONFIG_WRITE)")
    public static class PackageDelete extends AppCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "package", required = true)
        String name;

        @Argument(index = 2, name = "version")
        String version;

        @Override
        protected void run(Caller caller) {
            if (version == null) {
                apps.deletePackage(caller, project, name);
                System.out.println("Deleted package " + name);
            } else {
                apps.deletePackageVersion(caller, project, name, version);
                System.out.println("Deleted " + name + " " + version);
            }
        }
    }
}
