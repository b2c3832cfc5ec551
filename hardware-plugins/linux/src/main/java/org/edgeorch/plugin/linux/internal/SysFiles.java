package org.edgeorch.plugin.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lenient reads of procfs and sysfs files. Such files may be missing, readable by root only, or
 * fail on read (a NIC's {@code speed} while the link is down); all of these mean "unknown".
 */
final class SysFiles {

    private SysFiles() {
    }

    /** The whole file, or {@code null} when it cannot be read. */
    static String read(Path file) {
        try {
            // procfs reports size 0; readAllBytes reads to end of file regardless
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The file's content trimmed, or {@code null} when it cannot be read or is blank. */
    static String readTrimmed(Path file) {
        String content = read(file);
        if (content == null) {
            return null;
        }
        String trimmed = content.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** The file's content as a decimal number, or {@code null} when unreadable or not a number. */
    static Long readLong(Path file) {
        String content = readTrimmed(file);
        if (content == null) {
            return null;
        }
        try {
            return Long.parseLong(content);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Names of the entries of a directory, sorted; empty when the directory cannot be listed. */
    static List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }
}
