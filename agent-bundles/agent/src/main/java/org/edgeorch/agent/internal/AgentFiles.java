package org.edgeorch.agent.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's folder: owner-only (0700), files inside owner-only (0600), every file replaced atomically
 * (written beside, forced to disk, renamed), so a power cut leaves the old file or the new one, never half.
 */
public final class AgentFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    public AgentFiles(Path dir) throws IOException {
        this.dir = dir;
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
            Files.setPosixFilePermissions(dir, DIR);
        } else {
            Files.createDirectories(dir);
        }
    }

    public Path dir() {
        return dir;
    }

    public Optional<String> read(String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    /** Replaces the file atomically with owner-only permissions. */
    public void write(String name, String content) throws IOException {
        FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + name, ".tmp", attrs);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(content));
                ch.force(true);
            }
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Appends a line and forces it to disk before returning. */
    public void append(String name, String line) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            write(name, "");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(StandardCharsets.UTF_8.encode(line + "\n"));
            ch.force(false);
        }
    }

    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }
}
