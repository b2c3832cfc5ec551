package org.edgeorch.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.edgeorch.tenancy.AuditLog;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.Model.SubjectType;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenancyServiceTest {

    @TempDir
    Path dir;

    TenancyFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new TenancyFixture(dir);
        f.organizationWithProject("acme");
        f.organizationWithProject("globex");
    }

    @Test
    void initialAdministratorIsCreatedOnceAndManagesOrganisations() throws Exception {
        Caller admin = f.admin();
        assertTrue(admin.platformAdmin());
        assertEquals(List.of("acme", "default", "globex"),
                f.tenancy.organizations(admin).stream().map(o -> o.name()).toList());
        assertFalse(InitialAdmin.create(f.db, f.hasher, f.audit, TenancyFixture.config(""), dir, f.clock));
        assertFalse(Files.exists(dir.resolve(InitialAdmin.PASSWORD_FILE)), "configured password is never written out");
    }

    @Test
    void generatedInitialPasswordGoesToAnOwnerOnlyFile(@TempDir Path other) throws Exception {
        TestDatabase db = new TestDatabase(other);
        assertTrue(InitialAdmin.create(db, f.hasher, new AuditLogImpl(db, f.clock, java.time.Duration.ofDays(1)),
                TenancyFixture.config(""), other, f.clock));
        Path file = other.resolve(InitialAdmin.PASSWORD_FILE);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readString(file).strip();
        assertEquals(20, password.length());
        AuthServiceImpl auth = new AuthServiceImpl(db, f.hasher, new AuditLogImpl(db, f.clock, java.time.Duration.ofDays(1)),
                f.clock, java.time.Duration.ofHours(1));
        assertEquals("admin", auth.authenticatePassword("admin", password.toCharArray(), null).username());
    }

    @Test
    void projectsOfAnotherOrganisationDoNotExistForACaller() {
        Caller acme = f.login("acme-admin");
        assertEquals(List.of("acme-p1"), f.tenancy.projects(acme).stream().map(Project::name).toList());
        TenancyException e = assertThrows(TenancyException.class, () -> f.tenancy.project(acme, "globex-p1"));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.tenancy.deleteProject(acme, "globex-p1")).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.tenancy.projectRoles(acme, "globex-p1")).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.tenancy.organization(acme, "globex")).reason());
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.tenancy.createProject(acme, "globex", "sneaky", null)).reason());
    }

    @Test
    void probingAnotherTenantsProjectIsAuditedWithoutRevealingIt() {
        Caller acme = f.login("acme-admin");
        Caller globex = f.login("globex-admin");
        TenancyException foreign = assertThrows(TenancyException.class, () -> f.tenancy.project(acme, "globex-p1"));
        TenancyException absent = assertThrows(TenancyException.class, () -> f.tenancy.project(acme, "nowhere"));
        assertEquals(Reason.NOT_FOUND, foreign.reason());
        assertEquals(absent.getMessage().replace("nowhere", "globex-p1"), foreign.getMessage(), "the same answer");
        // the caller's organisation audit has one entry for each lookup, the same whether the project exists elsewhere
        List<AuditLog.Event> own = f.audit.query(acme, new AuditLog.Query(null, null, "project.lookup", null, null, null, 0, 50))
                .events();
        assertEquals(List.of("globex-p1", "nowhere"), own.stream().map(AuditLog.Event::objectId).sorted().toList());
        assertEquals(1, own.stream().map(ev -> ev.action() + ev.detail() + ev.actor() + ev.orgId() + ev.projectId()).distinct().count());
        assertEquals(0, f.audit.query(acme, new AuditLog.Query(null, null, "project.probe", null, null, null, 0, 50)).total());
        // the owner learns its project was asked for from outside, not by whom
        List<AuditLog.Event> owner = f.audit.query(globex, new AuditLog.Query("globex-p1", null, "project.probe", null, null,
                null, 0, 50)).events();
        assertEquals(1, owner.size());
        assertFalse(owner.get(0).actor().contains("acme") || owner.get(0).detail().contains("acme"), owner.get(0).toString());
    }

    @Test
    void aNameAnotherTenantHoldsIsRefusedInTheSameWordsAsOneOfTheCallersOwnAndTheHolderIsTold() {
        Caller acme = f.login("acme-admin");
        Caller globex = f.login("globex-admin");
        f.tenancy.createUser(acme, "acme", "dana", null, "dana-password".toCharArray());
        for (String[] own : new String[][] {{"project", "acme-p1", "globex-p1"}, {"user", "dana", "globex-admin"}}) {
            java.util.function.Function<String, TenancyException> create = name -> assertThrows(TenancyException.class,
                    () -> {
                        if (own[0].equals("project")) {
                            f.tenancy.createProject(acme, "acme", name, null);
                        } else {
                            f.tenancy.createUser(acme, "acme", name, null, "long-enough-password".toCharArray());
                        }
                    });
            TenancyException home = create.apply(own[1]);
            TenancyException foreign = create.apply(own[2]);
            assertEquals(Reason.CONFLICT, foreign.reason());
            assertEquals(home.getMessage().replace(own[1], own[2]), foreign.getMessage(), "the same answer");
            assertEquals(home.field(), foreign.field());
            assertFalse(foreign.getMessage().contains("globex'") || foreign.getMessage().contains("organisation '"),
                    foreign.getMessage());
            // the holder learns that another organisation tried its name, not which
            List<AuditLog.Event> told = f.audit.query(globex, new AuditLog.Query(null, null, own[0] + ".name-probe", null,
                    null, null, 0, 50)).events();
            assertEquals(List.of(own[2]), told.stream().map(AuditLog.Event::objectId).toList());
            assertFalse(told.get(0).actor().contains("acme") || told.get(0).detail().contains("acme"), told.get(0).toString());
            // the caller's own organisation is not told twice for its own name
            assertEquals(0, f.audit.query(acme, new AuditLog.Query(null, null, own[0] + ".name-probe", null, null, null, 0,
                    50)).total());
        }
    }

    @Test
    void rolesCannotBeGrantedToAnotherOrganisationsUsers() {
        Caller acme = f.login("acme-admin");
        TenancyException e = assertThrows(TenancyException.class,
                () -> f.tenancy.grantProjectRole(acme, "acme-p1", SubjectType.USER, "globex-admin", Role.VIEWER));
        assertEquals(Reason.NOT_FOUND, e.reason());
    }

    @Test
    void eachRoleGetsWhatTheMatrixSaysInItsProjectAndNothingElsewhere() {
        for (Role role : List.of(Role.PROJECT_ADMIN, Role.EDGE_MANAGER, Role.EDGE_OPERATOR, Role.HOST_MANAGER,
                Role.ONBOARDING, Role.VIEWER)) {
            Caller member = f.member("acme", "acme-p1", "u-" + role.name().toLowerCase().replace('_', '-'), role);
            for (Permission permission : Permission.values()) {
                if (role.permissions().contains(permission)) {
                    assertEquals("acme-p1", f.tenancy.authorize(member, "acme-p1", permission).name());
                } else {
                    assertEquals(Reason.FORBIDDEN, assertThrows(TenancyException.class,
                            () -> f.tenancy.authorize(member, "acme-p1", permission)).reason(), role + " " + permission);
                }
                assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                        () -> f.tenancy.authorize(member, "globex-p1", permission)).reason());
            }
        }
    }

    @Test
    void groupsCarryRolesToTheirMembers() {
        Caller acme = f.login("acme-admin");
        f.tenancy.createUser(acme, "acme", "dana", null, "dana-password".toCharArray());
        f.tenancy.createGroup(acme, "acme", "ops");
        f.tenancy.addGroupMember(acme, "acme", "ops", "dana");
        assertEquals(Reason.NOT_FOUND, assertThrows(TenancyException.class,
                () -> f.tenancy.project(f.login("dana"), "acme-p1")).reason());
        f.tenancy.grantProjectRole(acme, "acme-p1", SubjectType.GROUP, "ops", Role.EDGE_OPERATOR);
        Caller dana = f.login("dana");
        assertTrue(dana.can(f.tenancy.project(dana, "acme-p1").id(), Permission.OPERATE));
        assertEquals(List.of("dana"), f.tenancy.groups(acme, "acme").get(0).members());
    }

    @Test
    void deniedAttemptsAreAuditedAndChangeNothing() {
        Caller viewer = f.member("acme", "acme-p1", "vic", Role.VIEWER);
        assertThrows(TenancyException.class,
                () -> f.tenancy.grantProjectRole(viewer, "acme-p1", SubjectType.USER, "vic", Role.PROJECT_ADMIN));
        assertEquals(1, f.tenancy.projectRoles(f.login("acme-admin"), "acme-p1").size());
        AuditLog.Page denied = f.audit.query(f.login("acme-admin"),
                new AuditLog.Query("acme-p1", "vic", null, AuditLog.Outcome.DENIED, null, null, 0, 10));
        assertEquals(1, denied.total());
        assertEquals("members_manage", denied.events().get(0).action());
    }

    @Test
    void badInputIsRefusedWithTheField() {
        Caller admin = f.admin();
        TenancyException e = assertThrows(TenancyException.class, () -> f.tenancy.createOrganization(admin, "Bad Name", null));
        assertEquals(Reason.INVALID, e.reason());
        assertEquals("name", e.field());
        assertEquals("password", assertThrows(TenancyException.class,
                () -> f.tenancy.createUser(admin, "acme", "short", null, "short".toCharArray())).field());
        assertEquals(Reason.CONFLICT, assertThrows(TenancyException.class,
                () -> f.tenancy.createOrganization(admin, "acme", null)).reason());
        assertEquals(Reason.INVALID, assertThrows(TenancyException.class, () -> f.tenancy.grantProjectRole(
                f.login("acme-admin"), "acme-p1", SubjectType.USER, "acme-admin", Role.ORG_ADMIN)).reason());
    }
}
