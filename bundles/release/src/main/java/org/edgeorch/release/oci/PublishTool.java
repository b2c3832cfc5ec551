package org.edgeorch.release.oci;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.OciException;
import org.edgeorch.security.Pems;
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

    private static final Set<String> OPTIONS = Set.of("--registry", "--prefix", "--profile", "--version", "--os-type", "--arch",
            "--security-feature", "--description", "--known-cves", "--fixed-cves", "--key", "--cert", "--chain", "--user",
            "--password-file");
    private static final List<String> REQUIRED = List.of("--registry", "--profile", "--version", "--os-type", "--arch", "--key", "--cert");

    private PublishTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Bad arguments: the message, then the usage, exit 2. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Runs the tool; returns the exit status. */
    /**
     * Runs the tool with these arguments (as {@link #main}), writing to {@code out} and {@code err}; the
     * {@code edge:release-publish} command calls this.
     *
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        List<String> images = new ArrayList<>();
        OciClient client;
        ReleaseManifest template;
        String prefix;
        Path image;
        ReleasePublisher.Signer signer;
        try {
            parse(args, options, images);
            if (options.containsKey("--help")) {
                out.println(USAGE);
                return 0;
            }
            for (String required : REQUIRED) {
                if (!options.containsKey(required)) {
                    throw new UsageException(required + " is required");
                }
            }
            if (images.size() != 1) {
                throw new UsageException(images.isEmpty() ? "the image file is required" : "one image only, not " + images);
            }
            image = Path.of(images.get(0));
            if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
                throw new UsageException("image " + image + " is not a readable file");
            }
            prefix = options.getOrDefault("--prefix", ReleaseArtifact.DEFAULT_PREFIX);
            template = new ReleaseManifest(ReleaseManifest.SCHEMA, options.get("--profile"), options.get("--version"),
                    osType(options.get("--os-type")), options.get("--arch"), null, 0,
                    options.getOrDefault("--security-feature", "NONE"), options.getOrDefault("--description", ""),
                    cves(options.get("--known-cves")), cves(options.get("--fixed-cves")), null);
            ReleasePublisher.checkTemplate(template);
            ReleasePublisher.repository(prefix, template.profile());
            client = client(options);
            signer = signer(options);
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

    private static void parse(String[] args, Map<String, String> options, List<String> images) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                options.put("--help", "");
            } else if (arg.equals("--")) {
                images.addAll(Arrays.asList(args).subList(i + 1, args.length));
                return;
            } else if (arg.startsWith("--")) {
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                if (!OPTIONS.contains(name)) {
                    throw new UsageException("unknown option " + name);
                }
                if (value == null) {
                    if (i + 1 == args.length) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args[++i];
                }
                if (options.put(name, value) != null) {
                    throw new UsageException(name + " is given twice");
                }
            } else {
                images.add(arg);
            }
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

    private static OciClient client(Map<String, String> options) throws UsageException {
        URI registry;
        try {
            registry = URI.create(options.get("--registry"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--registry " + options.get("--registry") + " is not a URL");
        }
        String user = options.get("--user");
        String passwordFile = options.get("--password-file");
        if ((user == null) != (passwordFile == null)) {
            throw new UsageException("--user and --password-file go together");
        }
        OciClient.Credentials credentials = null;
        if (user != null) {
            String password = read(passwordFile, "--password-file");
            // A file written by echo ends with a line break that is not part of the password.
            credentials = new OciClient.Credentials(user, password.lines().findFirst().orElse(""));
        }
        return new OciClient(registry, credentials, null, null);
    }

    private static ReleasePublisher.Signer signer(Map<String, String> options) throws UsageException {
        PrivateKey key;
        List<X509Certificate> chain = new ArrayList<>();
        try {
            key = Pems.privateKey(read(options.get("--key"), "--key"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--key " + options.get("--key") + ": " + e.getMessage());
        }
        for (String option : List.of("--cert", "--chain")) {
            if (options.containsKey(option)) {
                try {
                    chain.addAll(Pems.certificates(read(options.get(option), option)));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(option + " " + options.get(option) + ": " + e.getMessage());
                }
            }
        }
        return json -> ReleaseSignatures.sign(json, key, List.copyOf(chain));
    }

    private static String read(String file, String option) throws UsageException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException(option + " " + file + " does not exist");
        } catch (IOException e) {
            throw new UsageException(option + " " + file + " cannot be read: " + e.getMessage());
        }
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
