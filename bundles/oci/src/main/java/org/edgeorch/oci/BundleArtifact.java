package org.edgeorch.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.edgeorch.spi.release.ReleaseArtifact;

/**
 * An OSGI application's artifact: its bundles pushed as the layers of one OCI artifact (artifact type
 * {@value #ARTIFACT_TYPE}, each layer {@value #BUNDLE_MEDIA_TYPE}), which a version's manifest then pins by the
 * artifact's digest. The orchestrator's tools {@link #push push} it; the node's OSGI runtime {@link #fetch fetches} it
 * by that digest, every layer checked against its own.
 */
public final class BundleArtifact {

    public static final String ARTIFACT_TYPE = "application/vnd.edgeorch.app.osgi.v1";
    public static final String BUNDLE_MEDIA_TYPE = "application/vnd.osgi.bundle";
    private static final int BUFFER = 1 << 16;

    private BundleArtifact() {
    }

    /**
     * Pushes the bundles (in their order of installation) and the artifact under {@code tag}.
     *
     * @return the artifact's digest, to pin in the version's manifest
     * @throws IOException when a bundle cannot be read
     */
    public static String push(OciClient client, String repository, String tag, List<Path> bundles) throws IOException {
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("an OSGI artifact has at least one bundle");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (Path bundle : bundles) {
            Descriptor d = client.pushBlob(repository, bundle, BUNDLE_MEDIA_TYPE, null);
            layers.add(d.withAnnotations(Map.of("org.opencontainers.image.title", bundle.getFileName().toString())));
        }
        client.pushBlob(repository, "{}".getBytes(StandardCharsets.UTF_8), Descriptor.EMPTY_CONFIG.mediaType());
        OciManifest manifest = OciManifest.artifact(ARTIFACT_TYPE, layers, Map.of());
        return client.putManifest(repository, tag, manifest.toJson(), ReleaseArtifact.OCI_MANIFEST_MEDIA_TYPE);
    }

    /**
     * The bundles of the artifact {@code repository@digest} as local files, in the manifest's order. The manifest is
     * checked against {@code digest}, each layer against the digest the manifest names for it; only verified layers
     * are kept, by digest, under {@code store}, so a version is fetched once. A layer whose transfer broke off is
     * resumed from where it stopped ({@code Range}), its whole content checked at the end.
     *
     * @throws IOException when the artifact is not an OSGI app artifact, a digest does not match, or the transfer fails
     */
    public static List<Path> fetch(OciClient client, String repository, String digest, Path store) throws IOException {
        Digests.requireValid(digest);
        OciManifest manifest;
        try {
            manifest = client.manifest(repository, digest).ociManifest();
        } catch (IllegalArgumentException e) {
            throw new IOException(repository + "@" + digest + ": " + e.getMessage(), e);
        }
        if (!ARTIFACT_TYPE.equals(manifest.artifactType())) {
            throw new IOException(repository + "@" + digest + " is not an OSGI app artifact (artifact type "
                    + manifest.artifactType() + ", expected " + ARTIFACT_TYPE + ")");
        }
        if (manifest.layers().isEmpty()) {
            throw new IOException(repository + "@" + digest + " has no bundle");
        }
        List<Path> out = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            if (!BUNDLE_MEDIA_TYPE.equals(layer.mediaType())) {
                throw new IOException("a layer of " + repository + "@" + digest + " is " + layer.mediaType() + ", not "
                        + BUNDLE_MEDIA_TYPE);
            }
            Digests.requireValid(layer.digest());
            out.add(layer(client, repository, layer, store));
        }
        return out;
    }

    private static Path layer(OciClient client, String repository, Descriptor layer, Path store) throws IOException {
        String hex = layer.digest().substring(layer.digest().indexOf(':') + 1);
        Path file = store.resolve(hex + ".jar");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(store);
        Path part = store.resolve(hex + ".part");
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have >= layer.size()) {
            Files.deleteIfExists(part);
            have = 0;
        }
        MessageDigest hash = Digests.newDigest(Digests.algorithm(layer.digest()));
        if (have > 0) {
            try (InputStream in = Files.newInputStream(part)) {
                update(hash, in, null, have);
            }
        }
        InputStream body;
        try {
            body = client.blob(repository, layer.digest(), have);
        } catch (OciException e) {
            if (have == 0 || e.status() != 200) {
                throw e;
            }
            // The registry does not do ranges: start over.
            Files.deleteIfExists(part);
            return layer(client, repository, layer, store);
        }
        long received = have;
        try (InputStream in = body;
             OutputStream outFile = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            // From 0, the client's stream checks the digest as well; the hash here covers the resumed case.
            received += update(hash, in, outFile, layer.size() - have);
        } catch (DigestMismatchException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        String got = Digests.format(Digests.algorithm(layer.digest()), hash.digest());
        if (!got.equals(layer.digest()) || received != layer.size()) {
            Files.deleteIfExists(part);
            throw new DigestMismatchException("layer " + layer.digest() + " of " + repository + " arrived as " + got + " ("
                    + received + " of " + layer.size() + " bytes); refused");
        }
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Hashes (and copies) what {@code in} has; more than {@code max} bytes is refused. */
    private static long update(MessageDigest hash, InputStream in, OutputStream copy, long max) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long n = 0;
        for (int r; (r = in.read(buffer)) >= 0; ) {
            n += r;
            if (n > max) {
                throw new DigestMismatchException("more than the " + max + " bytes expected arrived; refused");
            }
            hash.update(buffer, 0, r);
            if (copy != null) {
                copy.write(buffer, 0, r);
            }
        }
        return n;
    }
}
