package org.edgeorch.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.edgeorch.tenancy.AuditLog.Outcome;
import org.edgeorch.tenancy.AuditLog.Page;
import org.edgeorch.tenancy.AuditLog.Query;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.Role;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

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
    void everyChangeIsRecordedWithWhoWhereAndOutcome() {
        Page page = f.audit.query(f.login("acme-admin"), new Query("acme-p1", null, "project.create", null, null, null, 0, 10));
        assertEquals(1, page.total());
        var e = page.events().get(0);
        assertEquals("acme-admin", e.actor());
        assertEquals("acme-p1", e.project());
        assertEquals(Outcome.SUCCESS, e.outcome());
        assertEquals("127.0.0.1", e.sourceAddress());
    }

    @Test
    void callersReadOnlyTheirOwnTenantsEvents() {
        Page acme = f.audit.query(f.login("acme-admin"), new Query(null, null, null, null, null, null, 0, 500));
        assertTrue(acme.events().stream().noneMatch(e -> "globex-p1".equals(e.project()) || e.actor().startsWith("globex")),
                acme.events().toString());
        Page none = f.audit.query(f.login("acme-admin"), new Query("globex-p1", null, null, null, null, null, 0, 500));
        assertEquals(0, none.total());
        Caller viewer = f.member("acme", "acme-p1", "viewer", Role.VIEWER);
        assertEquals(0, f.audit.query(viewer, new Query("acme-p1", null, null, null, null, null, 0, 10)).total(),
                "viewers have no AUDIT_READ");
    }

    @Test
    void pagesAreStableAndBounded() {
        Caller admin = f.login("acme-admin");
        for (int i = 0; i < 7; i++) {
            f.tenancy.createUser(admin, "acme", "user" + i, null, ("user" + i + "-password").toCharArray());
            f.clock.advance(Duration.ofSeconds(1));
        }
        Query first = new Query(null, "acme-admin", "user.create", null, null, null, 0, 3);
        Page p1 = f.audit.query(admin, first);
        Page p3 = f.audit.query(admin, new Query(null, "acme-admin", "user.create", null, null, null, 6, 3));
        assertEquals(7, p1.total());
        assertEquals("user6", p1.events().get(0).objectId());
        assertEquals(1, p3.events().size());
        assertEquals("user0", p3.events().get(0).objectId());
        assertEquals("limit", assertThrows(TenancyException.class,
                () -> f.audit.query(admin, new Query(null, null, null, null, null, null, 0, 501))).field());
    }

    @Test
    void retentionPurgesOldEvents() {
        Caller admin = f.login("acme-admin");
        long before = f.audit.query(admin, new Query(null, null, null, null, null, null, 0, 500)).total();
        assertTrue(before > 0);
        f.clock.advance(Duration.ofDays(31));
        assertTrue(f.audit.purge() >= before);
        assertEquals(0, f.audit.query(admin, new Query(null, null, null, null, null, null, 0, 500)).total());
    }
}
