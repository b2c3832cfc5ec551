package org.edgeorch.agent;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The node's running agent, for the shell and the update agent. */
@ProviderType
public interface AgentService {

    /** Empty when the agent is not configured (no {@code orchestratorUrl}). */
    Optional<Agent.Status> status();

    /** Queues a report for the orchestrator; dropped with a warning when the agent is not configured. */
    void report(String kind, String detail);
}
