package org.edgeorch.agent.update;

import org.edgeorch.spi.southbound.UpdateStatus;

/**
 * Where an update run stands on the node. Each step is journaled before its work starts, so that after a crash
 * or power loss the agent knows what may have been half done and does it again or undoes it.
 */
public enum Step {
    /** Waiting for the pre-download moment before the next window. */
    SCHEDULED(UpdateStatus.QUEUED),
    /** Streaming the image into the inactive slot; {@code written} bytes are on disk and synced. */
    WRITING(UpdateStatus.DOWNLOADING),
    /** The image is in the inactive slot and hashes to the signed digest; waiting for a window. */
    WRITTEN(UpdateStatus.DOWNLOADED),
    /** Giving the new slot its one try in the bootloader environment. */
    ARMING(UpdateStatus.INSTALLING),
    /** Armed; the host reboots (or has rebooted) into the trial. */
    REBOOTING(UpdateStatus.REBOOTING),
    /** Booted into the new slot; running the health checks. */
    CHECKING(UpdateStatus.VERIFYING),
    /** Healthy; making the new slot the good primary. */
    COMMITTING(UpdateStatus.VERIFYING),
    /** Unhealthy; marking the new slot bad and rebooting into the old one. */
    ROLLING_BACK(UpdateStatus.VERIFYING),
    /** Over: the run's last report is final. */
    DONE(null);

    private final UpdateStatus status;

    Step(UpdateStatus status) {
        this.status = status;
    }

    /** What the orchestrator's update run shows while the node is at this step; null for {@link #DONE}. */
    public UpdateStatus status() {
        return status;
    }

    /** Whether the bootloader environment may already name the new slot, so the run can no longer be dropped. */
    public boolean armed() {
        return ordinal() >= ARMING.ordinal() && this != DONE;
    }
}
