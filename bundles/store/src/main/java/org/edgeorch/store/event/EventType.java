package org.edgeorch.store.event;

/**
 * What an event tells of. The subject of each is named in its description. The journal stores the constant's name;
 * readers see its {@link #key()}, dotted with the domain first ({@code host.status-changed}).
 */
public enum EventType {
    /** A host was registered (subject: host name; status REGISTERED). */
    HOST_REGISTERED("host.registered"),
    /** A host enrolled and got its certificate (subject: host; status ONBOARDED). */
    HOST_ONBOARDED("host.onboarded"),
    /** A host's status changed: RUNNING, ERROR, NO_CONNECTION, INVALIDATED (subject: host; previous status). */
    HOST_STATUS_CHANGED("host.status-changed"),
    /** A host was deleted (subject: host). */
    HOST_DELETED("host.deleted"),
    /** An update run was made or changed status (subject: host; attributes run, rollout, wave, version). */
    UPDATE_RUN_CHANGED("update-run.changed"),
    /** A rollout changed state (subject: rollout name). */
    ROLLOUT_CHANGED("rollout.changed"),
    /** A wave of a rollout changed state (subject: rollout name; attribute wave). */
    WAVE_CHANGED("wave.changed"),
    /** An application deployment was made, changed or deleted (subject: deployment name; status CREATED, UPDATED, DELETED). */
    DEPLOYMENT_CHANGED("deployment.changed"),
    /** A verified release became an OS resource of the project (subject: profile; attribute version). */
    OS_RESOURCE_ADDED("release.os-resource-added"),
    /** An alert fired, resolved or was acknowledged (subject: what it is about; status FIRING, RESOLVED,
     * ACKNOWLEDGED; attributes alert, rule, severity, value). */
    ALERT_CHANGED("alert.changed");

    private final String key;

    EventType(String key) {
        this.key = key;
    }

    /** The name clients see and filter by, for example {@code host.status-changed}. */
    public String key() {
        return key;
    }

    /** The type by its key or its constant's name, any case; empty when neither. */
    public static java.util.Optional<EventType> parse(String text) {
        if (text == null) {
            return java.util.Optional.empty();
        }
        String t = text.strip();
        for (EventType e : values()) {
            if (e.key.equalsIgnoreCase(t) || e.name().equalsIgnoreCase(t)) {
                return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }

    /** Every key, for messages. */
    public static String keys() {
        return java.util.Arrays.stream(values()).map(EventType::key).collect(java.util.stream.Collectors.joining(", "));
    }
}
