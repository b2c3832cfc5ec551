package org.edgeorch.scheduling.internal.rollout;

import static org.edgeorch.scheduling.internal.rollout.RolloutFixture.PROFILE;
import static org.edgeorch.scheduling.internal.rollout.RolloutFixture.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.edgeorch.scheduling.rollout.Rollouts.HostSelection;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutSpec;
import org.edgeorch.scheduling.rollout.Rollouts.RolloutState;
import org.edgeorch.scheduling.rollout.Rollouts.WaveSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timer route in a real CamelContext advances a rollout with nobody calling the reconciler. */
class RolloutRoutesTest {

    @TempDir
    Path dir;

    @Test
    void theTimerRouteReconcilesUntilTheRolloutFinishes() throws Exception {
        RolloutFixture f = new RolloutFixture(dir);
        f.hosts(null, "1.0.0", "h1", "h2");
        f.rollouts.create(f.admin, PROJECT, new RolloutSpec("r", null, PROFILE, "2.0.0", HostSelection.of(List.of("h1", "h2")),
                List.of(WaveSpec.ofCount(1), WaveSpec.rest()), null));
        f.rollouts.start(f.admin, PROJECT, "r");

        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RolloutRoutes(f.rollouts, 1, () -> true));
        camel.start();
        try {
            assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus(RolloutRoutes.ROUTE_ID));
            f.succeed("h1");
            await(() -> f.desired("h2") != null);
            f.succeed("h2");
            await(() -> f.rollouts.rollout(f.admin, PROJECT, "r").state() == RolloutState.FINISHED);
        } finally {
            camel.stop();
        }
    }

    @Test
    void onlyTheLeaderReconciles() throws Exception {
        RolloutFixture f = new RolloutFixture(dir);
        f.hosts(null, "1.0.0", "h1", "h2");
        f.rollouts.create(f.admin, PROJECT, new RolloutSpec("r", null, PROFILE, "2.0.0", HostSelection.of(List.of("h1", "h2")),
                List.of(WaveSpec.ofCount(1), WaveSpec.rest()), null));
        f.rollouts.start(f.admin, PROJECT, "r");
        java.util.concurrent.atomic.AtomicBoolean leader = new java.util.concurrent.atomic.AtomicBoolean(false);

        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RolloutRoutes(f.rollouts, 1, leader::get));
        camel.start();
        try {
            f.succeed("h1");
            Thread.sleep(2500); // two and a half reconcile periods as a follower
            assertEquals(null, f.desired("h2"), "a follower advanced the rollout");
            leader.set(true);
            await(() -> f.desired("h2") != null);
        } finally {
            camel.stop();
        }
    }

    @Test
    void theIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RolloutRoutes(null, 0, () -> true));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached within 15 s");
            }
            Thread.sleep(100);
        }
    }
}
