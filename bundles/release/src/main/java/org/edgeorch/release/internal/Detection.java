package org.edgeorch.release.internal;

import java.util.List;
import java.util.Optional;

import org.edgeorch.release.Releases.ReleaseEvent;

/** What the release routes drive: listing what the registry holds that was not seen, and checking one tag. */
interface Detection {

    /** Repositories under this prefix hold releases. */
    String repositoryPrefix();

    /** Tags under the prefix that detection has not finished with, found by paging through the registry. */
    List<Candidate> pollCandidates();

    /**
     * Verifies the candidate and records the outcome, unless it was seen already.
     *
     * @param force check it even when it was seen (an operator's explicit check)
     * @return the event recorded, or empty when it had been seen (or vanished from the registry)
     */
    Optional<ReleaseEvent> process(Candidate candidate, boolean force);
}
