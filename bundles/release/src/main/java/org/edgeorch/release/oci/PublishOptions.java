package org.edgeorch.release.oci;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgeorch.oci.OciClient;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;

/**
 * The command line every standalone publisher reads (the OS release's {@link PublishTool}, the application version's
 * publisher): {@code --name value} or {@code --name=value} options, files after them, and from the options the
 * registry client ({@code --registry}, {@code --user}, {@code --password-file}) and the release signer ({@code --key},
 * {@code --cert}, {@code --chain}; detached CMS as {@link ReleaseSignatures#sign}).
 */
public final class PublishOptions {

    /** The options about the registry and the signing key, which every publisher takes. */
    public static final Set<String> COMMON = Set.of("--registry", "--prefix", "--key", "--cert", "--chain", "--user",
            "--password-file");

    private final Map<String, String> options;
    private final List<String> files;

    private PublishOptions(Map<String, String> options, List<String> files) {
        this.options = options;
        this.files = files;
    }

    /** Bad arguments: the tool prints the message and its usage, and exits 2. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code args}: {@code --help}/{@code -h}, options among {@code known}, each once, and the rest as files
     * ({@code --} ends the options).
     */
    public static PublishOptions parse(String[] args, Set<String> known) throws UsageException {
        Map<String, String> options = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                options.put("--help", "");
            } else if (arg.equals("--")) {
                files.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            } else if (arg.startsWith("--")) {
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                if (!known.contains(name)) {
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
                files.add(arg);
            }
        }
        return new PublishOptions(options, files);
    }

    public boolean help() {
        return options.containsKey("--help");
    }

    public String get(String option) {
        return options.get(option);
    }

    public String get(String option, String otherwise) {
        return options.getOrDefault(option, otherwise);
    }

    /** The files after the options. */
    public List<String> files() {
        return List.copyOf(files);
    }

    /** Refuses a missing option. */
    public void require(List<String> required) throws UsageException {
        for (String option : required) {
            if (!options.containsKey(option)) {
                throw new UsageException(option + " is required");
            }
        }
    }

    /** The one readable file the tool publishes. */
    public Path file(String what) throws UsageException {
        if (files.size() != 1) {
            throw new UsageException(files.isEmpty() ? "the " + what + " file is required" : "one " + what + " only, not " + files);
        }
        Path file = Path.of(files.get(0));
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException(what + " " + file + " is not a readable file");
        }
        return file;
    }

    /** The registry client of {@code --registry}, with basic authentication from {@code --user} and {@code --password-file}. */
    public OciClient client() throws UsageException {
        URI registry;
        try {
            registry = URI.create(options.get("--registry"));
        } catch (IllegalArgumentException | NullPointerException e) {
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
        try {
            return new OciClient(registry, credentials, null, null);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--registry " + options.get("--registry") + ": " + e.getMessage());
        }
    }

    /** Signs with {@code --key}, including {@code --cert} and {@code --chain} in the signature. */
    public ReleasePublisher.Signer signer() throws UsageException {
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

    static String read(String file, String option) throws UsageException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException(option + " " + file + " does not exist");
        } catch (IOException e) {
            throw new UsageException(option + " " + file + " cannot be read: " + e.getMessage());
        }
    }
}
