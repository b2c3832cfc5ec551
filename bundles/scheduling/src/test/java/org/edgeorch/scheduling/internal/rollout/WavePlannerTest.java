package org.edgeorch.scheduling.internal.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.edgeorch.scheduling.internal.rollout.WavePlanner.HostRef;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.junit.jupiter.api.Test;

class WavePlannerTest {

    private static List<HostRef> hosts(int n) {
        List<HostRef> out = new ArrayList<>();
        for (int i = n; i >= 1; i--) {
            out.add(new HostRef("id" + i, String.format("h%03d", i), i % 3 == 0 ? "c" : i % 3 == 1 ? "a" : "b"));
        }
        return out;
    }

    private static List<Integer> sizes(List<List<HostRef>> plan) {
        return plan.stream().map(List::size).toList();
    }

    @Test
    void percentagesAreOfAllHostsRoundedUpAndTheLastWaveTakesTheRest() {
        assertEquals(List.of(1, 10, 25, 64), sizes(WavePlanner.plan(hosts(100), List.of(WaveSpec.ofPercent(1),
                WaveSpec.ofPercent(10), WaveSpec.ofPercent(25), WaveSpec.ofPercent(5)))));
        assertEquals(List.of(1, 1, 1), sizes(WavePlanner.plan(hosts(3), List.of(WaveSpec.ofPercent(10), WaveSpec.ofPercent(10),
                WaveSpec.rest()))));
    }

    @Test
    void wavesAfterTheHostsRanOutAreEmpty() {
        assertEquals(List.of(2, 1, 0), sizes(WavePlanner.plan(hosts(3), List.of(WaveSpec.ofCount(2), WaveSpec.ofCount(5),
                WaveSpec.rest()))));
    }

    @Test
    void everyHostIsInExactlyOneWaveInNameOrder() {
        List<List<HostRef>> plan = WavePlanner.plan(hosts(7), List.of(WaveSpec.ofCount(2), WaveSpec.ofCount(3).spread(),
                WaveSpec.rest()));
        assertEquals(List.of("h001", "h002"), plan.get(0).stream().map(HostRef::name).toList());
        // sites a, b, c in turn among h003..h007: c h003, a h004, b h005
        assertEquals(List.of("h004", "h005", "h003"), plan.get(1).stream().map(HostRef::name).toList());
        assertEquals(List.of("h006", "h007"), plan.get(2).stream().map(HostRef::name).toList());
    }
}
