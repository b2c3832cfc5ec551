package org.edgeorch.scheduling.internal.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.edgeorch.scheduling.internal.rollout.SyncHints.WaveRow;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.WaveState;
import org.junit.jupiter.api.Test;

/** Which waves' hosts are asked to sync sooner, and how soon. */
class SyncHintsTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    final SyncHints hints = new SyncHints(2, 1000, 250, Duration.ofMinutes(10), Duration.ofSeconds(60));

    static List<WaveRow> waves(WaveState first, Instant soakUntil, int... sizes) {
        List<WaveRow> rows = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            rows.add(new WaveRow(i + 1, sizes[i], i == 0 ? first : WaveState.PENDING, i == 0 ? soakUntil : null));
        }
        return rows;
    }

    List<Integer> byWave(RolloutState state, Instant created, int current, List<WaveRow> waves) {
        List<Integer> out = new ArrayList<>();
        for (WaveRow w : waves) {
            out.add(hints.hint(state, created, current, waves, w.number(), NOW));
        }
        return out;
    }

    @Test
    void aSmallRolloutHintsEveryWaveFromItsCreationOn() {
        List<WaveRow> w = waves(WaveState.PENDING, null, 5, 20, 25);
        assertEquals(List.of(2, 2, 2), byWave(RolloutState.READY, NOW.minusSeconds(5), 1, w));
        assertEquals(List.of(2, 2, 2), byWave(RolloutState.RUNNING, NOW.minusSeconds(5), 1, w));
        assertEquals(List.of(0, 0, 0), byWave(RolloutState.READY, NOW.minus(Duration.ofMinutes(10)), 1, w),
                "READY for rolloutReadySyncMinutes: no longer imminent");
    }

    @Test
    void largeWavesAreHintedTwoAheadAndStretchedToTheRate() {
        // 10,000 hosts in 4 waves of 2,500: waves 1 and 2 (beyond 1,000 hosts but always two), not 3 and 4;
        // wave 1 every 10 s (2,500 / 250), wave 2 every 20 s (5,000 / 250).
        List<WaveRow> w = waves(WaveState.RUNNING, null, 2500, 2500, 2500, 2500);
        assertEquals(List.of(10, 20, 0, 0), byWave(RolloutState.RUNNING, NOW.minusSeconds(60), 1, w));
        // 100-host waves: the first two, then more while within 1,000 hosts: waves 1–10 of 12.
        List<WaveRow> small = waves(WaveState.RUNNING, null, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
        assertEquals(List.of(2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 0, 0), byWave(RolloutState.RUNNING, NOW, 1, small));
    }

    @Test
    void aSoakingWaveAsksNothingAndTheNextIsImminentOnlyNearItsEnd() {
        List<WaveRow> soaking = waves(WaveState.SOAKING, NOW.plusSeconds(600), 5, 20, 25);
        assertEquals(List.of(0, 0, 0), byWave(RolloutState.RUNNING, NOW, 1, soaking));
        List<WaveRow> ending = waves(WaveState.SOAKING, NOW.plusSeconds(60), 5, 20, 25);
        assertEquals(List.of(0, 2, 2), byWave(RolloutState.RUNNING, NOW, 1, ending));
    }

    @Test
    void laterWavesAndOtherStatesAskNothing() {
        List<WaveRow> w = new ArrayList<>(List.of(new WaveRow(1, 5, WaveState.SUCCEEDED, null),
                new WaveRow(2, 20, WaveState.RUNNING, null), new WaveRow(3, 25, WaveState.PENDING, null)));
        assertEquals(List.of(0, 2, 2), byWave(RolloutState.RUNNING, NOW, 2, w));
        for (RolloutState s : List.of(RolloutState.PAUSED, RolloutState.FINISHED, RolloutState.ABORTED, RolloutState.CREATING)) {
            assertEquals(List.of(0, 0, 0), byWave(s, NOW, 2, w), s.name());
        }
        w.set(1, new WaveRow(2, 20, WaveState.FAILED, null));
        assertEquals(List.of(0, 0, 0), byWave(RolloutState.RUNNING, NOW, 2, w), "a failed wave: nothing starts");
        SyncHints off = new SyncHints(0, 1000, 250, Duration.ofMinutes(10), Duration.ofSeconds(60));
        assertEquals(0, off.hint(RolloutState.RUNNING, NOW, 2, w, 3, NOW));
        assertThrows(IllegalArgumentException.class, () -> new SyncHints(-1, 1, 1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new SyncHints(2, 0, 1, Duration.ZERO, Duration.ZERO));
    }
}
