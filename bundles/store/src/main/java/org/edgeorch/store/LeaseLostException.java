package org.edgeorch.store;

/**
 * A fenced unit of work ({@link LeaderLeases#fenced(String)}) was not run, or was rolled back, because this
 * orchestrator does not hold the job's lease with the token it took it with: another instance leads the job now.
 */
public class LeaseLostException extends DataAccessException {

    private static final long serialVersionUID = 1L;

    public LeaseLostException(String job) {
        super("this orchestrator no longer leads " + job, null);
    }
}
