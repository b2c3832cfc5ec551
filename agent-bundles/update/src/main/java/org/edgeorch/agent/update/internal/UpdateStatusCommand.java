package org.edgeorch.agent.update.internal;

import java.io.PrintStream;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.agent.update.AbUpdater;
import org.edgeorch.agent.update.UpdateAgent;
import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.ab.SlotState;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.shell.OptionsAnywhere;
import org.edgeorch.shell.EdgeCommand;

@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "update-status", description = "Shows the A/B slots, the boot state and the OS update under way with its progress")
public class UpdateStatusCommand extends EdgeCommand {

    @Reference(optional = true)
    UpdateAgent agent;

    @Option(name = "--watch", description = "Redraw every this many seconds until the run is over or Ctrl-C")
    int watch;

    @Override
    protected void run() throws InterruptedException {
        if (agent == null) {
            System.out.println("No update agent: this node has no A/B OS plugin configured"
                    + " (etc/org.edgeorch.plugin.grub.cfg or etc/org.edgeorch.plugin.uboot.cfg)");
            return;
        }
        AbUpdater.View view = agent.view();
        print(view, System.out);
        while (watch > 0 && view.step() != null && view.step() != org.edgeorch.agent.update.Step.DONE) {
            Thread.sleep(watch * 1000L);
            view = agent.view();
            System.out.println();
            print(view, System.out);
        }
    }

    static void print(AbUpdater.View v, PrintStream out) {
        out.printf("%-5s %-16s %-22s %s%n", "Slot", "OS version", "Bootloader", "");
        for (Slot s : Slot.values()) {
            SlotState st = v.states().get(s);
            String state = st == null ? "?" : (st.good() ? "good" : "bad") + ", " + st.triesLeft() + (st.triesLeft() == 1 ? " try" : " tries");
            String marks = (s == v.booted() ? "booted " : "") + (s == v.primary() ? "next boot" : "");
            out.printf("%-5s %-16s %-22s %s%n", s, v.versions().getOrDefault(s, "-"), state, marks.strip());
        }
        if (v.bootError() != null) {
            out.println("Bootloader  " + v.bootError());
        }
        if (v.step() == null) {
            out.println("Update      none yet");
            return;
        }
        out.printf("Update      %s to %s (slot %s)%n", v.step(), v.version(), v.target());
        if (v.step() == org.edgeorch.agent.update.Step.WRITING && v.size() > 0) {
            out.printf("Progress    %s %3d%%  %d of %d MiB%n", bar(v.streamed(), v.size()), v.streamed() * 100 / v.size(),
                    v.streamed() >> 20, v.size() >> 20);
        }
        UpdateReport r = v.report();
        if (r != null) {
            out.printf("Reported    %s%s %d%% at %s%n", r.status(), r.failure() == null ? "" : " (" + r.failure() + ")",
                    r.progress(), Instant.ofEpochMilli(r.at()));
            if (r.detail() != null) {
                out.printf("            %s%n", r.detail());
            }
        }
    }

    static String bar(long done, long total) {
        int width = 30;
        int filled = (int) Math.min(width, done * width / Math.max(1, total));
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }
}
