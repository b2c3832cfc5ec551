package org.edgeorch.spi.southbound;

/** How an agent says its host is doing. */
public enum AgentStatus {
    /** Working normally. */
    RUNNING,
    /** Something on the host failed; the detail says what. */
    ERROR
}
