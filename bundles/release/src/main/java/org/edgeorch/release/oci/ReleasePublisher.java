package org.edgeorch.release.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import org.edgeorch.oci.Descriptor;
import org.edgeorch.oci.Json;
import org.edgeorch.oci.OciClient;
import org.edgeorch.spi.release.ReleaseArtifact;
import org.edgeorch.spi.release.ReleaseManifest;

/**
 * Publishes an OS image as a signed release: the image, its {@link ReleaseManifest} (canonical JSON) and
 * the manifest's detached signature, as one OCI artifact laid out as {@link ReleaseArtifact} describes,
 * tagged with the version in the repository {@code <prefix><profile>}.
 *
 * <p>Releases are immutable: a version already in the registry is refused unless the publisher was made
 * to overwrite. The check and the final manifest put are two requests, so two publishers racing on the
 * same version can still both succeed; the registry has no conditional put.
 *
 * <p>Also home of the release manifest's JSON form: {@link #canonicalJson} writes the bytes that are
 * signed, {@link #parse} reads them back strictly.
 */
public final class ReleasePublisher {

    public static final String ANNOTATION_VERSION = "org.opencontainers.image.version";
    public static final String ANNOTATION_CREATED = "org.opencontainers.image.created";
    public static final String ANNOTATION_TITLE = "org.opencontainers.image.title";
    public static final String ANNOTATION_DESCRIPTION = "org.opencontainers.image.description";
    /** The title annotation of the manifest layer, so that generic tools (oras pull) give it a file name. */
    public static final String MANIFEST_FILE_NAME = "release-manifest.json";
    public static final String SIGNATURE_FILE_NAME = "release-manifest.json.cms";

    private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** semver.org's own expression. */
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final int MAX_VERSION_LENGTH = 128;
    private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectReader STRICT_READER = Json.MAPPER.readerFor(ReleaseManifest.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Clock clock;
    private final boolean overwrite;

    /** A publisher that refuses to overwrite a release and dates releases by the system clock. */
    public ReleasePublisher() {
        this(Clock.systemUTC(), false);
    }

    /**
     * @param clock     dates the releases ({@code created}, to the second, UTC)
     * @param overwrite whether a version already published may be replaced; releases are meant to be
     *                  immutable, so only for repairing a broken publication
     */
    public ReleasePublisher(Clock clock, boolean overwrite) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.overwrite = overwrite;
    }

    /** Signs the canonical JSON of a release manifest: returns a detached CMS signature in DER. */
    @FunctionalInterface
    public interface Signer {
        byte[] sign(byte[] manifestJson) throws GeneralSecurityException, IOException;
    }

    /**
     * What was published.
     *
     * @param repository     {@code <prefix><profile>}
     * @param tag            the version, with {@code +} (not allowed in tags) written {@code _}
     * @param manifestDigest the OCI manifest's digest: the release's immutable address
     * @param imageDigest    the image blob's digest
     * @param size           the image's size in bytes
     * @param manifest       the release manifest as signed
     */
    public record Published(String repository, String tag, String manifestDigest, String imageDigest, long size,
                            ReleaseManifest manifest) {
    }

    /**
     * Publishes {@code image} as a release.
     *
     * @param prefix   the repository prefix, for example {@link ReleaseArtifact#DEFAULT_PREFIX}; may be empty
     * @param template what the release says about itself: profile, version, osType, architecture,
     *                 securityFeature (null: {@code NONE}), description (null: empty), knownCves, fixedCves.
     *                 Its schema, created, imageSha256 and imageSize are filled in here; if imageSha256 is
     *                 given it must be the image's.
     * @param progress told the number of image bytes uploaded so far; may be null. The image is read twice,
     *                 once to hash it (not reported) and once to upload it.
     * @throws IllegalArgumentException when an input is invalid (the message says which and why)
     * @throws IllegalStateException    when the version is already published and overwriting is off
     * @throws IOException              when the image cannot be read
     * @throws GeneralSecurityException when signing fails
     * @throws OciException             when the registry fails
     */
    public Published publish(OciClient client, String prefix, ReleaseManifest template, Path image, Signer signer,
                             LongConsumer progress) throws IOException, GeneralSecurityException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(template, "template");
        checkTemplate(template);
        String repository = repository(prefix, template.profile());
        String tag = tag(template.version());
        if (image == null || !Files.isRegularFile(image) || !Files.isReadable(image)) {
            throw new IllegalArgumentException("image " + image + " is not a readable file");
        }
        if (!overwrite) {
            SignedArtifacts.requireAbsent(client, repository, tag, "release", "releases");
        }
        Descriptor imageBlob = Descriptor.of(image, ReleaseArtifact.IMAGE_MEDIA_TYPE)
                .withAnnotations(Map.of(ANNOTATION_TITLE, image.getFileName().toString()));
        if (imageBlob.size() == 0) {
            throw new IllegalArgumentException("image " + image + " is empty");
        }
        String imageSha256 = imageBlob.digest().substring("sha256:".length());
        if (template.imageSha256() != null && !template.imageSha256().equals(imageSha256)) {
            throw new IllegalArgumentException("the release says its image's SHA-256 is " + template.imageSha256()
                    + " but " + image + " hashes to " + imageSha256);
        }
        String created = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        ReleaseManifest manifest = new ReleaseManifest(ReleaseManifest.SCHEMA, template.profile(), template.version(),
                template.osType(), template.architecture(), imageSha256, imageBlob.size(),
                isBlank(template.securityFeature()) ? "NONE" : template.securityFeature(),
                template.description() == null ? "" : template.description(),
                template.knownCves(), template.fixedCves(), created);
        validate(manifest);
        byte[] json = canonicalJson(manifest);
        byte[] signature = signer.sign(json);
        if (signature == null || signature.length == 0) {
            throw new GeneralSecurityException("the signer returned no signature");
        }

        client.pushBlob(repository, image, imageBlob, progress);
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(ANNOTATION_VERSION, manifest.version());
        annotations.put(ANNOTATION_CREATED, created);
        annotations.put(ANNOTATION_TITLE, manifest.profile());
        if (!manifest.description().isEmpty()) {
            annotations.put(ANNOTATION_DESCRIPTION, manifest.description());
        }
        String digest = SignedArtifacts.push(client, repository, tag, ReleaseArtifact.ARTIFACT_TYPE, List.of(imageBlob),
                new SignedArtifacts.Part(json, ReleaseArtifact.MANIFEST_MEDIA_TYPE, MANIFEST_FILE_NAME),
                new SignedArtifacts.Part(signature, ReleaseArtifact.SIGNATURE_MEDIA_TYPE, SIGNATURE_FILE_NAME), annotations);
        return new Published(repository, tag, digest, imageBlob.digest(), imageBlob.size(), manifest);
    }

    /**
     * The repository a profile's releases go to: {@code prefix + profile}.
     *
     * @throws IllegalArgumentException when the profile name or the resulting repository name is invalid
     */
    public static String repository(String prefix, String profile) {
        requireProfile(profile);
        String repository = (prefix == null ? "" : prefix) + profile;
        try {
            OciClient.requireRepository(repository);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prefix '" + prefix + "' and profile '" + profile + "' make an invalid repository name: "
                    + e.getMessage(), e);
        }
        return repository;
    }

    /**
     * The tag a version is published under: the version itself, except that build metadata's {@code +},
     * which OCI tags cannot contain, is written {@code _} ({@code 1.2.0+b7} → {@code 1.2.0_b7}), as Helm does.
     */
    public static String tag(String version) {
        requireVersion(version);
        return version.replace('+', '_');
    }

    /**
     * The exact bytes that are signed: the manifest as JSON with its properties in alphabetical order,
     * no whitespace, UTF-8.
     */
    public static byte[] canonicalJson(ReleaseManifest manifest) {
        try {
            return Json.MAPPER.writeValueAsBytes(Objects.requireNonNull(manifest, "manifest"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a release manifest", e);
        }
    }

    /**
     * Reads a release manifest strictly: every property present, none unknown, none twice, the schema
     * {@link ReleaseManifest#SCHEMA}, and every field as {@link #publish} would have written it (profile,
     * semantic version, 64 hex digit SHA-256, CVE identifiers, ISO-8601 created). Check the signature over
     * {@code json} before trusting what this returns.
     *
     * @throws IllegalArgumentException with what is wrong
     */
    public static ReleaseManifest parse(byte[] json) {
        ReleaseManifest manifest;
        try {
            manifest = STRICT_READER.readValue(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a release manifest: " + Json.message(e), e);
        }
        if (manifest == null) {
            throw new IllegalArgumentException("not a release manifest: the document is null");
        }
        validate(manifest);
        return manifest;
    }

    /** A complete release manifest, as {@link #parse} accepts and {@link #publish} writes. */
    static void validate(ReleaseManifest manifest) {
        if (!ReleaseManifest.SCHEMA.equals(manifest.schema())) {
            throw new IllegalArgumentException("release manifest schema '" + manifest.schema() + "' is not " + ReleaseManifest.SCHEMA);
        }
        checkTemplate(manifest);
        if (manifest.imageSha256() == null || !SHA256_HEX.matcher(manifest.imageSha256()).matches()) {
            throw new IllegalArgumentException("imageSha256 '" + manifest.imageSha256() + "' is not 64 lower-case hex digits");
        }
        if (manifest.imageSize() < 0) {
            throw new IllegalArgumentException("imageSize " + manifest.imageSize() + " is negative");
        }
        if (manifest.securityFeature() == null || manifest.description() == null) {
            throw new IllegalArgumentException("securityFeature and description are required (NONE and \"\" when there is nothing to say)");
        }
        try {
            Instant.parse(Objects.requireNonNullElse(manifest.created(), ""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("created '" + manifest.created() + "' is not an ISO-8601 UTC instant such as 2025-01-31T12:00:00Z", e);
        }
    }

    /**
     * Checks what the publisher of a release states, as opposed to what is computed from the image: profile
     * name, semantic version, osType, architecture, CVE identifiers. {@link #publish} does this first.
     *
     * @throws IllegalArgumentException with what is wrong
     */
    public static void checkTemplate(ReleaseManifest manifest) {
        requireProfile(manifest.profile());
        requireVersion(manifest.version());
        if (manifest.osType() == null) {
            throw new IllegalArgumentException("osType is required: IMMUTABLE or MUTABLE");
        }
        if (isBlank(manifest.architecture())) {
            throw new IllegalArgumentException("architecture is required, for example x86_64 or aarch64");
        }
        requireCves("knownCves", manifest.knownCves());
        requireCves("fixedCves", manifest.fixedCves());
    }

    private static void requireProfile(String profile) {
        if (profile == null || !PROFILE.matcher(profile).matches()) {
            throw new IllegalArgumentException("profile '" + profile + "' is not a valid profile name: 1 to 63 lower-case letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
    }

    private static void requireVersion(String version) {
        if (version == null || version.length() > MAX_VERSION_LENGTH || !SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException("version '" + version + "' is not a semantic version MAJOR.MINOR.PATCH[-prerelease][+build] "
                    + "(for example 1.4.2 or 2.0.0-rc.1), at most " + MAX_VERSION_LENGTH + " characters");
        }
    }

    private static void requireCves(String field, List<String> cves) {
        for (String cve : cves) {
            if (cve == null || !CVE.matcher(cve).matches()) {
                throw new IllegalArgumentException(field + ": '" + cve + "' is not a CVE identifier like CVE-2024-3094");
            }
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
