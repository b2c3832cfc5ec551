package org.edgeorch.soap;

import java.util.ArrayList;
import java.util.List;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlElement;
import javax.xml.bind.annotation.XmlType;

/**
 * SOAP forms of rollouts, their waves and update runs. Instants are ISO-8601 text, durations ISO-8601 durations
 * ({@code PT30M}), states and statuses enum names.
 */
public final class RolloutDtos {

    private RolloutDtos() {
    }

    /** Which hosts: {@code host} names, or a filter (every field optional; none at all selects every host). */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RolloutHosts")
    public static class Hosts {
        @XmlElement(name = "host")
        public List<String> hosts = new ArrayList<>();
        /** REGISTERED, ONBOARDED, RUNNING, NO_CONNECTION or ERROR. */
        public String status;
        public String site;
        public String region;
        @XmlElement(name = "metadata")
        public List<FleetDtos.Entry> metadata = new ArrayList<>();
        public String text;
    }

    /**
     * One wave: {@code count} or {@code percent} (the last wave may give neither: it takes the rest); absent thresholds
     * take their defaults (success 100, failure 0, minimum 1 finished, no soak, a two-hour host timeout).
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RolloutWaveSpec")
    public static class WaveSpec {
        public Integer count;
        public Integer percent;
        public Boolean spreadAcrossSites;
        public Integer successPercent;
        public Integer failurePercent;
        public Integer failureMinFinished;
        public String soak;
        public String hostTimeout;
    }

    /** What creating a rollout needs. {@code onFailure}: PAUSE (default) or ABORT. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RolloutSpec")
    public static class Spec {
        public String name;
        public String description;
        public String osProfile;
        public String version;
        public Hosts hosts;
        @XmlElement(name = "wave")
        public List<WaveSpec> waves = new ArrayList<>();
        public String onFailure;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RolloutCounts")
    public static class Counts {
        public int hosts;
        public int succeeded;
        public int failed;
        public int pending;
    }

    /** {@code state}: PENDING, RUNNING, SOAKING, SUCCEEDED, FAILED or ABORTED. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "RolloutWave")
    public static class Wave {
        public int number;
        public WaveSpec spec;
        public String state;
        public Counts counts;
        public String startedAt;
        public String soakUntil;
        public String finishedAt;
    }

    /** {@code state}: CREATING, READY, RUNNING, PAUSED, FINISHED or ABORTED. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "Rollout")
    public static class Rollout {
        public String name;
        public String description;
        public String osProfile;
        public String version;
        public String selection;
        public String onFailure;
        public String state;
        public String stateReason;
        public int currentWave;
        public Counts counts;
        @XmlElement(name = "wave")
        public List<Wave> waves = new ArrayList<>();
        public String createdBy;
        public String createdAt;
        public String startedAt;
        public String finishedAt;
    }

    /**
     * One attempt to move a host to a version; {@code rollout} and {@code wave} absent for a policy's run.
     * {@code status}: QUEUED … SUCCEEDED, ROLLED_BACK, FAILED, TIMED_OUT; {@code failure}: why not.
     */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "UpdateRun")
    public static class UpdateRun {
        public String id;
        public String host;
        public String rollout;
        public Integer wave;
        public String osProfile;
        public String fromVersion;
        public String toVersion;
        public String status;
        public String failure;
        public String detail;
        public int progress;
        public String policySource;
        public String createdAt;
        public String startedAt;
        public String updatedAt;
        public String finishedAt;
        public String deadline;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "UpdateRunPage")
    public static class RunPage {
        @XmlElement(name = "run")
        public List<UpdateRun> runs = new ArrayList<>();
        public long total;
        public int offset;
        public int limit;
    }
}
