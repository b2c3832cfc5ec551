package org.edgeorch.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;

import org.edgeorch.spi.release.ReleaseArtifact;

/**
 * A client for the OCI distribution API (the registry HTTP API {@code /v2/}), over the JDK's HTTP client:
 * blobs pushed streamed with their digest, manifests put and fetched with their digest checked, repository
 * and tag listings followed page by page.
 *
 * <p>Everything that comes back is checked before it is returned: manifests and small blobs against their
 * digest and a size limit, the digest a registry reports for an upload against the one computed here.
 * Repository names, tags and digests are checked against the OCI grammar before any request.
 *
 * <p>Authentication is HTTP basic, sent with every request to the registry's own origin (never to another
 * host a registry redirects to, such as a storage bucket). Bearer-token registries (Docker Hub style
 * {@code WWW-Authenticate: Bearer}) are not supported: they answer 401 and this client says so.
 *
 * <p>Failures are {@link OciException}s (unchecked). A client is thread-safe; it keeps its connections
 * for reuse.
 */
public final class OciClient implements AutoCloseable {

    /** The most a manifest may weigh; a registry that sends more is refused. */
    public static final long MAX_MANIFEST_BYTES = 4L << 20;
    /** Docker's manifest types, accepted when reading so that a registry does not refuse to answer. */
    public static final String DOCKER_MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

    /** Registries (docker-registry 2.8 among them) answer 404 for an OCI manifest unless it is accepted. */
    private static final String MANIFEST_ACCEPT = String.join(", ", ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE,
            OCI_INDEX_MEDIA_TYPE, DOCKER_MANIFEST_MEDIA_TYPE, DOCKER_MANIFEST_LIST_MEDIA_TYPE);
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final int MAX_REPOSITORY_LENGTH = 255;
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
    private static final long MAX_LISTING_BYTES = 16L << 20;
    private static final int MAX_ERROR_BYTES = 64 << 10;
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_PAGES = 100_000;
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Duration connectTimeout;
    private final SSLContext tls;
    private BlobDownload downloads;
    private boolean closed;

    /** A client without credentials, with the default timeouts (10 s to connect, 60 s for an answer). */
    public OciClient(URI base) {
        this(base, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, null);
    }

    /**
     * @param base           the registry, for example {@code https://registry.example.com} (http or https)
     * @param credentials    basic-auth credentials, or null
     * @param connectTimeout how long to wait for a connection; null for 10 s
     * @param requestTimeout how long to wait for the answer's headers; null for 60 s. Blob uploads are not
     *                       bounded by it (an image upload takes as long as it takes), nor is reading a
     *                       streamed blob once its headers have arrived.
     */
    public OciClient(URI base, Credentials credentials, Duration connectTimeout, Duration requestTimeout) {
        this(base, credentials, connectTimeout, requestTimeout, null);
    }

    /** As {@link #OciClient(URI, Credentials, Duration, Duration)}, trusting what {@code tls} trusts (null: the JDK's defaults). */
    public OciClient(URI base, Credentials credentials, Duration connectTimeout, Duration requestTimeout, SSLContext tls) {
        Objects.requireNonNull(base, "base");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("registry URL " + base + " must be http:// or https:// with a host");
        }
        if (base.getQuery() != null || base.getFragment() != null) {
            throw new IllegalArgumentException("registry URL " + base + " must not have a query or fragment");
        }
        String path = base.getPath() == null || base.getPath().isEmpty() ? "/" : base.getPath();
        this.base = base.resolve(path.endsWith("/") ? path : path + "/");
        this.authorization = credentials == null ? null : credentials.header();
        this.requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        this.tls = tls;
    }

    /** The registry this client talks to, ending with {@code /}. */
    public URI base() {
        return base;
    }

    /**
     * Basic-auth credentials.
     *
     * @param user     the user name, without {@code :}
     * @param password the password; not shown by {@link #toString()}
     */
    public record Credentials(String user, String password) {
        public Credentials {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a basic-auth user name cannot contain ':'");
            }
        }

        String header() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=***]";
        }
    }

    /**
     * A manifest as the registry served it.
     *
     * @param bytes     exactly the bytes served, which hash to {@code digest}
     * @param digest    their digest
     * @param mediaType the {@code Content-Type} the registry gave it
     */
    public record Fetched(byte[] bytes, String digest, String mediaType) {
        /** The bytes read as an OCI image manifest. @throws IllegalArgumentException when they are not one */
        public OciManifest ociManifest() {
            return OciManifest.parse(bytes);
        }
    }

    /**
     * Checks that the registry answers the API's base endpoint {@code GET /v2/} with 200 (and that the
     * credentials are accepted).
     */
    public void ping() {
        HttpResponse<InputStream> response = send("GET", base.resolve("v2/"), null, null, true, "GET /v2/");
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw failure("GET /v2/", response, in);
            }
        } catch (IOException e) {
            throw new OciException("GET /v2/ on " + base + ": " + e.getMessage(), e);
        }
    }

    // ---- blobs

    /**
     * Pushes a file as a blob, streamed: one pass to compute its digest, a second to upload it, never the
     * whole file in memory. Nothing is uploaded when the repository already has the blob.
     *
     * @param progress told the number of bytes uploaded so far (the full size at once when the upload is
     *                 skipped); may be null
     * @throws IOException when the file cannot be read
     */
    public Descriptor pushBlob(String repo, Path file, String mediaType, LongConsumer progress) throws IOException {
        return pushBlob(repo, file, Descriptor.of(file, mediaType), progress);
    }

    /**
     * Pushes a file whose descriptor is already known (from {@link Descriptor#of(Path, String)}), so that it
     * is read only once more, to upload it. The registry checks the digest; if the file changed since it
     * was described, the upload fails with {@code DIGEST_INVALID}.
     *
     * @throws IOException when the file cannot be read
     */
    public Descriptor pushBlob(String repo, Path file, Descriptor descriptor, LongConsumer progress) throws IOException {
        requireRepository(repo);
        Digests.requireValid(descriptor.digest());
        LongConsumer report = progress == null ? done -> { } : progress;
        if (blobSize(repo, descriptor.digest()).isPresent()) {
            report.accept(descriptor.size());
            return descriptor;
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a readable file");
        }
        CountingInputStream[] opened = new CountingInputStream[1];
        BodyPublisher body = descriptor.size() == 0 ? BodyPublishers.noBody()
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> {
                    try {
                        opened[0] = new CountingInputStream(Files.newInputStream(file), report);
                        return opened[0];
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), descriptor.size());
        try {
            upload(repo, descriptor.digest(), body);
        } catch (OciException e) {
            // A failure to read the local file surfaces as a failed request; say what really went wrong.
            if (opened[0] != null && opened[0].failure != null) {
                throw opened[0].failure;
            }
            throw e;
        }
        return descriptor;
    }

    /** Pushes small content held in memory as a blob; nothing is uploaded when the repository has it. */
    public Descriptor pushBlob(String repo, byte[] bytes, String mediaType) {
        requireRepository(repo);
        Descriptor descriptor = Descriptor.of(bytes, mediaType);
        if (blobSize(repo, descriptor.digest()).isEmpty()) {
            upload(repo, descriptor.digest(), BodyPublishers.ofByteArray(bytes));
        }
        return descriptor;
    }

    /**
     * The size of a blob of the repository by {@code HEAD}; empty when the repository does not have it, -1
     * when it has it but did not say how large it is.
     */
    public OptionalLong blobSize(String repo, String digest) {
        requireRepository(repo);
        Digests.requireValid(digest);
        String what = "HEAD blob " + digest + " of " + repo;
        HttpResponse<InputStream> response = send("HEAD", blobUri(repo, digest), null, null, true, what);
        try (InputStream in = response.body()) {
            return switch (response.statusCode()) {
                case 200 -> OptionalLong.of(response.headers().firstValueAsLong("Content-Length").orElse(-1));
                case 404 -> OptionalLong.empty();
                default -> throw failure(what, response, in);
            };
        } catch (IOException e) {
            throw new OciException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A small blob in memory, its digest verified.
     *
     * @param maxBytes the most it may weigh; a larger blob is refused before it is read
     */
    public byte[] blobBytes(String repo, String digest, long maxBytes) {
        requireRepository(repo);
        Digests.requireValid(digest);
        String what = "GET blob " + digest + " of " + repo;
        HttpResponse<InputStream> response = send("GET", blobUri(repo, digest), null, null, true, what);
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw failure(what, response, in);
            }
            byte[] bytes = readBounded(in, response.headers(), maxBytes, what);
            if (!Digests.matches(digest, bytes)) {
                throw new OciException(what + ": the content served does not match the digest (" + Digests.of(Digests.algorithm(digest), bytes) + ")");
            }
            return bytes;
        } catch (IOException e) {
            throw new OciException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A blob as a stream, from {@code offset} on (to resume a download), for content too large for memory.
     * The caller closes it. From offset 0 the stream checks the digest as it goes and its last read throws
     * an {@link IOException} if the content did not match; from a later offset the caller, who has the
     * beginning, must check the whole.
     *
     * @param offset where to start; above 0, the registry must answer the {@code Range} request with 206
     *               Partial Content from exactly that offset, or this fails
     */
    public InputStream blob(String repo, String digest, long offset) {
        requireRepository(repo);
        Digests.requireValid(digest);
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        String what = "GET blob " + digest + " of " + repo + (offset > 0 ? " from byte " + offset : "");
        String[] range = offset > 0 ? new String[] {"Range", "bytes=" + offset + "-"} : null;
        HttpResponse<InputStream> response = send("GET", blobUri(repo, digest), null, range, true, what);
        InputStream in = response.body();
        try {
            if (offset == 0) {
                if (response.statusCode() != 200) {
                    throw failure(what, response, in);
                }
                return new Digests.VerifyingInputStream(in, digest, "blob " + digest + " of " + repo);
            }
            if (response.statusCode() != 206) {
                if (response.statusCode() == 200) {
                    throw new OciException(what + ": the registry ignored the Range request (200 instead of 206)", 200, null, null);
                }
                throw failure(what, response, in);
            }
            String contentRange = response.headers().firstValue("Content-Range").orElse("");
            if (!contentRange.matches("bytes " + offset + "-\\d+/(\\d+|\\*)")) {
                throw new OciException(what + ": the registry sent the range '" + contentRange + "'", 206, null, null);
            }
            return in;
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /**
     * Downloads a blob into a file, from {@code offset} on (to resume), hashing every byte once on the way: that
     * hash is the whole digest check, so the caller needs no second pass. The bytes are written at the channel's
     * position; reading the socket, hashing and writing overlap ({@link BlobDownload}). The caller forces the
     * file to disk at the end (the download flushes as it goes, so that is quick).
     *
     * @param offset     where to start; above 0, the registry must answer the Range request with 206 from there
     * @param maxBytes   the most the registry may send (the rest of the blob's size); more fails
     * @param prefixHash the state of the digest's algorithm over the first {@code offset} bytes; null from 0
     * @return the number of bytes written
     * @throws DigestMismatchException when the whole (prefix and what came) does not hash to {@code digest}
     * @throws OciException when the registry refuses or the transfer fails (the bytes written so far are kept)
     */
    public long download(String repo, String digest, long offset, long maxBytes, FileChannel target, MessageDigest prefixHash)
            throws IOException {
        requireRepository(repo);
        Digests.requireValid(digest);
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        if (offset > 0 && prefixHash == null) {
            throw new IllegalArgumentException("resuming at " + offset + " needs the hash of the bytes before it");
        }
        MessageDigest hash = prefixHash == null ? Digests.newDigest(Digests.algorithm(digest)) : prefixHash;
        String what = "GET blob " + digest + " of " + repo + (offset > 0 ? " from byte " + offset : "");
        long written = downloads().fetch(blobUri(repo, digest), offset > 0 ? "bytes=" + offset + "-" : null, authorization,
                this::sameOrigin, offset > 0 ? 206 : 200, maxBytes, target, hash, what);
        String actual = Digests.format(Digests.algorithm(digest), hash.digest());
        if (!actual.equals(digest)) {
            throw new DigestMismatchException("blob " + digest + " of " + repo + " does not match its digest: received "
                    + (offset + written) + " bytes that hash to " + actual);
        }
        return written;
    }

    private synchronized BlobDownload downloads() {
        if (closed) {
            throw new IllegalStateException("this registry client is closed");
        }
        if (downloads == null) {
            try {
                downloads = new BlobDownload(connectTimeout, requestTimeout, tls);
            } catch (NoClassDefFoundError e) {
                // Jetty's client is imported optionally: the orchestrator has it, the node runtime does not.
                throw new OciException("download() needs Jetty's HTTP client, which this runtime lacks; read the blob with blob() instead", e);
            }
        }
        return downloads;
    }

    /** Stops the threads of blob downloads, if any ran; the client is not usable for downloads afterwards. */
    @Override
    public synchronized void close() {
        closed = true;
        if (downloads != null) {
            downloads.close();
            downloads = null;
        }
    }

    /** Deletes a manifest (a release withdrawn) by digest; the registry must have deletion enabled. */
    public void deleteManifest(String repo, String digest) {
        requireRepository(repo);
        Digests.requireValid(digest);
        String what = "DELETE manifest " + digest + " of " + repo;
        HttpResponse<InputStream> response = send("DELETE", manifestUri(repo, digest), null, null, true, what);
        try (InputStream in = response.body()) {
            if (response.statusCode() != 202) {
                throw failure(what, response, in);
            }
        } catch (IOException e) {
            throw new OciException(what + ": " + e.getMessage(), e);
        }
    }

    // ---- manifests

    /**
     * Puts a manifest under a tag (or its digest).
     *
     * @return its digest, as the registry reported it and checked against the sha256 of {@code json}
     */
    public String putManifest(String repo, String reference, byte[] json, String mediaType) {
        requireRepository(repo);
        requireReference(reference);
        Objects.requireNonNull(mediaType, "mediaType");
        if (json.length > MAX_MANIFEST_BYTES) {
            throw new IllegalArgumentException("a manifest of " + json.length + " bytes is over the " + MAX_MANIFEST_BYTES + " bytes limit");
        }
        String digest = Digests.sha256(json);
        if (reference.indexOf(':') >= 0 && !Digests.matches(reference, json)) {
            throw new IllegalArgumentException("the manifest does not hash to the reference " + reference);
        }
        String what = "PUT manifest " + repo + ":" + reference;
        HttpResponse<InputStream> response = send("PUT", manifestUri(repo, reference), BodyPublishers.ofByteArray(json),
                new String[] {"Content-Type", mediaType}, true, what);
        try (InputStream in = response.body()) {
            if (response.statusCode() != 201) {
                throw failure(what, response, in);
            }
        } catch (IOException e) {
            throw new OciException(what + ": " + e.getMessage(), e);
        }
        Optional<String> reported = response.headers().firstValue("Docker-Content-Digest");
        if (reported.isPresent() && !reported.get().equals(digest)) {
            throw new OciException(what + ": the registry reports the digest " + reported.get() + ", the manifest sent hashes to " + digest);
        }
        return digest;
    }

    /** The digest of a manifest by {@code HEAD}; empty when the repository or the reference does not exist. */
    public Optional<String> manifestDigest(String repo, String reference) {
        requireRepository(repo);
        requireReference(reference);
        String what = "HEAD manifest " + repo + ":" + reference;
        HttpResponse<InputStream> response = send("HEAD", manifestUri(repo, reference), null,
                new String[] {"Accept", MANIFEST_ACCEPT}, true, what);
        try (InputStream in = response.body()) {
            switch (response.statusCode()) {
                case 200 -> {
                    Optional<String> digest = response.headers().firstValue("Docker-Content-Digest").filter(Digests.DIGEST.asMatchPredicate());
                    return digest.isPresent() ? digest : Optional.of(manifest(repo, reference).digest());
                }
                case 404 -> {
                    return Optional.empty();
                }
                default -> throw failure(what, response, in);
            }
        } catch (IOException e) {
            throw new OciException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A manifest, at most {@link #MAX_MANIFEST_BYTES}. Its bytes are hashed: by digest, they must match the
     * reference; by tag, they must match the digest the registry reports, if it reports one.
     *
     * @throws OciException with status 404 (code {@code MANIFEST_UNKNOWN} or {@code NAME_UNKNOWN}) when it
     *                      does not exist
     */
    public Fetched manifest(String repo, String reference) {
        requireRepository(repo);
        requireReference(reference);
        String what = "GET manifest " + repo + ":" + reference;
        HttpResponse<InputStream> response = send("GET", manifestUri(repo, reference), null,
                new String[] {"Accept", MANIFEST_ACCEPT}, true, what);
        byte[] bytes;
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw failure(what, response, in);
            }
            bytes = readBounded(in, response.headers(), MAX_MANIFEST_BYTES, what);
        } catch (IOException e) {
            throw new OciException(what + ": " + e.getMessage(), e);
        }
        Optional<String> reported = response.headers().firstValue("Docker-Content-Digest");
        String expected = reference.indexOf(':') >= 0 ? reference : reported.orElse(null);
        String digest;
        if (expected != null) {
            if (!Digests.DIGEST.matcher(expected).matches()) {
                throw new OciException(what + ": the registry reports the digest '" + expected + "', which this client cannot verify");
            }
            digest = Digests.of(Digests.algorithm(expected), bytes);
            if (!digest.equals(expected)) {
                throw new OciException(what + ": the manifest served hashes to " + digest + ", expected " + expected);
            }
        } else {
            digest = Digests.sha256(bytes);
        }
        String mediaType = response.headers().firstValue("Content-Type").orElse("");
        return new Fetched(bytes, digest, mediaType);
    }

    // ---- listings

    /**
     * Every repository of the registry ({@code /v2/_catalog}), following the {@code Link} header page by
     * page, in the registry's order.
     *
     * @param pageSize how many the registry should send per page (it may send fewer)
     */
    public List<String> repositories(int pageSize) {
        return paged("v2/_catalog", pageSize, "repositories", "catalog");
    }

    /**
     * Every tag of a repository ({@code /v2/<repo>/tags/list}), page by page as for {@link #repositories};
     * empty when the repository does not exist ({@code NAME_UNKNOWN}).
     */
    public List<String> tags(String repo, int pageSize) {
        requireRepository(repo);
        return paged("v2/" + repo + "/tags/list", pageSize, "tags", "tags of " + repo);
    }

    private List<String> paged(String path, int pageSize, String field, String what) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize + " must be at least 1");
        }
        List<String> all = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        URI next = base.resolve(path + "?n=" + pageSize);
        while (next != null) {
            if (!seen.add(next) || seen.size() > MAX_PAGES) {
                throw new OciException("GET " + what + ": the registry's Link headers loop back to " + next);
            }
            String request = "GET " + what + " (" + next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery()) + ")";
            HttpResponse<InputStream> response = send("GET", next, null, new String[] {"Accept", "application/json"}, true, request);
            JsonNode page;
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    OciException failure = failure(request, response, in);
                    if (failure.status() == 404 && failure.code().equals("NAME_UNKNOWN") && all.isEmpty()) {
                        return List.of();
                    }
                    throw failure;
                }
                page = Json.MAPPER.readTree(readBounded(in, response.headers(), MAX_LISTING_BYTES, request));
            } catch (IOException e) {
                throw new OciException(request + ": " + Json.message(e), e);
            }
            JsonNode items = page == null ? null : page.get(field);
            if (items != null && !items.isNull()) {
                if (!items.isArray()) {
                    throw new OciException(request + ": '" + field + "' is not a list");
                }
                items.forEach(item -> all.add(item.asText()));
            }
            next = nextLink(response.headers(), next, request);
        }
        return List.copyOf(all);
    }

    private URI nextLink(HttpHeaders headers, URI current, String what) {
        for (String link : headers.allValues("Link")) {
            Matcher matcher = NEXT_LINK.matcher(link);
            if (matcher.find()) {
                URI next = current.resolve(matcher.group(1));
                if (!sameOrigin(next)) {
                    throw new OciException(what + ": the registry links to another host: " + next);
                }
                return next;
            }
        }
        return null;
    }

    // ---- HTTP

    private void upload(String repo, String digest, BodyPublisher body) {
        String what = "POST blob upload to " + repo;
        HttpResponse<InputStream> started = send("POST", base.resolve("v2/" + repo + "/blobs/uploads/"), BodyPublishers.noBody(), null, true, what);
        String location;
        try (InputStream in = started.body()) {
            if (started.statusCode() != 202) {
                throw failure(what, started, in);
            }
            location = started.headers().firstValue("Location")
                    .orElseThrow(() -> new OciException("POST blob upload to " + repo + ": the registry sent no Location", 202, null, null));
        } catch (IOException e) {
            throw new OciException(what + ": " + e.getMessage(), e);
        }
        URI session = started.request().uri().resolve(location);
        URI put = URI.create(session + (session.getRawQuery() == null ? "?" : "&") + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        // Content-Type matters: a Go registry reads a body sent as a form as form fields, not as the blob.
        String putWhat = "PUT blob " + digest + " to " + repo;
        HttpResponse<InputStream> finished = send("PUT", put, body, new String[] {"Content-Type", "application/octet-stream"}, false, putWhat);
        try (InputStream in = finished.body()) {
            if (finished.statusCode() != 201) {
                throw failure(putWhat, finished, in);
            }
        } catch (IOException e) {
            throw new OciException(putWhat + ": " + e.getMessage(), e);
        }
        Optional<String> reported = finished.headers().firstValue("Docker-Content-Digest");
        if (reported.isPresent() && !reported.get().equals(digest)) {
            throw new OciException(putWhat + ": the registry stored it as " + reported.get());
        }
    }

    /**
     * One exchange. GET, HEAD and DELETE follow redirects (a registry may send blob reads to a storage
     * bucket), without the credentials when the redirect leaves the registry.
     *
     * @param headers name, value, name, value…; may be null
     * @param bounded whether the request timeout applies (it does not to uploads)
     */
    private HttpResponse<InputStream> send(String method, URI uri, BodyPublisher body, String[] headers, boolean bounded, String what) {
        URI target = uri;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .method(method, body == null ? BodyPublishers.noBody() : body);
            if (bounded) {
                request.timeout(requestTimeout);
            }
            if (headers != null) {
                for (int i = 0; i < headers.length; i += 2) {
                    request.header(headers[i], headers[i + 1]);
                }
            }
            if (authorization != null && sameOrigin(target)) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new OciException(what + " on " + base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OciException(what + ": interrupted", e);
            }
            int status = response.statusCode();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || method.equals("POST") || method.equals("PUT")) {
                return response;
            }
            closeQuietly(response.body());
            if (redirects == MAX_REDIRECTS) {
                throw new OciException(what + ": more than " + MAX_REDIRECTS + " redirects", status, null, null);
            }
            String location = response.headers().firstValue("Location")
                    .orElseThrow(() -> new OciException(what + ": a redirect without Location", status, null, null));
            target = target.resolve(location);
        }
    }

    private boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getHost().equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The registry's refusal as an exception: status, and the first entry of its error body. */
    private static OciException failure(String what, HttpResponse<InputStream> response, InputStream in) {
        byte[] body;
        try {
            body = in.readNBytes(MAX_ERROR_BYTES);
        } catch (IOException e) {
            body = new byte[0];
        }
        return refusal(what, response.statusCode(), body, response.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    /**
     * A refusal from its parts, shared by the JDK client's calls and {@link BlobDownload}: the status, the first entry
     * of an OCI error body when the body is one, and a hint for 401 from the {@code WWW-Authenticate} challenge.
     */
    static OciException refusal(String what, int status, byte[] body, String challenge) {
        String code = null;
        String message = null;
        try {
            if (body.length > 0) {
                JsonNode first = Json.MAPPER.readTree(body).path("errors").path(0);
                code = first.path("code").isTextual() ? first.path("code").asText() : null;
                message = first.path("message").isTextual() ? first.path("message").asText() : null;
            }
        } catch (IOException | RuntimeException e) {
            // Not an OCI error body (a proxy's HTML page, say): the status alone has to do.
        }
        StringBuilder text = new StringBuilder(what).append(": ").append(status);
        if (code != null) {
            text.append(' ').append(code);
        }
        if (message != null) {
            text.append(" (").append(message).append(')');
        }
        if (status == 401) {
            text.append(challenge.regionMatches(true, 0, "Bearer", 0, 6)
                    ? "; the registry wants a bearer token, and this client supports only basic authentication"
                    : "; check the user and password");
        }
        return new OciException(text.toString(), status, code, message);
    }

    private static byte[] readBounded(InputStream in, HttpHeaders headers, long maxBytes, String what) throws IOException {
        OptionalLong declared = headers.firstValueAsLong("Content-Length");
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            throw new OciException(what + ": " + declared.getAsLong() + " bytes is over the limit of " + maxBytes);
        }
        byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > maxBytes) {
            throw new OciException(what + ": the answer is over the limit of " + maxBytes + " bytes");
        }
        return bytes;
    }

    private URI blobUri(String repo, String digest) {
        return base.resolve("v2/" + repo + "/blobs/" + digest);
    }

    private URI manifestUri(String repo, String reference) {
        return base.resolve("v2/" + repo + "/manifests/" + reference);
    }

    /**
     * Checks a repository name against the OCI grammar: lower-case path components of letters and digits
     * separated by {@code .}, {@code _}, {@code __} or dashes, joined by {@code /}, at most 255 characters.
     *
     * @throws IllegalArgumentException when it does not match
     */
    public static void requireRepository(String repo) {
        if (repo == null || repo.length() > MAX_REPOSITORY_LENGTH || !REPOSITORY.matcher(repo).matches()) {
            throw new IllegalArgumentException("'" + repo + "' is not a valid OCI repository name: lower-case letters and digits, "
                    + "separated by '.', '_', '__' or '-', in '/'-separated components, at most " + MAX_REPOSITORY_LENGTH + " characters");
        }
    }

    /**
     * Checks a reference: a tag ({@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}) or a digest.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static void requireReference(String reference) {
        if (reference == null) {
            throw new IllegalArgumentException("a tag or digest is required");
        }
        if (reference.indexOf(':') >= 0) {
            Digests.requireValid(reference);
        } else if (!TAG.matcher(reference).matches()) {
            throw new IllegalArgumentException("'" + reference + "' is not a valid OCI tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing more to say about a stream given up on.
        }
    }

    @Override
    public String toString() {
        return "OciClient[" + base + "]";
    }

    /** Counts the bytes read for progress, and remembers a failure to read the file. */
    private static final class CountingInputStream extends FilterInputStream {
        private final LongConsumer progress;
        private long count;
        private volatile IOException failure;

        CountingInputStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }
    }
}
