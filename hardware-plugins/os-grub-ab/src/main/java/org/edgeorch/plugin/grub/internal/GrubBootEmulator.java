package org.edgeorch.plugin.grub.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.Rebooter;
import org.edgeorch.spi.ab.Slot;

/**
 * Reboots without a machine: does to the real GRUB environment block what {@code grub/edgeorch-ab.cfg}
 * does at boot, records the chosen slot as the kernel command line {@link GrubAbBootloader#booted()} reads,
 * then runs the restart action (in the node runtime, restarting it into the chosen slot). A slot can be
 * made to crash on boot: the emulator then boots again, and the rules pick the fallback.
 */
public final class GrubBootEmulator implements Rebooter {

    /** Every boot spends a try, so this is never reached unless the environment is changed meanwhile. */
    private static final int MAX_BOOTS = 8;

    private final Path grubenv;
    private final Path cmdline;
    private final Runnable restart;
    private final Set<Slot> crashing = EnumSet.noneOf(Slot.class);
    private final List<Slot> lastBoots = new ArrayList<>();

    public GrubBootEmulator(Path grubenv, Path cmdline, Runnable restart) {
        this.grubenv = grubenv;
        this.cmdline = cmdline;
        this.restart = restart;
    }

    /** From now on, booting the slot crashes before the runtime starts (a bad image). */
    public synchronized void crashOnBoot(Slot slot) {
        crashing.add(slot);
    }

    /** Booting the slot works again. */
    public synchronized void bootsFine(Slot slot) {
        crashing.remove(slot);
    }

    /** The slots the last reboot tried, in order; the last one is running. */
    public synchronized List<Slot> lastBoots() {
        return List.copyOf(lastBoots);
    }

    @Override
    public synchronized void reboot() throws PluginException {
        powerOn();
        restart.run();
    }

    /**
     * What the firmware and bootloader do when the machine is switched on: choose a slot by the rules
     * (booting again while the chosen one crashes) and record it as the kernel command line. Does not restart
     * anything; the caller starts the runtime.
     *
     * @return the slot that runs
     */
    public synchronized Slot powerOn() throws PluginException {
        lastBoots.clear();
        Slot running = null;
        while (running == null) {
            if (lastBoots.size() == MAX_BOOTS) {
                throw new PluginException("gave up after " + MAX_BOOTS + " crashing boots: " + lastBoots);
            }
            Slot chosen = bootOnce();
            lastBoots.add(chosen);
            if (!crashing.contains(chosen)) {
                running = chosen;
            }
        }
        try {
            KernelCommandLine.record(cmdline, running);
        } catch (IOException e) {
            throw new PluginException("booted slot " + running + " but could not record it in " + cmdline + ": " + e.getMessage(), e);
        }
        return running;
    }

    /** One pass of the grub.cfg fragment: load_env, the loop over ORDER, save_env A_TRY B_TRY. */
    private Slot bootOnce() throws PluginException {
        Map<String, String> vars;
        try {
            vars = Files.exists(grubenv) ? GrubEnvironment.read(grubenv) : Map.of();
        } catch (IOException e) {
            throw new PluginException("GRUB could not load its environment " + grubenv + ": " + e.getMessage(), e);
        }
        Slot chosen = GrubAbBootloader.choose(vars).orElseThrow(() -> new PluginException(
                "no bootable slot: GRUB would stop at its menu (" + grubenv + ": " + vars + ")"));
        Map<String, String> saved = new LinkedHashMap<>();
        for (Slot slot : Slot.values()) {
            saved.put(GrubAbBootloader.tryFlag(slot), slot == chosen ? "1" : GrubAbBootloader.value(vars, GrubAbBootloader.tryFlag(slot)));
        }
        try {
            GrubEnvironment.update(grubenv, saved);
        } catch (IOException e) {
            throw new PluginException("GRUB could not save its environment " + grubenv + ": " + e.getMessage(), e);
        }
        return chosen;
    }
}
