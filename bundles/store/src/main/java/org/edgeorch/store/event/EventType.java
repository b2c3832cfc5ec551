package org.edgeorch.store.event;

/** What an event tells of. The subject of each is named in its description. */
public enum EventType {
    /** A host was registered (subject: host name; status REGISTERED). */
    HOST_REGISTERED,
    /** A host enrolled and got its certificate (subject: host; status ONBOARDED). */
    HOST_ONBOARDED,
    /** A host's status changed: RUNNING, ERROR, NO_CONNECTION, INVALIDATED (subject: host; previous status). */
    HOST_STATUS_CHANGED,
    /** A host was deleted (subject: host). */
    HOST_DELETED,
    /** An update run was made or changed status (subject: host; attributes run, rollout, wave, version). */
    UPDATE_RUN_CHANGED,
    /** A rollout changed state (subject: rollout name). */
    ROLLOUT_CHANGED,
    /** A wave of a rollout changed state (subject: rollout name; attribute wave). */
    WAVE_CHANGED,
    /** An application deployment was made, changed or deleted (subject: deployment name; status CREATED, UPDATED, DELETED). */
    DEPLOYMENT_CHANGED,
    /** A verified release became an OS resource of the project (subject: profile; attribute version). */
    OS_RESOURCE_ADDED
}
