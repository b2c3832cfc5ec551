package org.edgeorch.apps.oci;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciException;
import org.edgeorch.release.oci.PublishOptions;
import org.edgeorch.release.oci.PublishOptions.UsageException;
import org.edgeorch.release.oci.ReleasePublisher;

/**
 * Publishes an application version from a build pipeline, outside the orchestrator: checks the manifest, signs it
 * with the release key (detached CMS) and pushes it to the release service ({@link AppPublisher}). Progress goes to
 * stderr, the result ({@code repository:tag@digest}) to stdout; {@code bin/edge-app-publish} and
 * {@code edge:app-publish} run it.
 *
 * <p>Exit status: 0 published; 1 the publication failed (registry, signing, the version already exists); 2 bad
 * arguments or an invalid manifest, with the reason.
 */
public final class AppPublishTool {

    static final String USAGE = """
            usage: edge-app-publish --registry URL [--prefix apps/] --project P --key key.pem --cert cert.pem
                                    [--chain chain.pem] [--user U --password-file F] MANIFEST.json
              --registry   the release service's registry, http:// or https://
              --prefix     repository prefix; the repository is <prefix><project>/<application> (default apps/)
              --project    the project the application belongs to
              --key, --cert  the release signing key and its certificate (PEM)
              --chain      CA certificates to include in the signature (PEM)
              --user       registry user (basic authentication); the password is read from --password-file
              MANIFEST.json  the version's manifest (schemaVersion, application, version, runtime, artifacts pinned by
                           digest, parameters); its exact bytes are signed
            Prints repository:tag@digest. Exit status 0 published, 1 failed, 2 bad arguments.""";

    private static final Set<String> OPTIONS;
    static {
        Set<String> options = new HashSet<>(PublishOptions.COMMON);
        options.add("--project");
        OPTIONS = Set.copyOf(options);
    }
    private static final List<String> REQUIRED = List.of("--registry", "--project", "--key", "--cert");

    private AppPublishTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool with these arguments (as {@link #main}), writing to {@code out} and {@code err}.
     *
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        OciClient client;
        ReleasePublisher.Signer signer;
        String prefix;
        String project;
        byte[] manifest;
        try {
            PublishOptions options = PublishOptions.parse(args, OPTIONS);
            if (options.help()) {
                out.println(USAGE);
                return 0;
            }
            options.require(REQUIRED);
            Path file = options.file("manifest");
            if (Files.size(file) > org.edgeorch.release.oci.SignedArtifacts.MAX_SIGNED_BYTES) {
                throw new UsageException("manifest " + file + " is " + Files.size(file) + " bytes; at most "
                        + org.edgeorch.release.oci.SignedArtifacts.MAX_SIGNED_BYTES);
            }
            manifest = Files.readAllBytes(file);
            prefix = options.get("--prefix", AppArtifact.DEFAULT_PREFIX);
            project = options.get("--project");
            client = options.client();
            signer = options.signer();
        } catch (UsageException e) {
            err.println("edge-app-publish: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("edge-app-publish: the manifest cannot be read: " + e.getMessage());
            return 2;
        }
        try {
            err.println("publishing an application version of project " + project + " on " + client.base());
            AppPublisher.Published published = new AppPublisher().publish(client, prefix, project, manifest, signer);
            out.println(published.repository() + ":" + published.tag() + "@" + published.manifestDigest());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("edge-app-publish: " + e.getMessage());
            return 2;
        } catch (OciException | IOException | GeneralSecurityException | IllegalStateException e) {
            err.println("edge-app-publish: publishing failed: " + e.getMessage());
            return 1;
        }
    }
}
