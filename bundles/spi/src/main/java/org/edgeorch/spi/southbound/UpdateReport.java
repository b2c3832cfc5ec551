package org.edgeorch.spi.southbound;

/**
 * The agent's latest word on an update run, sent with every sync until the orchestrator has recorded the
 * run as finished.
 *
 * @param runId    the run ({@link DesiredOs#runId()})
 * @param version  the version being installed
 * @param status   where it stands; SUCCEEDED only after the new OS booted, passed its health checks and was
 *                 committed
 * @param failure  why not, for ROLLED_BACK and FAILED; null otherwise
 * @param detail   free text, at most 1000 characters
 * @param progress percent of the current step (download, write), 0–100
 * @param at       epoch milliseconds (host clock) of the status
 */
public record UpdateReport(String runId, String version, UpdateStatus status, UpdateFailure failure, String detail,
                           int progress, long at) {
}
