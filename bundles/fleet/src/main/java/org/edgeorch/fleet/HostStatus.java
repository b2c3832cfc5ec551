package org.edgeorch.fleet;

/** Where a host is in its life. */
public enum HostStatus {
    /** Known by serial number or UUID, not yet onboarded. */
    REGISTERED,
    /** Enrolled: holds a certificate, has not reported yet. */
    ONBOARDED,
    /** Reports on time. */
    RUNNING,
    /** Missed three sync intervals. */
    NO_CONNECTION,
    /** Reports a failure. */
    ERROR,
    /** Refused from now on; its certificate is revoked. */
    INVALIDATED,
    /** Removed from the fleet. */
    DELETED
}
