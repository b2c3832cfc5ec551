package org.edgeorch.plugin.linux.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.edgeorch.spi.OsInfo;
import org.edgeorch.spi.OsInfo.OsType;
import org.edgeorch.spi.PluginException;

/**
 * Describes the running OS from {@code etc/os-release} (or {@code usr/lib/os-release}) and the
 * kernel release from {@code proc/sys/kernel/osrelease}, under a root folder. A package-managed
 * Linux is changed in place, so the type is always {@link OsType#MUTABLE} with no A/B slot.
 */
final class LinuxOsReader {

    /** What os-release(5) says NAME defaults to. */
    private static final String DEFAULT_NAME = "Linux";

    private final Path root;

    LinuxOsReader(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * @throws PluginException when neither os-release nor the kernel release can be read, which
     *                         means the root is not a Linux file system
     */
    OsInfo read() throws PluginException {
        Path etcOsRelease = root.resolve("etc/os-release");
        Path libOsRelease = root.resolve("usr/lib/os-release");
        Path kernelRelease = root.resolve("proc/sys/kernel/osrelease");
        String osRelease = SysFiles.read(etcOsRelease);
        if (osRelease == null) {
            osRelease = SysFiles.read(libOsRelease);
        }
        String kernel = SysFiles.readTrimmed(kernelRelease);
        if (osRelease == null && kernel == null) {
            throw new PluginException("Cannot read " + etcOsRelease + ", " + libOsRelease + " nor " + kernelRelease
                    + ": the root path '" + root + "' must be the root of a Linux file system"
                    + " (check rootPath in configuration " + LinuxPlugins.PID + ")");
        }
        Map<String, String> fields = osRelease == null ? Map.of() : parseOsRelease(osRelease);
        String name = firstNonBlank(fields.get("NAME"), fields.get("PRETTY_NAME"), DEFAULT_NAME);
        String version = firstNonBlank(fields.get("VERSION_ID"), fields.get("VERSION"));
        return new OsInfo(name, version, kernel, OsType.MUTABLE, null);
    }

    /** Parses the shell-like KEY=value lines of os-release(5), removing quotes and escapes. */
    static Map<String, String> parseOsRelease(String content) {
        Map<String, String> fields = new HashMap<>();
        for (String raw : content.split("\n")) {
            String line = raw.trim();
            int equals = line.indexOf('=');
            if (line.startsWith("#") || equals <= 0) {
                continue;
            }
            fields.put(line.substring(0, equals).trim(), unquote(line.substring(equals + 1).trim()));
        }
        return fields;
    }

    private static String unquote(String value) {
        if (value.length() < 2) {
            return value;
        }
        char quote = value.charAt(0);
        if ((quote != '"' && quote != '\'') || value.charAt(value.length() - 1) != quote) {
            return value;
        }
        String inner = value.substring(1, value.length() - 1);
        if (quote == '\'') {
            return inner;
        }
        StringBuilder unescaped = new StringBuilder(inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length()) {
                c = inner.charAt(++i);
            }
            unescaped.append(c);
        }
        return unescaped.toString();
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return null;
    }
}
