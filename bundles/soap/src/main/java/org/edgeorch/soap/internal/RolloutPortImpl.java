package org.edgeorch.soap.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.jws.WebService;

import org.edgeorch.fleet.HostStatus;
import org.edgeorch.scheduling.rollout.RolloutService;
import org.edgeorch.scheduling.rollout.Rollouts;
import org.edgeorch.soap.FleetDtos;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.RolloutDtos;
import org.edgeorch.soap.RolloutPort;
import org.edgeorch.soap.TenancyFault;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.edgeorch.tenancy.TenancyException;

@WebService(serviceName = "RolloutService", portName = "RolloutPort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.RolloutPort")
public class RolloutPortImpl implements RolloutPort {

    private final RolloutService rollouts;

    public RolloutPortImpl(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    @Override
    public RolloutDtos.Rollout createRollout(String project, RolloutDtos.Spec spec) throws TenancyFault {
        return TenancyPortImpl.call(() -> rollout(rollouts.create(SoapAuthInterceptor.caller(), project, spec(spec))));
    }

    @Override
    public List<RolloutDtos.Rollout> listRollouts(String project, String state, int offset, int limit) throws TenancyFault {
        return TenancyPortImpl.call(() -> rollouts.rollouts(SoapAuthInterceptor.caller(), project,
                ReleasePortImpl.parse(Rollouts.RolloutState.class, "state", state), offset, limit == 0 ? 50 : limit)
                .stream().map(RolloutPortImpl::rollout).toList());
    }

    @Override
    public RolloutDtos.Rollout getRollout(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> rollout(rollouts.rollout(SoapAuthInterceptor.caller(), project, name)));
    }

    @Override
    public RolloutDtos.Rollout startRollout(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> rollout(rollouts.start(SoapAuthInterceptor.caller(), project, name)));
    }

    @Override
    public RolloutDtos.Rollout pauseRollout(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> rollout(rollouts.pause(SoapAuthInterceptor.caller(), project, name)));
    }

    @Override
    public RolloutDtos.Rollout resumeRollout(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> rollout(rollouts.resume(SoapAuthInterceptor.caller(), project, name)));
    }

    @Override
    public RolloutDtos.Rollout abortRollout(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> rollout(rollouts.abort(SoapAuthInterceptor.caller(), project, name)));
    }

    @Override
    public RolloutDtos.RunPage listRolloutRuns(String project, String name, String status, Integer wave, int offset, int limit)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> page(rollouts.runs(SoapAuthInterceptor.caller(), project, name,
                new Rollouts.RunQuery(ReleasePortImpl.parse(UpdateStatus.class, "status", status), wave, offset,
                        limit == 0 ? 100 : limit))));
    }

    @Override
    public RolloutDtos.RunPage listHostUpdateRuns(String project, String host, String status, int offset, int limit)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> page(rollouts.hostRuns(SoapAuthInterceptor.caller(), project, host,
                new Rollouts.RunQuery(ReleasePortImpl.parse(UpdateStatus.class, "status", status), null, offset,
                        limit == 0 ? 100 : limit))));
    }

    // ---- mapping ------------------------------------------------------------------------------

    /** Absent parts stay absent: the service authorises first, then says what the request lacks. */
    static Rollouts.RolloutSpec spec(RolloutDtos.Spec s) {
        if (s == null) {
            return null;
        }
        Rollouts.HostSelection hosts = null;
        if (s.hosts != null) {
            Map<String, String> metadata = new LinkedHashMap<>();
            for (FleetDtos.Entry e : s.hosts.metadata) {
                metadata.put(e.key, e.value);
            }
            hosts = new Rollouts.HostSelection(s.hosts.hosts, ReleasePortImpl.parse(HostStatus.class, "hosts.status",
                    s.hosts.status), blank(s.hosts.site), blank(s.hosts.region), metadata, blank(s.hosts.text));
        }
        List<Rollouts.WaveSpec> waves = new ArrayList<>();
        for (int i = 0; i < s.waves.size(); i++) {
            RolloutDtos.WaveSpec w = s.waves.get(i);
            String field = "waves[" + (i + 1) + "]";
            waves.add(w == null ? null : new Rollouts.WaveSpec(w.count, w.percent, w.spreadAcrossSites, w.successPercent,
                    w.failurePercent, w.failureMinFinished, duration(field + ".soak", w.soak),
                    duration(field + ".hostTimeout", w.hostTimeout)));
        }
        return new Rollouts.RolloutSpec(s.name, s.description, s.osProfile, s.version, hosts, waves,
                ReleasePortImpl.parse(Rollouts.FailureAction.class, "onFailure", s.onFailure));
    }

    static RolloutDtos.Rollout rollout(Rollouts.Rollout r) {
        RolloutDtos.Rollout d = new RolloutDtos.Rollout();
        d.name = r.name();
        d.description = r.description();
        d.osProfile = r.osProfile();
        d.version = r.version();
        d.selection = r.selection();
        d.onFailure = text(r.onFailure());
        d.state = text(r.state());
        d.stateReason = r.stateReason();
        d.currentWave = r.currentWave();
        d.counts = counts(r.counts());
        for (Rollouts.Wave w : r.waves()) {
            RolloutDtos.Wave dw = new RolloutDtos.Wave();
            dw.number = w.number();
            dw.spec = waveSpec(w.spec());
            dw.state = text(w.state());
            dw.counts = counts(w.counts());
            dw.startedAt = text(w.startedAt());
            dw.soakUntil = text(w.soakUntil());
            dw.finishedAt = text(w.finishedAt());
            d.waves.add(dw);
        }
        d.createdBy = r.createdBy();
        d.createdAt = text(r.createdAt());
        d.startedAt = text(r.startedAt());
        d.finishedAt = text(r.finishedAt());
        return d;
    }

    static RolloutDtos.RunPage page(Rollouts.RunPage p) {
        RolloutDtos.RunPage d = new RolloutDtos.RunPage();
        for (Rollouts.UpdateRun r : p.runs()) {
            RolloutDtos.UpdateRun dr = new RolloutDtos.UpdateRun();
            dr.id = r.id();
            dr.host = r.host();
            dr.rollout = r.rollout();
            dr.wave = r.wave();
            dr.osProfile = r.osProfile();
            dr.fromVersion = r.fromVersion();
            dr.toVersion = r.toVersion();
            dr.status = text(r.status());
            dr.failure = text(r.failure());
            dr.detail = r.detail();
            dr.progress = r.progress();
            dr.policySource = r.policySource();
            dr.createdAt = text(r.createdAt());
            dr.startedAt = text(r.startedAt());
            dr.updatedAt = text(r.updatedAt());
            dr.finishedAt = text(r.finishedAt());
            dr.deadline = text(r.deadline());
            d.runs.add(dr);
        }
        d.total = p.total();
        d.offset = p.offset();
        d.limit = p.limit();
        return d;
    }

    private static RolloutDtos.WaveSpec waveSpec(Rollouts.WaveSpec w) {
        RolloutDtos.WaveSpec d = new RolloutDtos.WaveSpec();
        d.count = w.count();
        d.percent = w.percent();
        d.spreadAcrossSites = w.spreadAcrossSites();
        d.successPercent = w.successPercent();
        d.failurePercent = w.failurePercent();
        d.failureMinFinished = w.failureMinFinished();
        d.soak = text(w.soak());
        d.hostTimeout = text(w.hostTimeout());
        return d;
    }

    private static RolloutDtos.Counts counts(Rollouts.Counts c) {
        RolloutDtos.Counts d = new RolloutDtos.Counts();
        d.hosts = c.hosts();
        d.succeeded = c.succeeded();
        d.failed = c.failed();
        d.pending = c.pending();
        return d;
    }

    private static Duration duration(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new TenancyException(TenancyException.Reason.INVALID, field, field + " '" + value
                    + "' is not an ISO-8601 duration such as PT30M or PT2H");
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Instants and durations as ISO-8601, enums by name. */
    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
