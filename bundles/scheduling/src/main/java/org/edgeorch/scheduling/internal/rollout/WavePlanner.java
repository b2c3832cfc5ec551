package org.edgeorch.scheduling.internal.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;

/**
 * Assigns a rollout's hosts to its waves, once, at creation. Hosts are taken in name order; a wave that spreads
 * across sites takes one host of each site in turn (sites in name order, hosts without a site last) until it is
 * full. A wave sized by percent takes that share of all the rollout's hosts, rounded up; the last wave takes the
 * rest, so waves after the hosts ran out are empty.
 */
final class WavePlanner {

    /** A host as the planner sees it. */
    record HostRef(String id, String name, String site) {
    }

    private static final String NO_SITE = "\uffff";

    private WavePlanner() {
    }

    static List<List<HostRef>> plan(List<HostRef> hosts, List<WaveSpec> waves) {
        List<HostRef> remaining = new ArrayList<>(hosts);
        remaining.sort(Comparator.comparing(HostRef::name));
        int total = remaining.size();
        List<List<HostRef>> out = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            WaveSpec spec = waves.get(i);
            int size = i == waves.size() - 1 ? remaining.size() : Math.min(remaining.size(), size(spec, total));
            List<HostRef> wave = Boolean.TRUE.equals(spec.spreadAcrossSites())
                    ? roundRobinBySite(remaining, size) : new ArrayList<>(remaining.subList(0, size));
            remaining.removeAll(new LinkedHashSet<>(wave));
            out.add(wave);
        }
        return out;
    }

    /** The wave's size before the hosts run out; the last wave's is ignored (it takes the rest). */
    static int size(WaveSpec spec, int total) {
        if (spec.count() != null) {
            return spec.count();
        }
        if (spec.percent() != null) {
            return (int) ((spec.percent() * (long) total + 99) / 100);
        }
        return total;
    }

    private static List<HostRef> roundRobinBySite(List<HostRef> remaining, int size) {
        Map<String, List<HostRef>> bySite = new TreeMap<>();
        for (HostRef h : remaining) {
            bySite.computeIfAbsent(h.site() == null ? NO_SITE : h.site(), k -> new ArrayList<>()).add(h);
        }
        List<HostRef> wave = new ArrayList<>(size);
        int round = 0;
        while (wave.size() < size) {
            for (List<HostRef> site : bySite.values()) {
                if (round < site.size() && wave.size() < size) {
                    wave.add(site.get(round));
                }
            }
            round++;
        }
        return wave;
    }
}
