package org.edgeorch.shell.internal;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Text forms shared by the commands. */
final class Format {

    private Format() {
    }

    static String duration(long seconds) {
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3_600;
        long m = seconds % 3_600 / 60;
        long s = seconds % 60;
        return d > 0 ? String.format("%dd %02dh %02dm", d, h, m)
                : h > 0 ? String.format("%dh %02dm %02ds", h, m, s)
                : String.format("%dm %02ds", m, s);
    }

    static String bytes(long bytes) {
        if (bytes <= 0) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format("%.1f %s", v, units[u]);
    }

    static String details(Map<String, String> details) {
        return new TreeMap<>(details).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** A vendor and product id pair as lsusb and lspci print it, e.g. {@code 10de:1eb8}. */
    static String id(String vendorId, String productId) {
        return vendorId == null && productId == null ? "-" : orDash(vendorId) + ":" + orDash(productId);
    }

    /** A rate without a needless fraction: 480 Mb/s, but 1.5 Mb/s. */
    static String mbps(Double mbps) {
        return mbps == null ? "-" : BigDecimal.valueOf(mbps).stripTrailingZeros().toPlainString() + " Mb/s";
    }

    static String orDash(Object value) {
        return value == null || value.toString().isBlank() ? "-" : value.toString();
    }
}
