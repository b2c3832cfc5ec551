package org.edgeorch.observability.internal.alert;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.edgeorch.observability.Alerts.RuleKind;
import org.edgeorch.observability.Alerts.Severity;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

/** The default rules every project has, and the bounds within which rules may be changed. */
final class RuleBounds {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final long MAX_DURATION_SECONDS = 86_400;

    /** A default rule. */
    record Default(String name, RuleKind kind, String parameter, Double threshold, long durationSeconds, Severity severity) {
    }

    static final List<Default> DEFAULTS = List.of(
            new Default("cpu-high", RuleKind.METRIC, Telemetry.CPU_USAGE, 80.0, 300, Severity.WARNING),
            new Default("memory-high", RuleKind.METRIC, Telemetry.MEMORY_USED_PERCENT, 80.0, 300, Severity.WARNING),
            new Default("disk-full", RuleKind.METRIC, Telemetry.FS_USED_PERCENT, 85.0, 300, Severity.WARNING),
            new Default("temperature-high", RuleKind.METRIC, Telemetry.TEMPERATURE, 75.0, 300, Severity.CRITICAL),
            new Default("host-down", RuleKind.HOST_STATUS, "NO_CONNECTION", null, 0, Severity.CRITICAL),
            new Default("host-error", RuleKind.HOST_STATUS, "ERROR", null, 0, Severity.WARNING),
            new Default("update-failed", RuleKind.UPDATE_RUN_FAILED, null, null, 0, Severity.WARNING),
            new Default("rollout-paused", RuleKind.ROLLOUT_PAUSED, null, null, 0, Severity.WARNING),
            new Default("app-unhealthy", RuleKind.APP_UNHEALTHY, null, null, 0, Severity.WARNING),
            new Default("certificate-expiring", RuleKind.CERTIFICATE_EXPIRING, null, 14.0, 0, Severity.WARNING),
            new Default("release-rejected", RuleKind.RELEASE_REJECTED, null, 24.0, 0, Severity.WARNING));

    /** Metric thresholds: the lowest and highest a rule may use. */
    private static final Map<String, double[]> METRICS = Map.of(
            Telemetry.CPU_USAGE, new double[] {1, 100},
            Telemetry.MEMORY_USED_PERCENT, new double[] {1, 100},
            Telemetry.FS_USED_PERCENT, new double[] {1, 100},
            Telemetry.TEMPERATURE, new double[] {20, 150},
            Telemetry.LOAD_1, new double[] {0.1, 1000},
            Telemetry.LOAD_5, new double[] {0.1, 1000},
            Telemetry.LOAD_15, new double[] {0.1, 1000});

    static final List<String> HOST_STATUSES = List.of("NO_CONNECTION", "ERROR");

    private RuleBounds() {
    }

    static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new TenancyException(Reason.INVALID, "name", "a rule name is 1 to 63 lower-case letters, digits and"
                    + " '-', starting with a letter or digit (such as disk-full)");
        }
        return name;
    }

    /** The parameter a rule of this kind needs, checked. */
    static String parameter(RuleKind kind, String parameter) {
        switch (kind) {
            case METRIC -> {
                if (parameter == null || !METRICS.containsKey(parameter)) {
                    throw new TenancyException(Reason.INVALID, "parameter", "a METRIC rule watches one of "
                            + String.join(", ", new java.util.TreeSet<>(METRICS.keySet())));
                }
                return parameter;
            }
            case HOST_STATUS -> {
                if (parameter == null || !HOST_STATUSES.contains(parameter)) {
                    throw new TenancyException(Reason.INVALID, "parameter", "a HOST_STATUS rule watches NO_CONNECTION or ERROR");
                }
                return parameter;
            }
            default -> {
                if (parameter != null) {
                    throw new TenancyException(Reason.INVALID, "parameter", "a " + kind + " rule takes no parameter");
                }
                return null;
            }
        }
    }

    /** The threshold checked against the kind's bounds; null when the kind has none (and none may be given). */
    static Double threshold(RuleKind kind, String parameter, Double threshold, boolean required) {
        double[] bounds = switch (kind) {
            case METRIC -> METRICS.get(parameter);
            case CERTIFICATE_EXPIRING -> new double[] {1, 365};
            case RELEASE_REJECTED -> new double[] {1, 720};
            default -> null;
        };
        if (bounds == null) {
            if (threshold != null) {
                throw new TenancyException(Reason.INVALID, "threshold", "a " + kind + " rule has no threshold");
            }
            return null;
        }
        if (threshold == null) {
            if (required) {
                throw new TenancyException(Reason.INVALID, "threshold", "a " + kind + " rule needs a threshold from "
                        + fmt(bounds[0]) + " to " + fmt(bounds[1]) + unit(kind));
            }
            return null;
        }
        if (!Double.isFinite(threshold) || threshold < bounds[0] || threshold > bounds[1]) {
            throw new TenancyException(Reason.INVALID, "threshold", "the threshold must be from " + fmt(bounds[0])
                    + " to " + fmt(bounds[1]) + unit(kind) + ", not " + threshold);
        }
        return threshold;
    }

    static Long duration(RuleKind kind, Long seconds) {
        if (seconds == null) {
            return null;
        }
        if (kind != RuleKind.METRIC && kind != RuleKind.HOST_STATUS) {
            if (seconds != 0) {
                throw new TenancyException(Reason.INVALID, "durationSeconds", "a " + kind
                        + " rule fires when its condition appears; only METRIC and HOST_STATUS rules have a duration");
            }
            return 0L;
        }
        if (seconds < 0 || seconds > MAX_DURATION_SECONDS) {
            throw new TenancyException(Reason.INVALID, "durationSeconds", "the duration must be from 0 to "
                    + MAX_DURATION_SECONDS + " seconds, not " + seconds);
        }
        return seconds;
    }

    private static String unit(RuleKind kind) {
        return switch (kind) {
            case CERTIFICATE_EXPIRING -> " days";
            case RELEASE_REJECTED -> " hours";
            default -> "";
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
