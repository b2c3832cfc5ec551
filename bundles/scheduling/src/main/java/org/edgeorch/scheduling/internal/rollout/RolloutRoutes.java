package org.edgeorch.scheduling.internal.rollout;

import java.util.function.BooleanSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.edgeorch.store.Database;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.store.LeaseLostException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rollout-reconcile} timer route, joined to the orchestrator's CamelContext by whiteboard: every
 * {@code reconcileSeconds} it runs {@link Reconciler#reconcile()}, which reads everything it needs from the database.
 * Every orchestrator runs the timer, and only the holder of the {@value #ROUTE_ID} lease reconciles, each transaction
 * fenced by the lease's token (a leader paused past its lease writes nothing once another took over); the reconciler's
 * conditional updates make a restarted orchestrator, or the next leader, carry on where the last pass stopped. One pass at a time per orchestrator (the timer waits
 * for the last to end).
 */
@Component(service = RoutesBuilder.class, configurationPid = RolloutConfig.PID)
@Designate(ocd = RolloutConfig.class)
public class RolloutRoutes extends RouteBuilder {

    static final String ROUTE_ID = "rollout-reconcile";
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRoutes.class);

    private final Reconciler reconciler;
    private final int intervalSeconds;
    private final BooleanSupplier leader;
    private final Database fenced;

    @Activate
    public RolloutRoutes(@Reference Reconciler reconciler, @Reference LeaderLeases leases, RolloutConfig config) {
        this(reconciler, config.reconcileSeconds(), () -> leases.isLeader(ROUTE_ID), leases.fenced(ROUTE_ID));
    }

    /** Unfenced: the reconciler's own database. */
    RolloutRoutes(Reconciler reconciler, int intervalSeconds, BooleanSupplier leader) {
        this(reconciler, intervalSeconds, leader, null);
    }

    /**
     * @param leader whether this orchestrator leads reconciling now (the lease named {@value #ROUTE_ID})
     * @param fenced the database as that lease's holder sees it (each transaction checks the fencing token); null
     *               for the reconciler's own
     */
    RolloutRoutes(Reconciler reconciler, int intervalSeconds, BooleanSupplier leader, Database fenced) {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("reconcileSeconds must be 1 or more, was " + intervalSeconds);
        }
        this.reconciler = reconciler;
        this.intervalSeconds = intervalSeconds;
        this.leader = leader;
        this.fenced = fenced;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .process(e -> LOG.warn("Rollout reconciliation failed; the next pass retries: {}",
                        e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).toString()));

        from("timer:" + ROUTE_ID + "?delay=1000&period=" + intervalSeconds * 1000L).routeId(ROUTE_ID)
                .filter(e -> leader.getAsBoolean())
                .process(e -> {
                    Reconciler.Pass pass;
                    try {
                        pass = fenced == null ? reconciler.reconcile() : reconciler.reconcile(fenced);
                    } catch (LeaseLostException lost) {
                        LOG.info("Stopped reconciling mid-pass: {}", lost.getMessage());
                        return;
                    }
                    if (pass.deadlinesSet() + pass.timedOut() + pass.rolloutsAdvanced() > 0) {
                        LOG.debug("Rollout reconciliation: {}", pass);
                    }
                    e.getIn().setBody(pass);
                });
    }
}
