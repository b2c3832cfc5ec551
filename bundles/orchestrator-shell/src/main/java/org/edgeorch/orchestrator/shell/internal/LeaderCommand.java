package org.edgeorch.orchestrator.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.store.LeaderLeases;

@Service
@Command(scope = "edge", name = "leader", description = "Shows which orchestrator leads each singleton job"
        + " (release polling, liveness sweep, audit purge, rollout reconciling) and its fencing token")
public class LeaderCommand implements Action {

    @Reference
    LeaderLeases leases;

    @Override
    public Object execute() {
        System.out.printf("This instance: %s%n", leases.instanceId());
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Job", "Leader", "Host", "Token", "Since", "Expires", "Here"}) {
            t.column(c);
        }
        for (LeaderLeases.Lease l : leases.leases()) {
            t.addRow().addContent(l.job(), l.expired() ? "none (expired)" : l.holder(), l.holderHost(), l.token(),
                    l.acquiredAt(), l.expiresAt(), l.mine() && !l.expired() ? "yes" : "");
        }
        t.print(System.out);
        return null;
    }
}
