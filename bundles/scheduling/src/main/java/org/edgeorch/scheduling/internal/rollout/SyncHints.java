package org.edgeorch.scheduling.internal.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;

/**
 * Which hosts of a rollout are asked to sync sooner than their interval, and how soon: the hosts of every wave that
 * is running or imminent. Pure: computed at each sync of a host a rollout holds from what the database says of the
 * rollout and its waves, so it is level-triggered (no message to lose; a host that misses a hint syncs at its
 * interval and gets it then) and the same on every orchestrator.
 *
 * <ul>
 * <li>A READY rollout created less than {@code readyWindow} ago: its first waves are imminent (an operator creates a
 * rollout, then starts it), so its hosts sync often enough to learn of the start within seconds. A rollout left
 * READY longer lets its hosts go back to their interval.</li>
 * <li>A RUNNING rollout: from its current wave on (PENDING or RUNNING: its hosts get their runs now). A current wave
 * SOAKING is over for its hosts; the waves after it are imminent only once the soak ends within
 * {@code soakLead}.</li>
 * <li>Those imminent waves, in order: at least two, then more while their hosts add up to no more than
 * {@code maxHosts}. A wave that ends in seconds makes the one after the next imminent too, so hinting one wave
 * ahead only is not enough (wave 3 would wait for its hosts' next sync).</li>
 * <li>How soon: {@code seconds}, stretched for large waves so that hinted hosts add about {@code rate} syncs per
 * second: a host of the i-th hinted wave is told {@code max(seconds, ceil(hosts of the hinted waves up to i / rate))}
 * — the nearer the wave, the sooner.</li>
 * <li>PAUSED, FINISHED, ABORTED rollouts, and waves beyond the imminent ones: no hint.</li>
 * </ul>
 */
final class SyncHints {

    /** One wave as the rollout_wave row says. */
    record WaveRow(int number, int hosts, WaveState state, Instant soakUntil) {
    }

    private final int seconds;
    private final int maxHosts;
    private final int rate;
    private final Duration readyWindow;
    private final Duration soakLead;

    /**
     * @param seconds     the shortest hint (rolloutSyncSeconds); 0 turns hints off
     * @param maxHosts    waves beyond the first two are hinted while the hinted hosts stay within this
     * @param rate        the hinted syncs per second aimed at
     * @param readyWindow how long after its creation a READY rollout's first waves count as imminent
     * @param soakLead    how long before a soak ends the waves after it count as imminent
     */
    SyncHints(int seconds, int maxHosts, int rate, Duration readyWindow, Duration soakLead) {
        if (seconds < 0 || maxHosts < 1 || rate < 1 || readyWindow.isNegative() || soakLead.isNegative()) {
            throw new IllegalArgumentException("rolloutSyncSeconds must be 0 (off) or more, rolloutSyncHosts and"
                    + " rolloutSyncRate 1 or more, rolloutReadySyncMinutes and rolloutSoakLeadSeconds 0 or more");
        }
        this.seconds = seconds;
        this.maxHosts = maxHosts;
        this.rate = rate;
        this.readyWindow = readyWindow;
        this.soakLead = soakLead;
    }

    boolean enabled() {
        return seconds > 0;
    }

    /**
     * The next-sync hint in seconds for a host in wave {@code hostWave} of a rollout; 0 for none.
     *
     * @param waves the rollout's waves by number
     */
    int hint(RolloutState state, Instant createdAt, int currentWave, List<WaveRow> waves, int hostWave, Instant now) {
        if (seconds == 0) {
            return 0;
        }
        int first;
        if (state == RolloutState.READY) {
            if (!now.isBefore(createdAt.plus(readyWindow))) {
                return 0;
            }
            first = 1;
        } else if (state == RolloutState.RUNNING) {
            first = currentWave;
            WaveRow current = wave(waves, currentWave);
            if (current != null && current.state() == WaveState.SOAKING) {
                if (current.soakUntil() != null && current.soakUntil().isAfter(now.plus(soakLead))) {
                    return 0;
                }
                first = currentWave + 1;
            }
        } else {
            return 0;
        }
        if (hostWave < first) {
            return 0;
        }
        long hinted = 0;
        int counted = 0;
        for (WaveRow w : waves) {
            if (w.number() < first) {
                continue;
            }
            if (w.state() != WaveState.PENDING && w.state() != WaveState.RUNNING) {
                // a wave over (or failed: the rollout then pauses) asks nothing and ends the look ahead
                return 0;
            }
            if (counted >= 2 && hinted + w.hosts() > maxHosts) {
                return 0;
            }
            hinted += w.hosts();
            counted++;
            if (w.number() == hostWave) {
                return (int) Math.max(seconds, (hinted + rate - 1) / rate);
            }
        }
        return 0;
    }

    private static WaveRow wave(List<WaveRow> waves, int number) {
        for (WaveRow w : waves) {
            if (w.number() == number) {
                return w;
            }
        }
        return null;
    }
}
