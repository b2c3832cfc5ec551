package org.edgeorch.release.oci;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;

import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciException;
import org.edgeorch.release.oci.PublishOptions.UsageException;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.edgeorch.spi.release.ReleaseManifest;

/**
 * Publishes a release from a build pipeline, outside the orchestrator: hashes the image, signs the release
 * manifest with the release key (detached CMS, as {@link ReleaseSignatures#sign}) and pushes the artifact.
 * Progress goes to stderr, the result ({@code repository:tag@digest}) to stdout.
 *
 * <p>Exit status: 0 published; 1 the publication failed (registry, signing, the version already exists);
 * 2 bad arguments, with the usage. Run it with the release and OCI bundles, the SPI and security bundles, Jackson
 * (core, annotations, databind) and Bouncy Castle (bcprov, bcpkix, bcutil) on the class path:
 * <pre>
 * java -cp 'lib/*' org.edgeorch.release.oci.PublishTool --registry https://registry.example.com \
 *     --profile edge-microvisor --version 1.4.2 --os-type IMMUTABLE --arch x86_64 \
 *     --key release-key.pem --cert release-cert.pem edge-microvisor-1.4.2.raw
 * </pre>
 */
public final class PublishTool {

    static final String USAGE = """
            usage: PublishTool --registry URL [--prefix os/] --profile P --version V --os-type IMMUTABLE|MUTABLE --arch A
                               [--security-feature S] [--description D] [--known-cves CVE-…,…] [--fixed-cves CVE-…,…]
                               --key key.pem --cert cert.pem [--chain chain.pem] [--user U --password-file F] IMAGE
              --registry          the registry, http:// or https://
              --prefix            repository prefix; the repository is <prefix><profile> (default os/)
              --profile           OS profile, for example edge-microvisor
              --version           semantic version, for example 1.4.2; it is the tag ('+' written '_')
              --os-type           IMMUTABLE (A/B image) or MUTABLE (package based)
              --arch              architecture, for example x86_64
              --security-feature  for example SECURE_BOOT_AND_FDE (default NONE)
              --description       free text
              --known-cves        CVE identifiers known to affect this version, comma-separated
              --fixed-cves        CVE identifiers this version fixes, comma-separated
              --key, --cert       the release signing key and its certificate (PEM)
              --chain             CA certificates to include in the signature (PEM)
              --user              registry user (basic authentication); the password is read from --password-file
            Prints repository:tag@digest. Exit status 0 published, 1 failed, 2 bad arguments.""";

    private static final Set<String> OPTIONS = union(PublishOptions.COMMON, Set.of("--profile", "--version", "--os-type",
            "--arch", "--security-feature", "--description", "--known-cves", "--fixed-cves"));
    private static final List<String> REQUIRED = List.of("--registry", "--profile", "--version", "--os-type", "--arch", "--key", "--cert");

    private PublishTool() {
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new java.util.HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool with these arguments (as {@link #main}), writing to {@code out} and {@code err}; the
     * {@code edge:release-publish} command calls this.
     *
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ReleaseManifest template;
        String prefix;
        Path image;
        OciClient client;
        ReleasePublisher.Signer signer;
        try {
            PublishOptions options = PublishOptions.parse(args, OPTIONS);
            if (options.help()) {
                out.println(USAGE);
                return 0;
            }
            options.require(REQUIRED);
            image = options.file("image");
            prefix = options.get("--prefix", ReleaseArtifact.DEFAULT_PREFIX);
            template = new ReleaseManifest(ReleaseManifest.SCHEMA, options.get("--profile"), options.get("--version"),
                    osType(options.get("--os-type")), options.get("--arch"), null, 0,
                    options.get("--security-feature", "NONE"), options.get("--description", ""),
                    cves(options.get("--known-cves")), cves(options.get("--fixed-cves")), null);
            ReleasePublisher.checkTemplate(template);
            ReleasePublisher.repository(prefix, template.profile());
            client = options.client();
            signer = options.signer();
        } catch (UsageException | IllegalArgumentException e) {
            err.println("PublishTool: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }

        String target = ReleasePublisher.repository(prefix, template.profile()) + ":" + ReleasePublisher.tag(template.version());
        try {
            err.println("publishing " + image + " as " + target + " on " + client.base());
            ReleasePublisher.Published published = new ReleasePublisher().publish(client, prefix, template, image, signer,
                    progress(err, Files.size(image), target));
            out.println(published.repository() + ":" + published.tag() + "@" + published.manifestDigest());
            return 0;
        } catch (OciException | IOException | GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            err.println("PublishTool: publishing " + target + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static ReleaseManifest.OsType osType(String value) throws UsageException {
        try {
            return ReleaseManifest.OsType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--os-type " + value + " is not IMMUTABLE or MUTABLE");
        }
    }

    private static List<String> cves(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(cve -> !cve.isEmpty()).toList();
    }

    /** Whole percents of the image upload: on one line on a terminal, every 10 % in a log. */
    private static LongConsumer progress(PrintStream err, long size, String target) {
        boolean terminal = System.console() != null;
        int step = terminal ? 1 : 10;
        int[] shown = {-1};
        return uploaded -> {
            int percent = size == 0 ? 100 : (int) (uploaded * 100 / size);
            if (percent / step > shown[0] / step || shown[0] < 0) {
                shown[0] = percent;
                if (terminal) {
                    err.print("\ruploading " + target + ": " + percent + "%" + (percent == 100 ? System.lineSeparator() : ""));
                } else {
                    err.println("uploading " + target + ": " + percent + "%");
                }
                err.flush();
            }
        };
    }
}
