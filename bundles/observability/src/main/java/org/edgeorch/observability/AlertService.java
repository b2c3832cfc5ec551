package org.edgeorch.observability;

import java.util.List;

import org.edgeorch.observability.Alerts.Alert;
import org.edgeorch.observability.Alerts.AlertPage;
import org.edgeorch.observability.Alerts.AlertQuery;
import org.edgeorch.observability.Alerts.Rule;
import org.edgeorch.observability.Alerts.RuleChange;
import org.edgeorch.observability.Alerts.RuleOverride;
import org.edgeorch.observability.Alerts.RuleSpec;
import org.edgeorch.observability.Alerts.Silence;
import org.edgeorch.observability.Alerts.SilenceSpec;
import org.edgeorch.observability.Alerts.TargetType;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A project's alert rules, the alerts they fire, the silences that mute them and the receivers notified. Reads need
 * PROJECT_READ, rules and receivers CONFIG_WRITE, acknowledging and silencing OPERATE; another tenant's project is NOT_FOUND. Changes are audited.
 */
@ProviderType
public interface AlertService {

    /** The project's rules by name, the defaults among them. */
    List<Rule> rules(Caller caller, String project);

    Rule rule(Caller caller, String project, String name);

    Rule createRule(Caller caller, String project, RuleSpec spec);

    Rule updateRule(Caller caller, String project, String name, RuleChange change);

    /** Deletes a rule of the project's own (a default one is disabled instead: CONFLICT); its alerts resolve. */
    void deleteRule(Caller caller, String project, String name);

    /** Sets the rule's override for one region, site or host (by name), replacing the one it had. */
    Rule setOverride(Caller caller, String project, String name, RuleOverride override);

    Rule clearOverride(Caller caller, String project, String name, TargetType targetType, String target);

    AlertPage alerts(Caller caller, String project, AlertQuery query);

    Alert alert(Caller caller, String project, String id);

    /** Marks a firing alert as seen by the caller; it keeps firing until its condition ends. */
    Alert acknowledge(Caller caller, String project, String id);

    /** The project's silences, the active ones first. */
    List<Silence> silences(Caller caller, String project);

    Silence createSilence(Caller caller, String project, SilenceSpec spec);

    /** Ends a silence now. */
    Silence expireSilence(Caller caller, String project, String id);

    /** The project's receivers by name; a secret shows only whether it is set (PROJECT_READ). */
    List<Alerts.Receiver> receivers(Caller caller, String project);

    Alerts.Receiver receiver(Caller caller, String project, String name);

    /** Adds a receiver (CONFIG_WRITE); alerts fired or resolved from then on are sent to it. */
    Alerts.Receiver createReceiver(Caller caller, String project, Alerts.ReceiverSpec spec);

    /** Changes a receiver's URL, addresses, secret or severity (CONFIG_WRITE); its name and kind stay. */
    Alerts.Receiver updateReceiver(Caller caller, String project, String name, Alerts.ReceiverChange change);

    /** Removes a receiver with its unsent notifications (CONFIG_WRITE). */
    void deleteReceiver(Caller caller, String project, String name);

    /** Sends a test notification to the receiver now, outside the outbox, and says what happened (CONFIG_WRITE). */
    Alerts.ReceiverTestResult testReceiver(Caller caller, String project, String name);
}
