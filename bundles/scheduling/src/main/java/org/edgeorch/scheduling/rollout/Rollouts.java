package org.edgeorch.scheduling.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.edgeorch.fleet.HostStatus;
import org.edgeorch.spi.southbound.UpdateFailure;
import org.edgeorch.spi.southbound.UpdateStatus;

/** The records and states of rollouts, their waves and the update runs they make. */
public final class Rollouts {

    private Rollouts() {
    }

    /** Where a rollout stands. */
    public enum RolloutState {
        /** Its hosts are being resolved and assigned to waves; becomes READY when that is done. */
        CREATING,
        /** Hosts frozen and assigned to waves; nothing has changed on any host yet. */
        READY,
        /** Its waves are being worked through, one at a time. */
        RUNNING,
        /**
         * No further wave starts and no threshold is evaluated, by an operator or by a failed wave; hosts whose runs
         * already exist carry on.
         */
        PAUSED,
        /** Every wave is over. */
        FINISHED,
        /** Stopped for good, by an operator or by a failed wave: unfinished runs are failed and their OS withdrawn. */
        ABORTED;

        /** Whether nothing will change any more. */
        public boolean finished() {
            return this == FINISHED || this == ABORTED;
        }
    }

    /** Where one wave stands. */
    public enum WaveState {
        /** Not started: its hosts have no update run yet. */
        PENDING,
        /** Its hosts have update runs; thresholds are evaluated. */
        RUNNING,
        /** Succeeded, waiting out its soak time before the next wave starts. */
        SOAKING,
        /** Enough of its hosts succeeded and none is pending (and it soaked). */
        SUCCEEDED,
        /** Its failure threshold was crossed, or too few hosts succeeded once none was pending. */
        FAILED,
        /** The rollout was aborted before this wave was over. */
        ABORTED
    }

    /** What a failed wave does to its rollout. */
    public enum FailureAction {
        /** The rollout pauses; an operator resumes it (accepting the failures) or aborts it. */
        PAUSE,
        /** The rollout is aborted. */
        ABORT
    }

    /**
     * Which hosts a rollout moves: either a list of host names, or a filter over the project's hosts (null
     * fields do not filter). Resolved once, when the rollout is created; hosts added later are not included.
     *
     * @param hosts    host names; when given, no filter field may be
     * @param status   only hosts in this status
     * @param site     only hosts of this site
     * @param region   only hosts in this region or its sub-regions
     * @param metadata only hosts whose effective metadata has all these entries
     * @param text     only hosts whose name, serial number or UUID contains this text
     */
    public record HostSelection(List<String> hosts, HostStatus status, String site, String region,
                                Map<String, String> metadata, String text) {

        /** Copies kept as given (nulls included): the service says what is wrong with them. */
        public HostSelection {
            hosts = hosts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hosts));
            metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
        }

        public static HostSelection of(List<String> hosts) {
            return new HostSelection(hosts, null, null, null, null, null);
        }

        public static HostSelection filter(HostStatus status, String site, String region, Map<String, String> metadata,
                                           String text) {
            return new HostSelection(null, status, site, region, metadata, text);
        }

        /** Whether this is a filter rather than a list. */
        public boolean isFilter() {
            return hosts.isEmpty();
        }
    }

    /**
     * One wave. Its size is either a {@code count} of hosts or a {@code percent} of all the rollout's hosts
     * (rounded up); the last wave takes whatever the others left, so its size may be omitted. Null fields take the
     * defaults named here.
     *
     * @param count              hosts in this wave
     * @param percent            or this percentage (1–100) of the rollout's hosts
     * @param spreadAcrossSites  fill the wave round-robin by site (one host of each site in turn) rather than in
     *                           host name order; default false
     * @param successPercent     percentage (0–100) of the wave's hosts that must succeed once none is pending;
     *                           default 100
     * @param failurePercent     the wave fails as soon as more than this percentage (0–100) of its finished hosts
     *                           failed; 100 never; default 0 (any failure)
     * @param failureMinFinished the failure threshold applies only once at least this many of the wave's hosts
     *                           finished; default 1
     * @param soak               after the wave succeeded, how long to wait before the next starts; default none
     * @param hostTimeout        how long a host has to report success, counted from the first moment it is inside
     *                           one of its maintenance windows after its run was queued; default 2 hours
     */
    public record WaveSpec(Integer count, Integer percent, Boolean spreadAcrossSites, Integer successPercent,
                           Integer failurePercent, Integer failureMinFinished, Duration soak, Duration hostTimeout) {

        public static final int DEFAULT_SUCCESS_PERCENT = 100;
        public static final int DEFAULT_FAILURE_PERCENT = 0;
        public static final int DEFAULT_FAILURE_MIN_FINISHED = 1;
        public static final Duration DEFAULT_HOST_TIMEOUT = Duration.ofHours(2);

        /** A wave of {@code count} hosts with the default thresholds. */
        public static WaveSpec ofCount(int count) {
            return new WaveSpec(count, null, null, null, null, null, null, null);
        }

        /** A wave of {@code percent} % of the hosts with the default thresholds. */
        public static WaveSpec ofPercent(int percent) {
            return new WaveSpec(null, percent, null, null, null, null, null, null);
        }

        /** The last wave: whatever the others left, with the default thresholds. */
        public static WaveSpec rest() {
            return new WaveSpec(null, null, null, null, null, null, null, null);
        }

        public WaveSpec spread() {
            return new WaveSpec(count, percent, true, successPercent, failurePercent, failureMinFinished, soak, hostTimeout);
        }

        public WaveSpec thresholds(int success, int failure, int minFinished) {
            return new WaveSpec(count, percent, spreadAcrossSites, success, failure, minFinished, soak, hostTimeout);
        }

        public WaveSpec soakFor(Duration time) {
            return new WaveSpec(count, percent, spreadAcrossSites, successPercent, failurePercent, failureMinFinished, time,
                    hostTimeout);
        }

        public WaveSpec timeout(Duration time) {
            return new WaveSpec(count, percent, spreadAcrossSites, successPercent, failurePercent, failureMinFinished, soak,
                    time);
        }
    }

    /**
     * What creating a rollout needs.
     *
     * @param name        unique in the project: lowercase letters, digits and dashes
     * @param description free text, may be null
     * @param osProfile   the project's OS profile
     * @param version     the target version: an OS resource of that profile
     * @param hosts       which hosts
     * @param waves       in order, at least one
     * @param onFailure   what a failed wave does; default PAUSE
     */
    public record RolloutSpec(String name, String description, String osProfile, String version, HostSelection hosts,
                              List<WaveSpec> waves, FailureAction onFailure) {

        /** Copies kept as given (nulls included): the service says what is wrong with them. */
        public RolloutSpec {
            waves = waves == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(waves));
        }
    }

    /**
     * How a rollout or a wave is doing.
     *
     * @param hosts     hosts in it
     * @param succeeded reported the target version committed (or ran it already)
     * @param failed    failed, rolled back, timed out or aborted
     * @param pending   the rest: not started, or under way
     */
    public record Counts(int hosts, int succeeded, int failed, int pending) {

        /** Finished hosts (succeeded or failed) as a percentage of all, rounded down. */
        public int percentDone() {
            return hosts == 0 ? 100 : (succeeded + failed) * 100 / hosts;
        }
    }

    /**
     * One wave of a rollout as it stands.
     *
     * @param number     from 1
     * @param spec       as given, with defaults filled in
     * @param soakUntil  while SOAKING, when the next wave may start
     */
    public record Wave(int number, WaveSpec spec, WaveState state, Counts counts, Instant startedAt, Instant soakUntil,
                       Instant finishedAt) {
    }

    /**
     * A rollout.
     *
     * @param selection   how its hosts were chosen, as text
     * @param stateReason why it paused, aborted or finished; null otherwise
     * @param currentWave the wave being worked on, from 1 (past the last once finished)
     * @param counts      over all waves
     * @param waves       in order
     */
    public record Rollout(String name, String description, String osProfile, String version, String selection,
                          FailureAction onFailure, RolloutState state, String stateReason, int currentWave, Counts counts,
                          List<Wave> waves, String createdBy, Instant createdAt, Instant startedAt, Instant finishedAt) {

        public Rollout {
            waves = List.copyOf(waves);
        }
    }

    /**
     * One attempt to move one host to one OS version. Made by a rollout's wave, or by the host's update policy
     * ({@code rollout} null). Finished runs never change.
     *
     * @param id           also the {@code runId} the host's desired OS and update reports carry
     * @param rollout      the rollout's name; null for a policy's run
     * @param wave         the wave's number; null for a policy's run
     * @param fromVersion  what the host reported running when the run was queued; null if unknown
     * @param failure      why it did not succeed; null while under way or when it succeeded
     * @param detail       the host's last word, or the orchestrator's
     * @param progress     percent of the current step, as the host reported
     * @param policySource for a policy's run, which policy asked for it
     * @param startedAt    the host's first report beyond QUEUED
     * @param deadline     when it times out; null until the host's first maintenance window after queuing opened
     */
    public record UpdateRun(String id, String host, String rollout, Integer wave, String osProfile, String fromVersion,
                            String toVersion, UpdateStatus status, UpdateFailure failure, String detail, int progress,
                            String policySource, Instant createdAt, Instant startedAt, Instant updatedAt,
                            Instant finishedAt, Instant deadline) {
    }

    /**
     * Filters for listing update runs; null fields do not filter.
     *
     * @param offset first row, from 0
     * @param limit  at most this many rows, 1–1000
     */
    public record RunQuery(UpdateStatus status, Integer wave, int offset, int limit) {

        public static RunQuery all() {
            return new RunQuery(null, null, 0, 1000);
        }
    }

    public record RunPage(List<UpdateRun> runs, long total, int offset, int limit) {
    }
}
