package org.edgeorch.tenancy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the configured initial administrator password from lying around in plain text: the first start replaces it in
 * its {@code etc/*.cfg} file by its hash (the PHC string the accounts use, which {@link InitialAdmin} then takes as
 * is), and makes that file and Configuration Admin's persistent store owner-only, since both hold it.
 */
final class ConfiguredPassword {

    static final String KEY = "initialAdminPassword";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private ConfiguredPassword() {
    }

    /**
     * Rewrites {@code cfg}'s {@value #KEY} line to {@code hash}, keeping every other line, through an owner-only
     * temporary file moved over it (so no moment shows the file readable by others); returns whether a line was found.
     */
    static boolean replaceByHash(Path cfg, String hash) throws IOException {
        List<String> lines = Files.readAllLines(cfg, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(lines.size());
        boolean replaced = false;
        for (String line : lines) {
            if (isKeyLine(line)) {
                out.add(KEY + " = " + hash);
                replaced = true;
            } else {
                out.add(line);
            }
        }
        if (!replaced) {
            return false;
        }
        Path tmp = cfg.resolveSibling("." + cfg.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** A properties line {@code initialAdminPassword = …} (or with ':' or a blank as separator), not a comment. */
    private static boolean isKeyLine(String line) {
        String s = line.stripLeading();
        if (!s.startsWith(KEY) || s.length() == KEY.length()) {
            return false;
        }
        char next = s.charAt(KEY.length());
        return next == '=' || next == ':' || Character.isWhitespace(next);
    }

    /** Makes {@code file} owner-only (0600) if it exists and the file system has POSIX permissions. */
    static void ownerOnly(Path file) throws IOException {
        if (file != null && Files.isRegularFile(file)) {
            setPermissions(file, OWNER_FILE);
        }
    }

    /** Makes a directory tree owner-only: directories 0700, files 0600. */
    static void ownerOnlyTree(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                setPermissions(p, Files.isDirectory(p) ? OWNER_DIR : OWNER_FILE);
            }
        }
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(p, permissions);
        } catch (UnsupportedOperationException notPosix) {
            // nothing to narrow on such a file system
        }
    }
}
