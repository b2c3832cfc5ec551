package org.edgeorch.tenancy;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Every change, who made it, where and with what outcome. */
@ProviderType
public interface AuditLog {

    enum Outcome { SUCCESS, DENIED, FAILED }

    record Event(long id, Instant at, String actor, String orgId, String projectId, String project, String action,
                 String objectType, String objectId, Outcome outcome, String sourceAddress, String detail) {
    }

    /**
     * A query; null fields do not filter.
     *
     * @param offset first row, from 0
     * @param limit  at most this many rows, 1..500
     */
    record Query(String project, String actor, String action, Outcome outcome, Instant from, Instant to,
                 int offset, int limit) {
    }

    record Page(List<Event> events, long total, int offset, int limit) {
    }

    /** Records an event; never throws (an audit failure is logged, the operation's own outcome stands). */
    void record(String actor, String orgId, String projectId, String action, String objectType, String objectId,
                Outcome outcome, String sourceAddress, String detail);

    /** Events the caller may read: its projects with AUDIT_READ, its organisations as org admin. */
    Page query(Caller caller, Query query);
}
