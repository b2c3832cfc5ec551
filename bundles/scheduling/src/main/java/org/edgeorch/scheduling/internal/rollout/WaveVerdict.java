package org.edgeorch.scheduling.internal.rollout;

/**
 * What a running wave's counts say, evaluated in this order:
 * <ol>
 * <li>the failure threshold: once at least {@code failureMinFinished} hosts finished (failures an operator accepted
 * by resuming left out of both counts), more than {@code failurePercent} % of them failed: {@link #FAILURE_THRESHOLD};</li>
 * <li>a host is still pending: {@link #WAIT};</li>
 * <li>at least {@code successPercent} % of the wave's hosts succeeded: {@link #SUCCEEDED};</li>
 * <li>otherwise {@link #TOO_FEW_SUCCEEDED}.</li>
 * </ol>
 */
enum WaveVerdict {
    WAIT, FAILURE_THRESHOLD, SUCCEEDED, TOO_FEW_SUCCEEDED;

    record Thresholds(int successPercent, int failurePercent, int failureMinFinished) {
    }

    static WaveVerdict of(int hosts, int succeeded, int failed, int failuresAccepted, Thresholds t) {
        if (failureThresholdCrossed(succeeded, failed, failuresAccepted, t)) {
            return FAILURE_THRESHOLD;
        }
        if (succeeded + failed < hosts) {
            return WAIT;
        }
        return succeeded * 100L >= (long) t.successPercent() * hosts ? SUCCEEDED : TOO_FEW_SUCCEEDED;
    }

    static boolean failureThresholdCrossed(int succeeded, int failed, int failuresAccepted, Thresholds t) {
        int newFailed = failed - failuresAccepted;
        int finished = succeeded + newFailed;
        return newFailed > 0 && finished >= t.failureMinFinished() && newFailed * 100L > (long) t.failurePercent() * finished;
    }

    /** Why the wave failed, for the rollout's state reason. */
    static String explain(WaveVerdict verdict, int wave, int hosts, int succeeded, int failed, int failuresAccepted,
                          Thresholds t) {
        return switch (verdict) {
            case FAILURE_THRESHOLD -> {
                int newFailed = failed - failuresAccepted;
                int finished = succeeded + newFailed;
                yield "wave " + wave + ": " + newFailed + " of " + finished + " finished host(s) failed"
                        + (failuresAccepted > 0 ? " since resuming" : "") + " (" + newFailed * 100 / finished
                        + "%), more than the failure threshold of " + t.failurePercent() + "%";
            }
            case TOO_FEW_SUCCEEDED -> "wave " + wave + ": " + succeeded + " of " + hosts + " host(s) succeeded ("
                    + (hosts == 0 ? 100 : succeeded * 100 / hosts) + "%), fewer than the success threshold of "
                    + t.successPercent() + "%";
            default -> "wave " + wave + " " + verdict;
        };
    }
}
