package org.edgeorch.orchestrator.shell.internal;

import static org.edgeorch.shell.EdgeCommand.orDash;
import static org.edgeorch.shell.EdgeCommand.table;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.platform.Inputs;
import org.edgeorch.release.ReleaseService;
import org.edgeorch.release.oci.PublishTool;
import org.osgi.service.cm.ConfigurationAdmin;
import org.edgeorch.release.Releases;
import org.edgeorch.release.Releases.EventOutcome;
import org.edgeorch.release.Releases.ProfileMode;
import org.edgeorch.release.Releases.ProfileSpec;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.OptionsAnywhere;
import org.edgeorch.shell.EdgeCommand;

/**
 * Releases, what detection did, the release trust store, and each project's OS profiles and OS resources. Releases,
 * events and the trust store are platform-wide; OS profiles and resources take the project as first argument, like
 * the fleet's commands.
 */
public final class ReleaseCommands {

    private ReleaseCommands() {
    }

    public abstract static class ReleaseCommand extends TenancyCommand {
        @Reference
        ReleaseService releases;
    }

    // ---- publishing ------------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-publish",
            description = "Publishes an OS image to the release service as a signed release (platform administrators)")
    public static class ReleasePublish extends ReleaseCommand {
        @Reference
        ConfigurationAdmin configuration;

        /** Its console, not System.out: the upload's progress is reported from the HTTP client's threads. */
        @Reference
        Session session;

        @Option(name = "--registry", description = "the registry; default: registryUrl of org.edgeorch.release")
        String registry;

        @Option(name = "--prefix", description = "repository prefix; default: repositoryPrefix of org.edgeorch.release")
        String prefix;

        @Option(name = "--profile", required = true, description = "OS profile, for example edge-microvisor")
        String profile;

        @Option(name = "--version", required = true, description = "semantic version, for example 1.4.2")
        String version;

        @Option(name = "--os-type", description = "IMMUTABLE (A/B image, the default) or MUTABLE")
        String osType = "IMMUTABLE";

        @Option(name = "--arch", required = true, description = "architecture, for example x86_64")
        String arch;

        @Option(name = "--security-feature", description = "for example SECURE_BOOT_AND_FDE (default NONE)")
        String securityFeature;

        @Option(name = "--description")
        String description;

        @Option(name = "--known-cves", description = "CVE identifiers known to affect this version, comma-separated")
        String knownCves;

        @Option(name = "--fixed-cves", description = "CVE identifiers this version fixes, comma-separated")
        String fixedCves;

        @Option(name = "--key", required = true, description = "the release signing key (PEM file on the orchestrator)")
        String key;

        @Option(name = "--cert", required = true, description = "its certificate (PEM file on the orchestrator)")
        String cert;

        @Option(name = "--chain", description = "CA certificates to include in the signature (PEM file)")
        String chain;

        @Argument(index = 0, name = "image", required = true, description = "the image file on the orchestrator")
        String image;

        @Override
        protected void run(Caller caller) throws Exception {
            if (!caller.platformAdmin()) {
                throw new TenancyException(TenancyException.Reason.FORBIDDEN, "only platform administrators publish releases");
            }
            Dictionary<String, Object> config = configuration.getConfiguration("org.edgeorch.release", null).getProperties();
            String url = registry != null ? registry : config == null ? null : (String) config.get("registryUrl");
            if (url == null || url.isBlank()) {
                throw new TenancyException(TenancyException.Reason.INVALID, "registry",
                        "no registry: give --registry or set registryUrl in org.edgeorch.release");
            }
            String repositoryPrefix = prefix != null ? prefix
                    : config == null || config.get("repositoryPrefix") == null ? "os/" : (String) config.get("repositoryPrefix");
            readable("image", image);
            readable("--key", key);
            readable("--cert", cert);
            if (chain != null) {
                readable("--chain", chain);
            }
            List<String> args = new ArrayList<>(List.of("--registry", url.strip(), "--prefix", repositoryPrefix.strip(),
                    "--profile", profile, "--version", version, "--os-type", osType, "--arch", arch, "--key", key, "--cert", cert));
            add(args, "--security-feature", securityFeature);
            add(args, "--description", description);
            add(args, "--known-cves", knownCves);
            add(args, "--fixed-cves", fixedCves);
            add(args, "--chain", chain);
            args.add(image);
            PrintStream console = session.getConsole();
            ToolErrors errors = new ToolErrors(console);
            int status = PublishTool.run(args.toArray(String[]::new), console, new PrintStream(errors, true, StandardCharsets.UTF_8));
            if (status != 0) {
                EdgeCommand.error("nothing was published: " + (errors.refusal == null ? "status " + status : errors.refusal));
            } else {
                System.out.println("Published; detection verifies it (edge:release-events, edge:release-list)");
            }
        }

        /**
         * The tool's standard error as the shell shows it: its progress lines go to the console as they come; its
         * refusal ({@code PublishTool: ...}) is kept for the one error line, and the usage text after it is dropped.
         */
        static final class ToolErrors extends java.io.OutputStream {
            private final PrintStream console;
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            volatile String refusal;

            ToolErrors(PrintStream console) {
                this.console = console;
            }

            @Override
            public synchronized void write(int b) {
                if (b == '\r') { // a progress line redrawn in place
                    if (refusal == null) {
                        console.print(line.toString(StandardCharsets.UTF_8) + "\r");
                        console.flush();
                    }
                    line.reset();
                    return;
                }
                if (b != '\n') {
                    line.write(b);
                    return;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (refusal == null && text.startsWith("PublishTool: ")) {
                    refusal = text.substring("PublishTool: ".length()).strip();
                } else if (refusal == null) {
                    console.println(text);
                }
            }
        }

        private static void add(List<String> args, String option, String value) {
            if (value != null) {
                args.add(option);
                args.add(value);
            }
        }
    }

    // ---- releases and events ----------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-list", description = "Lists verified and withdrawn releases, newest first")
    public static class ReleaseList extends ReleaseCommand {
        @Option(name = "--profile", description = "only releases of this release profile")
        String profile;

        @Option(name = "--offset")
        int offset;

        @Option(name = "--limit")
        int limit = 50;

        @Override
        protected void run(Caller caller) {
            String problem = Inputs.textProblem("--profile", profile, Inputs.NAME_CHARS);
            if (problem != null) {
                throw new InputException("--profile", problem);
            }
            releases(releases.releases(caller, profile, offset, limit), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-show", description = "Shows one release: image, signer, CVEs")
    public static class ReleaseShow extends ReleaseCommand {
        @Argument(index = 0, name = "profile", required = true)
        String profile;

        @Argument(index = 1, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            release(releases.release(caller, profile, version), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-events",
            description = "Lists what release detection did, newest first (platform administrators)")
    public static class ReleaseEvents extends ReleaseCommand {
        @Option(name = "--profile")
        String profile;

        @Option(name = "--outcome", description = "ACCEPTED, REJECTED, FAILED or WITHDRAWN")
        String outcome;

        @Option(name = "--offset")
        int offset;

        @Option(name = "--limit")
        int limit = 50;

        @Override
        protected void run(Caller caller) {
            events(releases.events(caller, profile, choice(EventOutcome.class, "outcome", outcome), offset, limit),
                    System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-check",
            description = "Checks the registry for new releases now, or one repository and tag again (platform administrators)")
    public static class ReleaseCheck extends ReleaseCommand {
        @Option(name = "--repository", description = "with --tag: check this one again, even when it was seen before")
        String repository;

        @Option(name = "--tag", description = "with --repository")
        String tag;

        @Override
        protected void run(Caller caller) {
            List<Releases.ReleaseEvent> events = releases.check(caller, repository, tag);
            if (events.isEmpty()) {
                System.out.println(repository == null && tag == null ? "Nothing new in the registry"
                        : "Checking " + orDash(repository) + ":" + orDash(tag) + " produced no event");
                return;
            }
            events(events, System.out);
            System.out.println(summary(events));
        }
    }

    // ---- trust store ------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-signer-add",
            description = "Trusts a signing certificate (PEM file on the orchestrator) beside those already trusted")
    public static class SignerAdd extends ReleaseCommand {
        @Argument(index = 0, name = "name", required = true)
        String name;

        @Argument(index = 1, name = "file", required = true, description = "the certificate, PEM")
        String file;

        @Override
        protected void run(Caller caller) {
            Releases.Signer s = releases.addSigner(caller, name, text("file", file));
            System.out.println("Trusted signer " + s.name() + ": " + s.subject() + ", valid until " + s.notAfter());
            System.out.println("SHA-256 fingerprint " + s.fingerprint());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-signer-list",
            description = "Lists the certificates whose release signatures are trusted, and those revoked")
    public static class SignerList extends ReleaseCommand {
        @Override
        protected void run(Caller caller) {
            signers(releases.signers(caller), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-signer-revoke",
            description = "Revokes a signer: its signatures are refused and the releases it signed are withdrawn")
    public static class SignerRevoke extends ReleaseCommand {
        @Option(name = "--reason")
        String reason;

        @Argument(index = 0, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Releases.Signer s = releases.revokeSigner(caller, name, reason);
            System.out.println("Revoked signer " + s.name() + " at " + s.revokedAt()
                    + "; the releases it signed are withdrawn");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-crl-add",
            description = "Adds or replaces a trusted CA's revocation list (PEM file on the orchestrator)")
    public static class CrlAdd extends ReleaseCommand {
        @Argument(index = 0, name = "file", required = true, description = "the CRL, PEM")
        String file;

        @Override
        protected void run(Caller caller) {
            Releases.RevocationList l = releases.addRevocationList(caller, text("file", file));
            System.out.println("Added the revocation list of " + l.issuer() + ": " + l.entries() + " revoked certificate(s), "
                    + "next update " + orDash(l.nextUpdate()));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "release-crl-list", description = "Lists the revocation lists in the release trust store")
    public static class CrlList extends ReleaseCommand {
        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Issuer", "This update", "Next update", "Entries", "Added by", "Added");
            for (Releases.RevocationList l : releases.revocationLists(caller)) {
                t.addRow().addContent(l.issuer(), l.thisUpdate(), orDash(l.nextUpdate()), l.entries(), l.addedBy(),
                        l.addedAt());
            }
            t.print(System.out);
        }
    }

    // ---- OS profiles ------------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-profile-create", description = "Creates an OS profile: which releases a project follows and how")
    public static class ProfileCreate extends ReleaseCommand {
        @Option(name = "--release-profile", required = true, description = "the release service's profile to follow")
        String releaseProfile;

        @Option(name = "--range", required = true, description = "npm-style version range: ~1.4.0, ^1.4.0, 1.4.x, \">=1.2.0 <2.0.0\", *")
        String range;

        @Option(name = "--mode", description = "AUTOMATIC (every verified release in range is offered) or MANUAL (imported by hand)")
        String mode;

        @Option(name = "--arch", description = "only releases of this architecture (default: any)")
        String architecture;

        @Option(name = "--description")
        String description;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Releases.OsProfile p = releases.createProfile(caller, project, name, new ProfileSpec(releaseProfile, range,
                    choice(ProfileMode.class, "mode", mode), architecture, description));
            System.out.println("Created OS profile " + p.name() + " following " + p.releaseProfile() + " " + p.versionRange()
                    + " (" + p.mode() + "); " + p.resources() + " OS resource(s)"
                    + (p.latest() == null ? "" : ", latest " + p.latest()));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-profile-list", description = "Lists a project's OS profiles")
    public static class ProfileList extends ReleaseCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Profile", "Follows", "Range", "Mode", "Arch", "Latest", "Resources", "Description");
            for (Releases.OsProfile p : releases.profiles(caller, project)) {
                t.addRow().addContent(p.name(), p.releaseProfile(), p.versionRange(), p.mode(), orDash(p.architecture()),
                        orDash(p.latest()), p.resources(), orDash(p.description()));
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-profile-show", description = "Shows one OS profile")
    public static class ProfileShow extends ReleaseCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            profile(releases.profile(caller, project, name), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-profile-update",
            description = "Changes an OS profile; options not given stay as they are")
    public static class ProfileUpdate extends ReleaseCommand {
        @Option(name = "--release-profile")
        String releaseProfile;

        @Option(name = "--range", description = "npm-style version range; a wider one in AUTOMATIC mode offers what it now covers")
        String range;

        @Option(name = "--mode", description = "AUTOMATIC or MANUAL")
        String mode;

        @Option(name = "--arch")
        String architecture;

        @Option(name = "--description")
        String description;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            if (releaseProfile == null && range == null && mode == null && architecture == null && description == null) {
                throw new TenancyException(TenancyException.Reason.INVALID,
                        "nothing to change: give --release-profile, --range, --mode, --arch or --description");
            }
            Releases.OsProfile p = releases.updateProfile(caller, project, name, new ProfileSpec(releaseProfile, range,
                    choice(ProfileMode.class, "mode", mode), architecture, description));
            System.out.println("Updated OS profile " + p.name() + ": " + p.releaseProfile() + " " + p.versionRange()
                    + " (" + p.mode() + "), " + p.resources() + " OS resource(s)"
                    + (p.latest() == null ? "" : ", latest " + p.latest()));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-profile-delete",
            description = "Deletes an OS profile and its OS resources; the releases stay")
    public static class ProfileDelete extends ReleaseCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            releases.deleteProfile(caller, project, name);
            System.out.println("Deleted OS profile " + name);
        }
    }

    // ---- OS resources -----------------------------------------------------------------------------

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-resource-list",
            description = "Lists an OS profile's OS resources, newest first: what the project's hosts can be updated to")
    public static class ResourceList extends ReleaseCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "profile", required = true)
        String profile;

        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Version", "Latest", "Image digest", "Size", "Status", "Imported by", "Created");
            for (Releases.OsResource r : releases.osResources(caller, project, profile)) {
                Releases.Release release = r.release();
                t.addRow().addContent(r.version(), r.latest() ? "yes" : "", release.imageDigest(),
                        OnboardingCommands.bytes(release.imageSize()), release.status(), r.importedBy(), r.createdAt());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-resource-show", description = "Shows one OS resource with its release")
    public static class ResourceShow extends ReleaseCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "profile", required = true)
        String profile;

        @Argument(index = 2, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            Releases.OsResource r = releases.osResource(caller, project, profile, version);
            System.out.printf("OS profile    %s%n", r.profile());
            System.out.printf("Latest        %s%n", r.latest() ? "yes" : "no");
            System.out.printf("Imported by   %s at %s%n", r.importedBy(), r.createdAt());
            release(r.release(), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-resource-import",
            description = "Offers a verified release in the profile's range to the project (manual mode, or to go back)")
    public static class ResourceImport extends ReleaseCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "profile", required = true)
        String profile;

        @Argument(index = 2, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            Releases.OsResource r = releases.importRelease(caller, project, profile, version);
            System.out.println("Imported " + r.release().profile() + " " + r.version() + " into OS profile " + r.profile()
                    + (r.latest() ? "; it is the latest" : ""));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "os-resource-remove", description = "Takes an OS resource away from the project")
    public static class ResourceRemove extends ReleaseCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "profile", required = true)
        String profile;

        @Argument(index = 2, name = "version", required = true)
        String version;

        @Override
        protected void run(Caller caller) {
            releases.removeOsResource(caller, project, profile, version);
            System.out.println("Removed OS resource " + version + " from OS profile " + profile);
        }
    }

    // ---- formatting -------------------------------------------------------------------------------

    static void releases(List<Releases.Release> list, PrintStream out) {
        ShellTable t = table("Profile", "Version", "OS", "Arch", "Size", "Status", "Detected", "Source", "Signer");
        for (Releases.Release r : list) {
            t.addRow().addContent(r.profile(), r.version(), r.osType(), orDash(r.architecture()),
                    OnboardingCommands.bytes(r.imageSize()), r.status(), r.detectedAt(), r.source(), r.signer());
        }
        t.print(out);
    }

    static void release(Releases.Release r, PrintStream out) {
        out.printf("Release       %s %s (%s)%n", r.profile(), r.version(), r.status());
        out.printf("OS            %s, %s%s%n", r.osType(), orDash(r.architecture()),
                r.securityFeature() == null ? "" : ", " + r.securityFeature());
        out.printf("Description   %s%n", orDash(r.description()));
        out.printf("Image         %s, %s%n", r.imageDigest(), OnboardingCommands.bytes(r.imageSize()));
        out.printf("Artifact      %s@%s%n", r.repository(), r.manifestDigest());
        out.printf("Signed by     %s (SHA-256 %s)%n", r.signer(), r.signerFingerprint());
        out.printf("Created       %s%n", orDash(r.created()));
        out.printf("Detected      %s by %s%n", r.detectedAt(), r.source());
        out.printf("Fixed CVEs    %s%n", r.fixedCves().isEmpty() ? "-" : String.join(", ", r.fixedCves()));
        out.printf("Known CVEs    %s%n", r.knownCves().isEmpty() ? "-" : String.join(", ", r.knownCves()));
    }

    static void events(List<Releases.ReleaseEvent> list, PrintStream out) {
        ShellTable t = table("Id", "Occurred", "Source", "Repository", "Tag", "Version", "Outcome", "Reason", "Detail");
        for (Releases.ReleaseEvent e : list) {
            t.addRow().addContent(e.id(), e.occurredAt(), e.source(), e.repository(), orDash(e.tag()),
                    orDash(e.version()), e.outcome(), orDash(e.reason()), orDash(e.detail()));
        }
        t.print(out);
    }

    /** {@code 2 ACCEPTED, 1 REJECTED}, in the order of {@link EventOutcome}. */
    static String summary(List<Releases.ReleaseEvent> events) {
        Map<EventOutcome, Integer> counts = new TreeMap<>();
        events.forEach(e -> counts.merge(e.outcome(), 1, Integer::sum));
        return String.join(", ", counts.entrySet().stream().map(c -> c.getValue() + " " + c.getKey()).toList());
    }

    static void signers(List<Releases.Signer> list, PrintStream out) {
        ShellTable t = table("Signer", "Subject", "SHA-256 fingerprint", "Not after", "Added by", "Added", "Revoked", "Reason");
        for (Releases.Signer s : list) {
            t.addRow().addContent(s.name(), s.subject(), s.fingerprint(), s.notAfter(), s.addedBy(), s.addedAt(),
                    orDash(s.revokedAt()), orDash(s.revocationReason()));
        }
        t.print(out);
    }

    static void profile(Releases.OsProfile p, PrintStream out) {
        out.printf("OS profile    %s%n", p.name());
        out.printf("Follows       %s %s%n", p.releaseProfile(), p.versionRange());
        out.printf("Mode          %s%n", p.mode());
        out.printf("Architecture  %s%n", p.architecture() == null ? "any" : p.architecture());
        out.printf("Description   %s%n", orDash(p.description()));
        out.printf("Latest        %s (%d OS resource(s))%n", orDash(p.latest()), p.resources());
        out.printf("Created       %s, updated %s%n", p.createdAt(), orDash(p.updatedAt()));
    }
}
