package org.edgeorch.soap.internal;

import java.util.List;

import javax.jws.WebService;

import org.edgeorch.windows.Interval;
import org.edgeorch.scheduling.ScheduleService;
import org.edgeorch.scheduling.Schedules;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.scheduling.Schedules.Target;
import org.edgeorch.scheduling.Schedules.TargetType;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.ScheduleDtos;
import org.edgeorch.soap.SchedulePort;
import org.edgeorch.soap.TenancyFault;

@WebService(serviceName = "ScheduleService", portName = "SchedulePort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.SchedulePort")
public class SchedulePortImpl implements SchedulePort {

    private final ScheduleService schedules;

    public SchedulePortImpl(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @Override
    public List<ScheduleDtos.Window> listWindows(String project, String targetType, String target) throws TenancyFault {
        return TenancyPortImpl.call(() -> schedules.windows(SoapAuthInterceptor.caller(), project,
                ReleasePortImpl.parse(TargetType.class, "targetType", targetType), blank(target)).stream()
                .map(SchedulePortImpl::window).toList());
    }

    @Override
    public ScheduleDtos.Window getWindow(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> window(schedules.window(SoapAuthInterceptor.caller(), project, name)));
    }

    @Override
    public ScheduleDtos.Window createWindow(String project, ScheduleDtos.WindowSpec window) throws TenancyFault {
        return TenancyPortImpl.call(() -> {
            ScheduleDtos.WindowSpec w = window == null ? new ScheduleDtos.WindowSpec() : window;
            return window(schedules.createWindow(SoapAuthInterceptor.caller(), project, new Schedules.WindowDefinition(
                    w.name, target(w.targetType, w.target), w.start, w.end, w.cron, w.zone, w.duration)));
        });
    }

    @Override
    public ScheduleDtos.Window updateWindow(String project, String name, ScheduleDtos.WindowChange change)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> {
            ScheduleDtos.WindowChange c = change == null ? new ScheduleDtos.WindowChange() : change;
            return window(schedules.updateWindow(SoapAuthInterceptor.caller(), project, name, new Schedules.WindowUpdate(
                    target(c.targetType, c.target), c.start, c.end, c.cron, c.zone, c.duration)));
        });
    }

    @Override
    public void deleteWindow(String project, String name) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            schedules.deleteWindow(SoapAuthInterceptor.caller(), project, name);
            return null;
        });
    }

    @Override
    public List<ScheduleDtos.Policy> listPolicies(String project) throws TenancyFault {
        return TenancyPortImpl.call(() -> schedules.policies(SoapAuthInterceptor.caller(), project).stream()
                .map(SchedulePortImpl::policy).toList());
    }

    @Override
    public ScheduleDtos.Policy setPolicy(String project, String targetType, String target, String kind, String profile,
                                         String version) throws TenancyFault {
        return TenancyPortImpl.call(() -> policy(schedules.setPolicy(SoapAuthInterceptor.caller(), project,
                target(targetType, target), new Schedules.PolicySpec(ReleasePortImpl.parse(PolicyKind.class, "kind", kind),
                        profile, blank(version)))));
    }

    @Override
    public void clearPolicy(String project, String targetType, String target) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            schedules.clearPolicy(SoapAuthInterceptor.caller(), project, target(targetType, target));
            return null;
        });
    }

    @Override
    public ScheduleDtos.HostSchedule getHostSchedule(String project, String host) throws TenancyFault {
        return TenancyPortImpl.call(() -> schedule(schedules.hostSchedule(SoapAuthInterceptor.caller(), project, host)));
    }

    // ---- mapping ------------------------------------------------------------------------------

    /** Both absent: no target, and the service says one is needed (or, in a change, that the target stays). */
    static Target target(String type, String name) {
        if (blank(type) == null && blank(name) == null) {
            return null;
        }
        return new Target(ReleasePortImpl.parse(TargetType.class, "targetType", type), name);
    }

    static ScheduleDtos.Window window(Schedules.Window w) {
        ScheduleDtos.Window d = new ScheduleDtos.Window();
        d.name = w.name();
        d.targetType = text(w.target().type());
        d.target = w.target().name();
        d.kind = text(w.kind());
        d.start = text(w.start());
        d.end = text(w.end());
        d.cron = w.cron();
        d.zone = w.zone();
        d.duration = w.duration();
        d.createdAt = text(w.createdAt());
        d.updatedAt = text(w.updatedAt());
        return d;
    }

    static ScheduleDtos.Policy policy(Schedules.Policy p) {
        ScheduleDtos.Policy d = new ScheduleDtos.Policy();
        d.targetType = text(p.target().type());
        d.target = p.target().name();
        d.kind = text(p.kind());
        d.profile = p.profile();
        d.version = p.version();
        d.updatedBy = p.updatedBy();
        d.updatedAt = text(p.updatedAt());
        return d;
    }

    static ScheduleDtos.HostSchedule schedule(Schedules.HostSchedule s) {
        ScheduleDtos.HostSchedule d = new ScheduleDtos.HostSchedule();
        d.host = s.host();
        d.at = text(s.at());
        for (Schedules.EffectiveWindow w : s.windows()) {
            ScheduleDtos.EffectiveWindow e = new ScheduleDtos.EffectiveWindow();
            e.window = window(w.window());
            e.source = w.source();
            e.open = w.open();
            e.occurrenceStart = start(w.currentOrNext());
            e.occurrenceEnd = end(w.currentOrNext());
            d.windows.add(e);
        }
        d.inWindow = s.inWindow();
        d.openWindows.addAll(s.openWindows());
        d.occurrenceWindow = s.window();
        d.occurrenceStart = start(s.currentOrNext());
        d.occurrenceEnd = end(s.currentOrNext());
        d.nextOpening = text(s.nextOpening());
        if (s.policy() != null) {
            d.policy = policy(s.policy().policy());
            d.policySource = s.policy().source();
        }
        if (s.desired() != null) {
            d.desiredProfile = s.desired().profile();
            d.desiredVersion = s.desired().version();
        }
        d.desiredNote = s.desiredNote();
        return d;
    }

    private static String start(Interval i) {
        return i == null ? null : text(i.start());
    }

    private static String end(Interval i) {
        return i == null ? null : text(i.end());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
