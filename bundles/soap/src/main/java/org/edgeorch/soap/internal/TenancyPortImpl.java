package org.edgeorch.soap.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.jws.WebService;

import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.TenancyDtos;
import org.edgeorch.soap.TenancyFault;
import org.edgeorch.soap.TenancyPort;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyService;

@WebService(serviceName = "TenancyService", portName = "TenancyPort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.TenancyPort")
public class TenancyPortImpl implements TenancyPort {

    private final TenancyService tenancy;
    private final AuditLog audit;

    public TenancyPortImpl(TenancyService tenancy, AuditLog audit) {
        this.tenancy = tenancy;
        this.audit = audit;
    }

    @Override
    public List<TenancyDtos.Organization> listOrganizations() throws TenancyFault {
        return call(() -> tenancy.organizations(caller()).stream().map(TenancyPortImpl::org).toList());
    }

    @Override
    public TenancyDtos.Organization createOrganization(String name, String displayName) throws TenancyFault {
        return call(() -> org(tenancy.createOrganization(caller(), name, displayName)));
    }

    @Override
    public List<TenancyDtos.Project> listProjects() throws TenancyFault {
        return call(() -> {
            Caller c = caller();
            Map<String, String> orgNames = tenancy.organizations(c).stream()
                    .collect(Collectors.toMap(Model.Organization::id, Model.Organization::name));
            return tenancy.projects(c).stream().map(p -> project(p, orgNames.get(p.orgId()))).toList();
        });
    }

    @Override
    public TenancyDtos.Project createProject(String organization, String name, String displayName) throws TenancyFault {
        return call(() -> project(tenancy.createProject(caller(), organization, name, displayName), organization));
    }

    @Override
    public String createUser(String organization, String username, String password) throws TenancyFault {
        return call(() -> tenancy.createUser(caller(), organization, username, null,
                password == null ? null : password.toCharArray()).username());
    }

    @Override
    public void setUserEnabled(String username, boolean enabled) throws TenancyFault {
        call(() -> {
            tenancy.setUserEnabled(caller(), username, enabled);
            return null;
        });
    }

    @Override
    public void deleteUser(String username) throws TenancyFault {
        call(() -> {
            tenancy.deleteUser(caller(), username);
            return null;
        });
    }

    @Override
    public TenancyDtos.RoleBinding grantProjectRole(String project, String subjectType, String subject, String role)
            throws TenancyFault {
        return call(() -> binding(tenancy.grantProjectRole(caller(), project,
                parse(Model.SubjectType.class, "subjectType", subjectType), subject, parse(Role.class, "role", role))));
    }

    @Override
    public List<TenancyDtos.RoleBinding> listProjectRoles(String project) throws TenancyFault {
        return call(() -> tenancy.projectRoles(caller(), project).stream().map(TenancyPortImpl::binding).toList());
    }

    @Override
    public TenancyDtos.AuditPage queryAudit(String project, String actor, String action, int offset, int limit)
            throws TenancyFault {
        return call(() -> {
            AuditLog.Page page = audit.query(caller(), new AuditLog.Query(blank(project), blank(actor), blank(action),
                    null, null, null, offset, limit == 0 ? 50 : limit));
            TenancyDtos.AuditPage dto = new TenancyDtos.AuditPage();
            dto.total = page.total();
            dto.offset = page.offset();
            dto.limit = page.limit();
            for (AuditLog.Event e : page.events()) {
                TenancyDtos.AuditEvent d = new TenancyDtos.AuditEvent();
                d.id = e.id();
                d.at = e.at().toString();
                d.actor = e.actor();
                d.project = e.project();
                d.action = e.action();
                d.objectType = e.objectType();
                d.objectId = e.objectId();
                d.outcome = e.outcome().name();
                d.sourceAddress = e.sourceAddress();
                d.detail = e.detail();
                dto.events.add(d);
            }
            return dto;
        });
    }

    // ---- mapping ------------------------------------------------------------------------------

    private static Caller caller() {
        return SoapAuthInterceptor.caller();
    }

    /** Runs a tenancy call and turns its refusal into the declared fault. */
    static <T> T call(Supplier<T> work) throws TenancyFault {
        try {
            return work.get();
        } catch (TenancyException e) {
            TenancyFault.Info info = new TenancyFault.Info();
            info.reason = e.reason().name();
            info.field = e.field();
            throw new TenancyFault(e.getMessage(), info);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value == null ? "" : value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TenancyException(TenancyException.Reason.INVALID, field, field + " '" + value + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static TenancyDtos.Organization org(Model.Organization o) {
        TenancyDtos.Organization d = new TenancyDtos.Organization();
        d.name = o.name();
        d.displayName = o.displayName();
        d.createdAt = o.createdAt().toString();
        return d;
    }

    private static TenancyDtos.Project project(Model.Project p, String orgName) {
        TenancyDtos.Project d = new TenancyDtos.Project();
        d.name = p.name();
        d.organization = orgName;
        d.displayName = p.displayName();
        d.createdAt = p.createdAt().toString();
        return d;
    }

    private static TenancyDtos.RoleBinding binding(Model.RoleBinding b) {
        TenancyDtos.RoleBinding d = new TenancyDtos.RoleBinding();
        d.id = b.id();
        d.subjectType = b.subjectType().name();
        d.subject = b.subject();
        d.role = b.role().name();
        return d;
    }
}
