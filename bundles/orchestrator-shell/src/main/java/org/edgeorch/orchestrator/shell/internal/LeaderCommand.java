package org.edgeorch.orchestrator.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.store.LeaderLeases;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;

@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "leader", description = "Shows which orchestrator leads each singleton job"
        + " (release polling, liveness sweep, audit purge, rollout reconciling) and its fencing token")
public class LeaderCommand extends EdgeCommand {

    @Reference
    LeaderLeases leases;

    @Override
    protected void run() {
        System.out.printf("This instance: %s%n", leases.instanceId());
        ShellTable t = table("Job", "Leader", "Host", "Token", "Since", "Expires", "Here");
        for (LeaderLeases.Lease l : leases.leases()) {
            t.addRow().addContent(l.job(), l.expired() ? "none (expired)" : l.holder(), l.holderHost(), l.token(),
                    l.acquiredAt(), l.expiresAt(), l.mine() && !l.expired() ? "yes" : "");
        }
        t.print(System.out);
    }
}
