package org.edgeorch.tenancy.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.edgeorch.platform.Inputs;
import org.edgeorch.security.PasswordHasher;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.AuditLog.Outcome;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Group;
import org.edgeorch.tenancy.Model.Organization;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.RoleBinding;
import org.edgeorch.tenancy.Model.SubjectType;
import org.edgeorch.tenancy.Model.User;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.edgeorch.tenancy.TenancyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = TenancyService.class)
public class TenancyServiceImpl implements TenancyService {

    private final Database db;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;

    @Activate
    public TenancyServiceImpl(@Reference Database db, @Reference PasswordHasher hasher, @Reference AuditLog audit) {
        this(db, hasher, audit, Clock.systemUTC());
    }

    TenancyServiceImpl(Database db, PasswordHasher hasher, AuditLog audit, Clock clock) {
        this.db = db;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    // ---- organisations ----------------------------------------------------------------------

    @Override
    public Organization createOrganization(Caller caller, String name, String displayName) {
        Names.slug("name", name);
        String display = Names.displayName("displayName", displayName, name);
        if (!caller.platformAdmin()) {
            throw deny(caller, null, null, "organization.create", "organization", name, "only platform administrators create organisations");
        }
        Organization org = new Organization(UUID.randomUUID().toString(), name, display, now());
        db.inTransaction(c -> {
            requireAbsent(c, "SELECT 1 FROM organization WHERE name = ?", name, "organisation '" + name + "' already exists");
            return Sql.update(c, "INSERT INTO organization (id, name, display_name, created_at) VALUES (?, ?, ?, ?)",
                    org.id(), org.name(), org.displayName(), org.createdAt());
        });
        audit.record(caller.username(), org.id(), null, "organization.create", "organization", name, Outcome.SUCCESS,
                caller.sourceAddress(), null);
        return org;
    }

    @Override
    public List<Organization> organizations(Caller caller) {
        return db.inTransaction(c -> caller.platformAdmin()
                ? Sql.list(c, Rows.ORG + " ORDER BY name", Rows::organization)
                : Sql.list(c, Rows.ORG + " WHERE id = ?", Rows::organization, caller.orgId()));
    }

    @Override
    public Organization organization(Caller caller, String name) {
        return db.inTransaction(c -> visibleOrg(c, caller, name));
    }

    private Organization visibleOrg(Connection c, Caller caller, String name) throws SQLException {
        return Sql.one(c, Rows.ORG + " WHERE name = ?", Rows::organization, name)
                .filter(o -> caller.platformAdmin() || o.id().equals(caller.orgId()))
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "organisation '" + name + "' does not exist"));
    }

    /** The organisation, if the caller administers it (platform admins administer every one). */
    private Organization administeredOrg(Connection c, Caller caller, String name, String action) throws SQLException {
        Organization org = visibleOrg(c, caller, name);
        if (!caller.platformAdmin() && !caller.orgAdminOf().contains(org.id())) {
            throw deny(caller, org.id(), null, action, "organization", name, "only administrators of '" + name + "' may do this");
        }
        return org;
    }

    // ---- projects -------------------------------------------------------------------------------

    @Override
    public Project createProject(Caller caller, String orgName, String name, String displayName) {
        Names.slug("name", name);
        String display = Names.displayName("displayName", displayName, name);
        Project project = db.inTransaction(c -> {
            Organization org = administeredOrg(c, caller, orgName, "project.create");
            Optional<String> holder = Sql.one(c, "SELECT org_id FROM project WHERE name = ?", rs -> rs.getString(1), name);
            if (holder.isPresent()) {
                return nameTaken(caller, org.id(), holder.get(), "project", name);
            }
            Project p = new Project(UUID.randomUUID().toString(), org.id(), name, display, now());
            insertUnique(c, "project", name, "INSERT INTO project (id, org_id, name, display_name, created_at) VALUES (?, ?, ?, ?, ?)",
                    p.id(), p.orgId(), p.name(), p.displayName(), p.createdAt());
            return p;
        });
        if (project == null) {
            throw nameTakenAnswer("project", name);
        }
        audit.record(caller.username(), project.orgId(), project.id(), "project.create", "project", name,
                Outcome.SUCCESS, caller.sourceAddress(), null);
        return project;
    }

    @Override
    public List<Project> projects(Caller caller) {
        return db.inTransaction(c -> Sql.list(c, Rows.PROJECT + " ORDER BY name", Rows::project))
                .stream().filter(p -> caller.sees(p.id())).toList();
    }

    @Override
    public Project project(Caller caller, String name) {
        return authorize(caller, name, Permission.PROJECT_READ);
    }

    @Override
    public Project authorize(Caller caller, String projectName, Permission permission) {
        Optional<Project> row = db.inTransaction(c -> Sql.one(c, Rows.PROJECT + " WHERE name = ?", Rows::project, projectName));
        Project p = row.filter(found -> caller.sees(found.id())).orElseThrow(() -> notFound(caller, row, projectName));
        if (!caller.can(p.id(), permission)) {
            throw deny(caller, p.orgId(), p.id(), permission.name().toLowerCase(), "project", projectName,
                    "your roles in project '" + projectName + "' do not allow " + permission);
        }
        return p;
    }

    @Override
    public void deleteProject(Caller caller, String name) {
        Project p = db.inTransaction(c -> {
            Optional<Project> row = Sql.one(c, Rows.PROJECT + " WHERE name = ?", Rows::project, name);
            Project found = row.filter(x -> caller.sees(x.id())).orElseThrow(() -> notFound(caller, row, name));
            if (!caller.orgAdminOf().contains(found.orgId())) {
                throw deny(caller, found.orgId(), found.id(), "project.delete", "project", name,
                        "only organisation administrators delete projects");
            }
            Sql.update(c, "DELETE FROM role_binding WHERE scope_type = 'PROJECT' AND scope_id = ?", found.id());
            Sql.update(c, "DELETE FROM project WHERE id = ?", found.id());
            return found;
        });
        audit.record(caller.username(), p.orgId(), p.id(), "project.delete", "project", name, Outcome.SUCCESS,
                caller.sourceAddress(), null);
    }

    // ---- users and groups -------------------------------------------------------------------

    @Override
    public User createUser(Caller caller, String orgName, String username, String displayName, char[] password) {
        Names.username(username);
        String display = Names.displayName("displayName", displayName, username);
        String hash = password == null ? null : hasher.hash(Names.password(password));
        User user = db.inTransaction(c -> {
            Organization org = administeredOrg(c, caller, orgName, "user.create");
            Optional<String> holder = Sql.one(c, "SELECT org_id FROM app_user WHERE username = ?", rs -> rs.getString(1), username);
            if (holder.isPresent()) {
                return nameTaken(caller, org.id(), holder.get(), "user", username);
            }
            User u = new User(UUID.randomUUID().toString(), org.id(), username, display, true, now());
            insertUnique(c, "user", username, "INSERT INTO app_user (id, org_id, username, display_name, password_hash, enabled,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", u.id(), u.orgId(), username, display, hash, true, u.createdAt());
            return u;
        });
        if (user == null) {
            throw nameTakenAnswer("user", username);
        }
        audit.record(caller.username(), user.orgId(), null, "user.create", "user", username, Outcome.SUCCESS,
                caller.sourceAddress(), null);
        return user;
    }

    @Override
    public List<User> users(Caller caller, String orgName) {
        return db.inTransaction(c -> {
            Organization org = administeredOrg(c, caller, orgName, "user.list");
            return Sql.list(c, Rows.USER + " WHERE org_id = ? ORDER BY username", Rows::user, org.id());
        });
    }

    @Override
    public void setPassword(Caller caller, String username, char[] newPassword) {
        String hash = hasher.hash(Names.password(newPassword));
        User user = db.inTransaction(c -> {
            User u = userAdministeredBy(c, caller, username, "user.password");
            Sql.update(c, "UPDATE app_user SET password_hash = ? WHERE id = ?", hash, u.id());
            return u;
        });
        audit.record(caller.username(), user.orgId(), null, "user.password", "user", username, Outcome.SUCCESS,
                caller.sourceAddress(), null);
    }

    @Override
    public void setUserEnabled(Caller caller, String username, boolean enabled) {
        User user = db.inTransaction(c -> {
            User u = userAdministeredBy(c, caller, username, "user.enable");
            if (u.id().equals(caller.userId()) && !enabled) {
                throw new TenancyException(Reason.INVALID, "enabled", "you cannot disable your own account");
            }
            Sql.update(c, "UPDATE app_user SET enabled = ? WHERE id = ?", enabled, u.id());
            if (!enabled) {
                Sql.update(c, "UPDATE api_token SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now(), u.id());
            }
            return u;
        });
        audit.record(caller.username(), user.orgId(), null, enabled ? "user.enable" : "user.disable", "user", username,
                Outcome.SUCCESS, caller.sourceAddress(), null);
    }

    @Override
    public void deleteUser(Caller caller, String username) {
        User user = db.inTransaction(c -> {
            User u = userAdministeredBy(c, caller, username, "user.delete");
            if (u.id().equals(caller.userId())) {
                throw new TenancyException(Reason.INVALID, "username", "you cannot delete your own account");
            }
            Sql.update(c, "DELETE FROM role_binding WHERE subject_type = 'USER' AND subject_id = ?", u.id());
            Sql.update(c, "DELETE FROM group_member WHERE user_id = ?", u.id());
            Sql.update(c, "DELETE FROM api_token WHERE user_id = ?", u.id());
            Sql.update(c, "DELETE FROM app_user WHERE id = ?", u.id());
            return u;
        });
        audit.record(caller.username(), user.orgId(), null, "user.delete", "user", username, Outcome.SUCCESS,
                caller.sourceAddress(), null);
    }

    /** A user the caller may manage: itself, or any user of an organisation it administers. */
    private User userAdministeredBy(Connection c, Caller caller, String username, String action) throws SQLException {
        User u = Sql.one(c, Rows.USER + " WHERE username = ?", Rows::user, username)
                .filter(x -> x.orgId().equals(caller.orgId()) || caller.orgAdminOf().contains(x.orgId()) || caller.platformAdmin())
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "user '" + username + "' does not exist"));
        if (!u.id().equals(caller.userId()) && !caller.orgAdminOf().contains(u.orgId()) && !caller.platformAdmin()) {
            throw deny(caller, u.orgId(), null, action, "user", username, "only organisation administrators manage other users");
        }
        return u;
    }

    @Override
    public Group createGroup(Caller caller, String orgName, String name) {
        Names.slug("name", name);
        Group group = db.inTransaction(c -> {
            Organization org = administeredOrg(c, caller, orgName, "group.create");
            requireAbsent(c, "SELECT 1 FROM user_group WHERE org_id = ? AND name = ?", org.id(), name,
                    "group '" + name + "' already exists in '" + orgName + "'");
            Group g = new Group(UUID.randomUUID().toString(), org.id(), name, List.of());
            Sql.update(c, "INSERT INTO user_group (id, org_id, name, created_at) VALUES (?, ?, ?, ?)", g.id(), g.orgId(), name, now());
            return g;
        });
        audit.record(caller.username(), group.orgId(), null, "group.create", "group", name, Outcome.SUCCESS,
                caller.sourceAddress(), null);
        return group;
    }

    @Override
    public List<Group> groups(Caller caller, String orgName) {
        return db.inTransaction(c -> {
            Organization org = administeredOrg(c, caller, orgName, "group.list");
            List<Group> groups = Sql.list(c, "SELECT id, org_id, name FROM user_group WHERE org_id = ? ORDER BY name",
                    rs -> new Group(rs.getString(1), rs.getString(2), rs.getString(3), List.of()), org.id());
            List<Group> out = new java.util.ArrayList<>();
            for (Group g : groups) {
                out.add(new Group(g.id(), g.orgId(), g.name(), Sql.list(c, "SELECT u.username FROM group_member m"
                        + " JOIN app_user u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.username",
                        rs -> rs.getString(1), g.id())));
            }
            return out;
        });
    }

    @Override
    public void addGroupMember(Caller caller, String orgName, String group, String username) {
        Organization org = db.inTransaction(c -> {
            Organization o = administeredOrg(c, caller, orgName, "group.member.add");
            String groupId = Sql.one(c, "SELECT id FROM user_group WHERE org_id = ? AND name = ?", rs -> rs.getString(1), o.id(), group)
                    .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "group '" + group + "' does not exist"));
            String userId = Sql.one(c, "SELECT id FROM app_user WHERE org_id = ? AND username = ?", rs -> rs.getString(1), o.id(), username)
                    .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, "user '" + username + "' does not exist in '" + orgName + "'"));
            requireAbsent(c, "SELECT 1 FROM group_member WHERE group_id = ? AND user_id = ?", groupId, userId,
                    "user '" + username + "' is already in group '" + group + "'");
            Sql.update(c, "INSERT INTO group_member (group_id, user_id) VALUES (?, ?)", groupId, userId);
            return o;
        });
        audit.record(caller.username(), org.id(), null, "group.member.add", "group", group + "/" + username,
                Outcome.SUCCESS, caller.sourceAddress(), null);
    }

    // ---- roles ----------------------------------------------------------------------------------

    @Override
    public RoleBinding grantProjectRole(Caller caller, String projectName, SubjectType subjectType, String subject, Role role) {
        // Authorise first: a project the caller cannot see answers 404 whatever the request says.
        Project p = authorize(caller, projectName, Permission.MEMBERS_MANAGE);
        if (role == null || role.scope() != Role.Scope.PROJECT) {
            throw new TenancyException(Reason.INVALID, "role", "role " + role + " is not a project role; use one of "
                    + "PROJECT_ADMIN, EDGE_MANAGER, EDGE_OPERATOR, HOST_MANAGER, ONBOARDING, VIEWER");
        }
        RoleBinding binding = db.inTransaction(c -> insertBinding(c, p.orgId(), subjectType, subject, Role.Scope.PROJECT,
                p.id(), projectName, role));
        audit.record(caller.username(), p.orgId(), p.id(), "role.grant", "role_binding", subject + ":" + role,
                Outcome.SUCCESS, caller.sourceAddress(), null);
        return binding;
    }

    @Override
    public RoleBinding grantOrganizationRole(Caller caller, String orgName, SubjectType subjectType, String subject, Role role) {
        if (role != Role.ORG_ADMIN) {
            throw new TenancyException(Reason.INVALID, "role", "only ORG_ADMIN is granted on an organisation");
        }
        RoleBinding binding = db.inTransaction(c -> {
            Organization org = administeredOrg(c, caller, orgName, "role.grant");
            return insertBinding(c, org.id(), subjectType, subject, Role.Scope.ORGANIZATION, org.id(), orgName, role);
        });
        audit.record(caller.username(), null, null, "role.grant", "role_binding", subject + ":" + role + "@" + orgName,
                Outcome.SUCCESS, caller.sourceAddress(), null);
        return binding;
    }

    private RoleBinding insertBinding(Connection c, String orgId, SubjectType subjectType, String subject,
                                      Role.Scope scopeType, String scopeId, String scopeName, Role role) throws SQLException {
        if (subjectType == null) {
            throw new TenancyException(Reason.INVALID, "subjectType", "subjectType must be USER or GROUP");
        }
        // Subjects come from the scope's own organisation only: no cross-tenant grants.
        String subjectId = (subjectType == SubjectType.USER
                ? Sql.one(c, "SELECT id FROM app_user WHERE org_id = ? AND username = ?", rs -> rs.getString(1), orgId, subject)
                : Sql.one(c, "SELECT id FROM user_group WHERE org_id = ? AND name = ?", rs -> rs.getString(1), orgId, subject))
                .orElseThrow(() -> new TenancyException(Reason.NOT_FOUND, subjectType.name().toLowerCase() + " '" + subject
                        + "' does not exist in this organisation"));
        requireAbsent(c, "SELECT 1 FROM role_binding WHERE subject_type = ? AND subject_id = ? AND scope_type = ?"
                + " AND scope_id = ? AND role = ?", subjectType, subjectId, scopeType, scopeId, role,
                subject + " already holds " + role + " on '" + scopeName + "'");
        RoleBinding b = new RoleBinding(UUID.randomUUID().toString(), subjectType, subject, scopeType, scopeName, role, now());
        Sql.update(c, "INSERT INTO role_binding (id, subject_type, subject_id, scope_type, scope_id, role, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", b.id(), subjectType, subjectId, scopeType, scopeId, role, b.createdAt());
        return b;
    }

    @Override
    public List<RoleBinding> projectRoles(Caller caller, String projectName) {
        Project p = authorize(caller, projectName, Permission.PROJECT_READ);
        return db.inTransaction(c -> Sql.list(c, "SELECT b.id, b.subject_type, COALESCE(u.username, g.name) AS subject,"
                + " b.role, b.created_at FROM role_binding b"
                + " LEFT JOIN app_user u ON b.subject_type = 'USER' AND u.id = b.subject_id"
                + " LEFT JOIN user_group g ON b.subject_type = 'GROUP' AND g.id = b.subject_id"
                + " WHERE b.scope_type = 'PROJECT' AND b.scope_id = ? ORDER BY subject, b.role",
                rs -> new RoleBinding(rs.getString("id"), SubjectType.valueOf(rs.getString("subject_type")),
                        rs.getString("subject"), Role.Scope.PROJECT, projectName, Role.valueOf(rs.getString("role")),
                        Sql.instant(rs, "created_at")), p.id()));
    }

    @Override
    public void revokeProjectRole(Caller caller, String projectName, String bindingId) {
        Project p = authorize(caller, projectName, Permission.MEMBERS_MANAGE);
        int removed = db.inTransaction(c -> Sql.update(c,
                "DELETE FROM role_binding WHERE id = ? AND scope_type = 'PROJECT' AND scope_id = ?", bindingId, p.id()));
        if (removed == 0) {
            throw new TenancyException(Reason.NOT_FOUND, "role binding '" + bindingId + "' does not exist in '" + projectName + "'");
        }
        audit.record(caller.username(), p.orgId(), p.id(), "role.revoke", "role_binding", bindingId, Outcome.SUCCESS,
                caller.sourceAddress(), null);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * A project the caller cannot see, whether it exists or not. The caller's own organisation audit gets the same
     * entry either way (so reading it tells nothing about other tenants); when the project exists in another
     * organisation, that organisation's project audit also learns it was asked for, without who asked.
     */
    private TenancyException notFound(Caller caller, Optional<Project> row, String name) {
        audit.record(caller.username(), caller.orgId(), null, "project.lookup", "project", name, Outcome.DENIED,
                caller.sourceAddress(), "no project of this name is visible to the caller");
        row.filter(p -> caller.orgId() != null && !p.orgId().equals(caller.orgId()))
                .ifPresent(p -> audit.record("(another organisation)", p.orgId(), p.id(), "project.probe", "project", name,
                        Outcome.DENIED, null, "a caller of another organisation asked for this project and was told it does not exist"));
        return new TenancyException(Reason.NOT_FOUND, "project '" + name + "' does not exist");
    }

    /**
     * Project names and user names are one namespace across all organisations (a project name alone addresses the
     * project in every REST path, SOAP call and shell command; a user name alone identifies the account at login), so
     * a name another organisation holds cannot be given again. The refusal is the same words whether the holder is the
     * caller's own organisation or another and names no holder; both organisations' audits record it (the holder's
     * without who asked), like a probe for another tenant's project. Returns null for the transaction to end; the caller
     * then throws {@link #nameTakenAnswer}, outside it, so the audit entries stay.
     */
    private <T> T nameTaken(Caller caller, String callerOrgId, String holderOrgId, String type, String name) {
        audit.record(caller.username(), callerOrgId, null, type + ".create", type, name, Outcome.DENIED,
                caller.sourceAddress(), "the name is not available");
        if (!holderOrgId.equals(callerOrgId)) {
            audit.record("(another organisation)", holderOrgId, null, type + ".name-probe", type, name, Outcome.DENIED, null,
                    "a caller of another organisation tried to create a " + type + " of this name and was told it is not available");
        }
        return null;
    }

    static TenancyException nameTakenAnswer(String type, String name) {
        return new TenancyException(Reason.CONFLICT, type.equals("user") ? "username" : "name", type + " name '" + Inputs.prefix(name) + "' is not available: "
                + (type.equals("project") ? "project names are unique across the orchestrator, since a project name alone "
                        + "addresses it" : "user names are unique across the orchestrator, since a user name alone is the "
                        + "login") + "; choose another");
    }

    /** An insert that a concurrent one may beat to the unique name: that answers the same conflict, not a 500. */
    private static void insertUnique(Connection c, String type, String name, String sql, Object... params) throws SQLException {
        try {
            Sql.update(c, sql, params);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().equals("23505")) {
                throw nameTakenAnswer(type, name);
            }
            throw e;
        }
    }

    private TenancyException deny(Caller caller, String orgId, String projectId, String action, String type,
                                  String object, String message) {
        audit.record(caller.username(), orgId, projectId, action, type, object, Outcome.DENIED, caller.sourceAddress(), message);
        return new TenancyException(Reason.FORBIDDEN, message);
    }

    private static void requireAbsent(Connection c, String sql, Object... paramsThenMessage) throws SQLException {
        Object[] params = java.util.Arrays.copyOf(paramsThenMessage, paramsThenMessage.length - 1);
        String message = (String) paramsThenMessage[paramsThenMessage.length - 1];
        if (Sql.one(c, sql, rs -> 1, params).isPresent()) {
            throw new TenancyException(Reason.CONFLICT, message);
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
