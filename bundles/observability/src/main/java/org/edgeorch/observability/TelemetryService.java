package org.edgeorch.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.edgeorch.spi.southbound.SampleSet;
import org.edgeorch.tenancy.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Hosts' telemetry history, kept by the orchestrator itself: raw samples for a day, then 5-minute min/avg/max for
 * 30 days (both configurable), and a host's series over a range with a step.
 */
@ProviderType
public interface TelemetryService {

    /** At most this many samples in one call; the agent sends a longer backlog over several syncs. */
    int MAX_SAMPLES_PER_CALL = 20_000;

    /**
     * Stores what a host sent with a sync, in one transaction with batch writes. A set whose batch id (its node
     * buffer and number, {@link SampleSet}) is at or below the highest stored for the host was re-sent after a lost
     * answer and is skipped whole; samples already stored otherwise are skipped one by one, as are samples from the
     * future or past retention. What was stored, skipped and dropped is counted in {@code edgeorch_telemetry_samples}.
     *
     * @return how many samples were stored
     * @throws org.edgeorch.tenancy.TenancyException INVALID for more than {@link #MAX_SAMPLES_PER_CALL} samples
     */
    int ingest(String projectId, String hostId, List<SampleSet> sets);

    /**
     * A host's series of one metric (one per device) with a point per {@code step}: min, avg, max and count.
     * PROJECT_READ; another tenant's project or an unknown host is NOT_FOUND.
     *
     * @param from null: an hour before {@code to}
     * @param to   null: now
     * @param step null: the range over 300, at least a minute
     */
    Series query(Caller caller, String project, String host, String name, Instant from, Instant to, Duration step);

    /** A project's hosts sample their telemetry this often unless the project says otherwise. */
    int DEFAULT_INTERVAL_SECONDS = 30;
    /** The shortest interval a project may set: more often costs the node and the database without showing more. */
    int MIN_INTERVAL_SECONDS = 10;
    /** The longest interval a project may set (an hour). */
    int MAX_INTERVAL_SECONDS = 3_600;

    /** The project's telemetry settings. PROJECT_READ; another tenant's project is NOT_FOUND. */
    Settings settings(Caller caller, String project);

    /**
     * Sets how often the project's hosts sample their telemetry; each host gets it with its next sync. CONFIG_WRITE,
     * audited as {@code telemetry-settings.update}.
     *
     * @param intervalSeconds {@value #MIN_INTERVAL_SECONDS} to {@value #MAX_INTERVAL_SECONDS}; null is INVALID
     */
    Settings configure(Caller caller, String project, Integer intervalSeconds);

    /**
     * A project's telemetry settings.
     *
     * @param intervalSeconds seconds between two samples of a host
     * @param isDefault       true while the project has set nothing (the interval is the default)
     */
    record Settings(String project, int intervalSeconds, boolean isDefault) {
    }

    /** One metric of one host over a range. */
    record Series(String host, String name, Instant from, Instant to, long stepSeconds, List<DeviceSeries> devices) {
    }

    /** The points of one device (mount point, interface, sensor; empty for the host as a whole). */
    record DeviceSeries(String device, List<Point> points) {
    }

    /** The samples of one step starting at {@code at}. */
    record Point(Instant at, double min, double avg, double max, long count) {
    }
}
