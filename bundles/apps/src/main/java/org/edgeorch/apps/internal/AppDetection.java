package org.edgeorch.apps.internal;

import java.util.List;
import java.util.Optional;

import org.edgeorch.apps.internal.VersionIntake.Intake;

/** What the application routes drive: listing the tags not seen yet, and checking one. */
public interface AppDetection {

    /** Repositories under this prefix hold application versions. */
    String repositoryPrefix();

    /** Tags under the prefix detection has not finished with, found by paging through the registry. */
    List<AppCandidate> pollCandidates();

    /** Checks the candidate and records the outcome, unless it was seen already; empty when it was (or vanished). */
    Optional<Intake> process(AppCandidate candidate);
}
