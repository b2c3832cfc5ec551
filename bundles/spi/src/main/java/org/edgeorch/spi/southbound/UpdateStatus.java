package org.edgeorch.spi.southbound;

/** Where one attempt to move a host to an OS version stands. */
public enum UpdateStatus {
    QUEUED, DOWNLOADING, DOWNLOADED, INSTALLING, REBOOTING, VERIFYING, SUCCEEDED, ROLLED_BACK, FAILED, TIMED_OUT;

    /** Whether the attempt is over. */
    public boolean finished() {
        return this == SUCCEEDED || this == ROLLED_BACK || this == FAILED || this == TIMED_OUT;
    }
}
