package org.edgeorch.orchestrator.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.observability.AlertService;
import org.edgeorch.observability.Alerts;
import org.edgeorch.observability.Alerts.AlertState;
import org.edgeorch.observability.Alerts.ReceiverKind;
import org.edgeorch.observability.Alerts.RuleKind;
import org.edgeorch.observability.Alerts.Severity;
import org.edgeorch.observability.Alerts.TargetType;
import org.edgeorch.shell.OptionsAnywhere;
import org.edgeorch.tenancy.Caller;

/**
 * Alerts, alert rules, silences and receivers: {@code edge:alert-*}, {@code edge:alert-rule-*},
 * {@code edge:alert-silence-*} and {@code edge:alert-receiver-*}.
 * The project is the first argument, like the fleet's commands; the service applies the permissions.
 */
public final class AlertCommands {

    private AlertCommands() {
    }

    public abstract static class AlertCommand extends TenancyCommand {
        @Reference
        AlertService alerts;
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-list", description = "Lists a project's alerts, newest first")
    public static class AlertList extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Option(name = "--state", description = "FIRING or RESOLVED")
        String state;

        @Option(name = "--rule")
        String rule;

        @Option(name = "--subject", description = "a host (with its devices), rollout, deployment@host")
        String subject;

        @Option(name = "--limit", description = "1 to 1000")
        int limit = 50;

        @Override
        protected void run(Caller caller) {
            Alerts.AlertPage page = alerts.alerts(caller, project, new Alerts.AlertQuery(choice(AlertState.class,
                    "--state", state), rule, subject, 0, limit));
            ShellTable t = table("Id", "State", "Severity", "Rule", "Subject", "Value", "Since", "Fired", "Resolved",
                    "Acknowledged", "Muted", "Message");
            for (Alerts.Alert a : page.alerts()) {
                t.addRow().addContent(a.id(), a.state(), a.severity(), a.rule(), a.subject(), orDash(a.value()), a.since(),
                        a.firedAt(), orDash(a.resolvedAt()), orDash(a.acknowledgedBy()), orDash(a.mutedBy()), a.message());
            }
            t.print(System.out);
            System.out.printf("%d of %d alert(s)%n", page.alerts().size(), page.total());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-ack", description = "Acknowledges a firing alert (OPERATE)")
    public static class AlertAck extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "id", required = true)
        String id;

        @Override
        protected void run(Caller caller) {
            Alerts.Alert a = alerts.acknowledge(caller, project, id);
            System.out.println("Acknowledged " + a.rule() + " on " + a.subject());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-rule-list", description = "Lists a project's alert rules and their overrides")
    public static class RuleList extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Rule", "Kind", "Parameter", "Threshold", "Duration (s)", "Severity", "Selector",
                    "Enabled", "Default", "Overrides");
            for (Alerts.Rule r : alerts.rules(caller, project)) {
                StringBuilder o = new StringBuilder();
                for (Alerts.RuleOverride x : r.overrides()) {
                    o.append(o.length() == 0 ? "" : "; ").append(x.targetType().name().toLowerCase()).append(' ')
                            .append(x.target()).append(x.threshold() == null ? "" : " threshold=" + x.threshold())
                            .append(x.durationSeconds() == null ? "" : " duration=" + x.durationSeconds())
                            .append(x.enabled() == null ? "" : " enabled=" + x.enabled());
                }
                t.addRow().addContent(r.name(), r.kind(), orDash(r.parameter()), orDash(r.threshold()), r.durationSeconds(),
                        r.severity(), orDash(r.selector()), r.enabled(), r.builtin(), orDash(o));
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-rule-create", description = "Creates an alert rule (CONFIG_WRITE)")
    public static class RuleCreate extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Option(name = "--kind", required = true, description = "METRIC, HOST_STATUS, UPDATE_RUN_FAILED, ROLLOUT_PAUSED,"
                + " APP_UNHEALTHY, CERTIFICATE_EXPIRING, RELEASE_REJECTED")
        String kind;

        @Option(name = "--parameter", description = "the metric (METRIC) or status (HOST_STATUS)")
        String parameter;

        @Option(name = "--threshold")
        Double threshold;

        @Option(name = "--duration", description = "seconds the condition must hold")
        Long duration;

        @Option(name = "--severity", description = "CRITICAL, WARNING, INFO")
        String severity;

        @Option(name = "--selector", description = "a metadata selector, such as tier=pos")
        String selector;

        @Override
        protected void run(Caller caller) {
            Alerts.Rule r = alerts.createRule(caller, project, new Alerts.RuleSpec(name, choice(RuleKind.class, "--kind",
                    kind), parameter, threshold, duration, choice(Severity.class, "--severity", severity), selector, null));
            System.out.println("Created alert rule " + r.name());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-rule-set", description = "Changes an alert rule within its bounds (CONFIG_WRITE);"
            + " with --region, --site or --host only for that target")
    public static class RuleSet extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Option(name = "--threshold")
        Double threshold;

        @Option(name = "--duration", description = "seconds")
        Long duration;

        @Option(name = "--severity")
        String severity;

        @Option(name = "--selector", description = "empty: every host")
        String selector;

        @Option(name = "--enabled", description = "true or false")
        String enabled;

        @Option(name = "--region")
        String region;

        @Option(name = "--site")
        String site;

        @Option(name = "--host")
        String host;

        @Override
        protected void run(Caller caller) {
            Boolean on = enabled == null ? null : switch (enabled.strip().toLowerCase()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new InputException("--enabled", "--enabled is true or false, not '" + brief(enabled) + "'");
            };
            TargetType type = region != null ? TargetType.REGION : site != null ? TargetType.SITE
                    : host != null ? TargetType.HOST : null;
            Alerts.Rule r;
            if (type != null) {
                String target = region != null ? region : site != null ? site : host;
                r = alerts.setOverride(caller, project, name, new Alerts.RuleOverride(type, target, threshold, duration, on));
            } else {
                r = alerts.updateRule(caller, project, name, new Alerts.RuleChange(threshold, duration,
                        choice(Severity.class, "--severity", severity), selector, on));
            }
            System.out.println("Alert rule " + r.name() + ": threshold " + orDash(r.threshold()) + ", duration "
                    + r.durationSeconds() + " s, " + (r.enabled() ? "enabled" : "disabled") + ", " + r.overrides().size()
                    + " override(s)");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-rule-delete", description = "Deletes an alert rule of the project's own (CONFIG_WRITE)")
    public static class RuleDelete extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            alerts.deleteRule(caller, project, name);
            System.out.println("Deleted alert rule " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-silence-add", description = "Mutes the alerts of a rule and/or subject (OPERATE)")
    public static class SilenceAdd extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Option(name = "--rule")
        String rule;

        @Option(name = "--subject", description = "a host (its devices too) or another alert subject")
        String subject;

        @Option(name = "--minutes", required = true, description = "1 to 43200")
        Long minutes;

        @Option(name = "--comment")
        String comment;

        @Override
        protected void run(Caller caller) {
            Alerts.Silence s = alerts.createSilence(caller, project, new Alerts.SilenceSpec(rule, subject, comment, minutes));
            System.out.println("Silence " + s.id() + " until " + s.expiresAt());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-silence-list", description = "Lists a project's silences")
    public static class SilenceList extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Id", "Rule", "Subject", "Active", "Expires", "By", "Comment");
            for (Alerts.Silence s : alerts.silences(caller, project)) {
                t.addRow().addContent(s.id(), orDash(s.rule()), orDash(s.subject()), s.active(), s.expiresAt(),
                        s.createdBy(), orDash(s.comment()));
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-silence-expire", description = "Ends a silence now (OPERATE)")
    public static class SilenceExpire extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "id", required = true)
        String id;

        @Override
        protected void run(Caller caller) {
            alerts.expireSilence(caller, project, id);
            System.out.println("Silence " + id + " expired");
        }
    }

    /** A receiver's secret: given with --secret, or asked for without echo with --ask-secret. */
    static String secret(Session session, String given, boolean ask) throws java.io.IOException {
        if (given != null && ask) {
            throw new org.edgeorch.shell.EdgeCommand.InputException("--secret", "give --secret or --ask-secret, not both");
        }
        return ask ? session.readLine("Secret: ", '*') : given;
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-receiver-list", description = "Lists a project's alert receivers")
    public static class ReceiverList extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = table("Receiver", "Kind", "Url", "From", "To", "SMTP user", "Secret", "Min severity", "Updated");
            for (Alerts.Receiver r : alerts.receivers(caller, project)) {
                t.addRow().addContent(r.name(), r.kind(), r.url(), orDash(r.emailFrom()),
                        r.emailTo().isEmpty() ? "-" : String.join(", ", r.emailTo()), orDash(r.smtpUser()),
                        r.secret().set() ? "set" : "-", r.minSeverity(), r.updatedAt());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-receiver-add", description = "Adds a webhook, Alertmanager or email receiver"
            + " (CONFIG_WRITE)")
    public static class ReceiverAdd extends AlertCommand {
        @Reference
        Session session;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Option(name = "--kind", required = true, description = "WEBHOOK, ALERTMANAGER or EMAIL")
        String kind;

        @Option(name = "--url", required = true, description = "http(s) URL; Alertmanager's base URL; smtp://host:port")
        String url;

        @Option(name = "--from", description = "EMAIL: the sender")
        String from;

        @Option(name = "--to", multiValued = true, description = "EMAIL: a recipient (repeat for more)")
        java.util.List<String> to;

        @Option(name = "--smtp-user", description = "EMAIL: authenticates with AUTH PLAIN")
        String smtpUser;

        @Option(name = "--secret", description = "WEBHOOK: the HMAC key; EMAIL: the SMTP password")
        String secret;

        @Option(name = "--ask-secret", description = "reads the secret without echo")
        boolean askSecret;

        @Option(name = "--min-severity", description = "CRITICAL, WARNING or INFO (default: INFO, everything)")
        String minSeverity;

        @Override
        protected void run(Caller caller) throws Exception {
            Alerts.Receiver r = alerts.createReceiver(caller, project, new Alerts.ReceiverSpec(name,
                    choice(ReceiverKind.class, "--kind", kind), url, from, to, smtpUser, secret(session, secret, askSecret),
                    choice(Severity.class, "--min-severity", minSeverity)));
            System.out.println("Added " + r.kind() + " receiver " + r.name() + (r.secret().set() ? " (secret set)" : ""));
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-receiver-set", description = "Changes an alert receiver (CONFIG_WRITE); an"
            + " empty --secret or --smtp-user removes it")
    public static class ReceiverSet extends AlertCommand {
        @Reference
        Session session;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Option(name = "--url")
        String url;

        @Option(name = "--from")
        String from;

        @Option(name = "--to", multiValued = true, description = "replaces the recipients (repeat for more)")
        java.util.List<String> to;

        @Option(name = "--smtp-user")
        String smtpUser;

        @Option(name = "--secret")
        String secret;

        @Option(name = "--ask-secret", description = "reads the new secret without echo")
        boolean askSecret;

        @Option(name = "--min-severity")
        String minSeverity;

        @Override
        protected void run(Caller caller) throws Exception {
            Alerts.Receiver r = alerts.updateReceiver(caller, project, name, new Alerts.ReceiverChange(url, from, to,
                    smtpUser, secret(session, secret, askSecret), choice(Severity.class, "--min-severity", minSeverity)));
            System.out.println("Receiver " + r.name() + ": " + r.url() + ", secret " + (r.secret().set() ? "set" : "none")
                    + ", from " + r.minSeverity());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-receiver-delete", description = "Removes an alert receiver (CONFIG_WRITE)")
    public static class ReceiverDelete extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            alerts.deleteReceiver(caller, project, name);
            System.out.println("Deleted receiver " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "alert-receiver-test", description = "Sends a test notification to a receiver now"
            + " (CONFIG_WRITE)")
    public static class ReceiverTest extends AlertCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Alerts.ReceiverTestResult r = alerts.testReceiver(caller, project, name);
            if (r.delivered()) {
                System.out.println("Receiver " + name + " took the test notification in " + r.millis() + " ms");
            } else {
                error("Receiver " + name + " did not take the test notification: " + r.error());
            }
        }
    }
}
