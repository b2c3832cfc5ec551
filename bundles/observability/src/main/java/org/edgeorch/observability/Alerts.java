package org.edgeorch.observability;

import java.time.Instant;
import java.util.List;

/** The values of alerting: rules, their overrides, alerts and silences. */
public final class Alerts {

    private Alerts() {
    }

    /** What a rule watches. */
    public enum RuleKind {
        /** A host's metric (parameter: cpu.usage.percent, memory.used.percent, fs.used.percent, temperature.celsius,
         * load.1/5/15) at or above the threshold for the duration; fs and temperature per mount point or sensor. */
        METRIC,
        /** A host in a status (parameter: NO_CONNECTION or ERROR) for the duration. */
        HOST_STATUS,
        /** A host's latest update run FAILED, ROLLED_BACK or TIMED_OUT; resolves with its next run. */
        UPDATE_RUN_FAILED,
        /** A rollout PAUSED (by an operator or a failed wave). */
        ROLLOUT_PAUSED,
        /** An application UNHEALTHY or FAILED on a host. */
        APP_UNHEALTHY,
        /** A host's current certificate expires within the threshold (days). */
        CERTIFICATE_EXPIRING,
        /** A release for one of the project's OS profiles was rejected in the last threshold hours. */
        RELEASE_REJECTED
    }

    public enum Severity { CRITICAL, WARNING, INFO }

    public enum AlertState { FIRING, RESOLVED }

    /** What an override applies to: a region (and everything under it), a site or a host. */
    public enum TargetType { REGION, SITE, HOST }

    /**
     * A rule of a project.
     *
     * @param parameter       the metric of a METRIC rule, the status of a HOST_STATUS rule, else null
     * @param threshold       METRIC: the value; CERTIFICATE_EXPIRING: days; RELEASE_REJECTED: hours; else null
     * @param durationSeconds how long the condition must hold before the alert fires (METRIC, HOST_STATUS)
     * @param selector        the hosts it applies to (a metadata selector), null for all
     * @param builtin         one of the defaults every project has: it can be changed and disabled, not deleted
     */
    public record Rule(String name, RuleKind kind, String parameter, Double threshold, long durationSeconds,
                       Severity severity, String selector, boolean enabled, boolean builtin,
                       List<RuleOverride> overrides, Instant createdAt, Instant updatedAt) {
        public Rule {
            overrides = overrides == null ? List.of() : List.copyOf(overrides);
        }
    }

    /** A rule's threshold, duration or enablement for one target; null fields inherit. */
    public record RuleOverride(TargetType targetType, String target, Double threshold, Long durationSeconds,
                               Boolean enabled) {
    }

    /** A new rule; null severity is WARNING, null enabled is true, null duration is 0. */
    public record RuleSpec(String name, RuleKind kind, String parameter, Double threshold, Long durationSeconds,
                           Severity severity, String selector, Boolean enabled) {
    }

    /** A change to a rule: null fields stay as they are; an empty selector applies the rule to every host again. */
    public record RuleChange(Double threshold, Long durationSeconds, Severity severity, String selector, Boolean enabled) {
    }

    /**
     * One firing of a rule on one object, deduplicated: at most one FIRING alert per rule and subject.
     *
     * @param subject  what it is about: a host (with {@code :<device>} for a mount point or sensor), a rollout, a
     *                 deployment on a host ({@code <deployment>@<host>}), a release
     * @param host     the host it concerns, when there is one
     * @param value    the figure that made it fire (the latest sample, days left), when there is one
     * @param since    when the condition began
     * @param mutedBy  why it is not notified: {@code silence <id>} or {@code maintenance} (host-down alerts of a host
     *                 inside one of its maintenance windows); null when notified
     */
    public record Alert(String id, String rule, RuleKind kind, Severity severity, String subject, String host,
                        AlertState state, Double value, String message, Instant since, Instant firedAt,
                        Instant resolvedAt, String acknowledgedBy, Instant acknowledgedAt, String mutedBy) {
    }

    /** Which alerts to list: null fields do not filter; newest first. */
    public record AlertQuery(AlertState state, String rule, String subject, int offset, int limit) {
    }

    public record AlertPage(List<Alert> alerts, long total, int offset, int limit) {
    }

    /** Mutes the alerts of one rule, one subject, or both, until it expires. */
    public record Silence(String id, String rule, String subject, String comment, String createdBy, Instant createdAt,
                          Instant expiresAt, boolean active) {
    }

    /** A new silence: a rule and/or a subject (a host matches its devices too), and how long (1 minute to 30 days). */
    public record SilenceSpec(String rule, String subject, String comment, Long minutes) {
    }

    /** Where notifications go. */
    public enum ReceiverKind {
        /** JSON POSTed to a URL, signed with HMAC-SHA256 in {@code X-Edgeorch-Signature: sha256=<hex>}. */
        WEBHOOK,
        /** Alertmanager's v2 API ({@code POST <url>/api/v2/alerts}), resent while the alert fires. */
        ALERTMANAGER,
        /** A mail over SMTP ({@code smtp://host:port}), with AUTH PLAIN when a user is set. */
        EMAIL
    }

    /** Whether a receiver has a secret (the HMAC key, the SMTP password): the secret itself is write-only. */
    public record SecretState(boolean set) {
    }

    /** A receiver of a project's alerts of at least {@code minSeverity} (CRITICAL is the highest). */
    public record Receiver(String name, ReceiverKind kind, String url, String emailFrom, List<String> emailTo,
                           String smtpUser, SecretState secret, Severity minSeverity, Instant createdAt,
                           Instant updatedAt) {
        public Receiver {
            emailTo = emailTo == null ? List.of() : List.copyOf(emailTo);
        }
    }

    /**
     * A new receiver. WEBHOOK: an http(s) URL and an optional HMAC key (16 to 512 characters) as the secret;
     * ALERTMANAGER: its base URL, no secret; EMAIL: {@code smtp://host[:port]}, a sender, 1 to 20 recipients, and an
     * optional SMTP user with its password as the secret. Null minSeverity is INFO (everything).
     */
    public record ReceiverSpec(String name, ReceiverKind kind, String url, String emailFrom, List<String> emailTo,
                               String smtpUser, String secret, Severity minSeverity) {
        @Override
        public String toString() {
            return "ReceiverSpec[" + name + ", " + kind + ", " + url + ", secret " + (secret == null ? "none" : "set") + "]";
        }
    }

    /** A change to a receiver: null fields stay as they are; an empty secret or SMTP user removes it. */
    public record ReceiverChange(String url, String emailFrom, List<String> emailTo, String smtpUser, String secret,
                                 Severity minSeverity) {
        @Override
        public String toString() {
            return "ReceiverChange[" + url + ", secret " + (secret == null ? "unchanged" : secret.isEmpty() ? "removed"
                    : "set") + "]";
        }
    }

    /** What a test notification to a receiver did: delivered, or the peer's answer (never a secret). */
    public record ReceiverTestResult(String receiver, boolean delivered, String error, long millis) {
    }
}
