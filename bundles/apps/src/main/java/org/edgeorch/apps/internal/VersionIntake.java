package org.edgeorch.apps.internal;

/**
 * Where detection hands the application versions it found in the release service: the same checks as an operator's
 * publication (manifest, signature against the release trust store, immutability), by the system, audited as
 * {@code app.version.detect} in the project, refusals as FAILED with the reason.
 */
public interface VersionIntake {

    /** What became of a version found in the registry. */
    record Intake(Outcome outcome, String detail) {
        enum Outcome {
            /** A version of the application now (or already, with the same manifest). */
            ACCEPTED,
            /** Refused for good: unsigned, tampered, untrusted, invalid, for another application, or a conflict. */
            REJECTED,
            /** Not an application version (an image or another artifact in the same repositories). */
            IGNORED
        }
    }

    /**
     * Checks and adds a version pushed as {@code <prefix><project>/<application>:<tag>}; the application is created
     * when the project has none of that name.
     *
     * @param manifest  the manifest layer, as signed
     * @param signature the detached CMS signature, base64
     * @param source    how it was found, for the audit detail (WEBHOOK, POLL)
     */
    Intake detected(String project, String application, String tag, String manifest, String signature, String source);

    /** Records the refusal of what was pushed as a version of {@code project}'s application before its manifest was read. */
    Intake rejected(String project, String application, String reason);
}
