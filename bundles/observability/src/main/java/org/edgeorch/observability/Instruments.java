package org.edgeorch.observability;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the adapters report what they serve, for the orchestrator's {@code /metrics}. Labels are bounded by the
 * callers' vocabularies (a call name, a method, a status class), never a host or a user.
 */
@ProviderType
public interface Instruments {

    /**
     * One southbound call answered.
     *
     * @param call   {@code enrol}, {@code renew}, {@code sync}, {@code image} or {@code other}
     * @param status the HTTP status answered
     * @param nanos  how long it took
     */
    void southboundCall(String call, int status, long nanos);
}
