package org.edgeorch.agent.update;

/** The update agent running in this node runtime, for {@code edge:update-status}. */
public interface UpdateAgent {

    /** The slots, the bootloader's view of them and the current step. */
    AbUpdater.View view();
}
