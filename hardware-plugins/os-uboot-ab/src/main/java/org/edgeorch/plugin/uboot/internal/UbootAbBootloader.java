package org.edgeorch.plugin.uboot.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.AbBootloader;
import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.ab.SlotState;

/**
 * A/B boot selection in the U-Boot environment with RAUC's variables, acted on at boot by
 * {@code uboot/edgeorch-ab.cmd}: BOOT_ORDER lists the slots by preference; the script boots the first slot
 * X with {@code BOOT_X_LEFT > 0} and decrements it; a healthy boot restores it to {@value #DEFAULT_TRIES}.
 * Every change is one {@link UbootEnvironment#update}, which with a redundant environment goes to the copy
 * that is not current.
 */
public final class UbootAbBootloader implements AbBootloader {

    static final String ORDER = "BOOT_ORDER";
    static final int DEFAULT_TRIES = 3;
    /** Every variable the boot selection reads or writes; the shipped boot script uses the same. */
    static final List<String> VARIABLES = List.of(ORDER, left(Slot.A), left(Slot.B));
    /** What the boot script sets when the environment lacks a variable. */
    static final Map<String, String> DEFAULTS = Map.of(ORDER, "A B", left(Slot.A), hex(DEFAULT_TRIES),
            left(Slot.B), hex(DEFAULT_TRIES));

    private final UbootEnvironment env;
    private final Path cmdline;

    /**
     * @param env     the U-Boot environment, as in {@code /etc/fw_env.config}
     * @param cmdline the kernel command line, {@code /proc/cmdline} on a host
     */
    public UbootAbBootloader(UbootEnvironment env, Path cmdline) {
        this.env = env;
        this.cmdline = cmdline;
    }

    static String left(Slot slot) {
        return "BOOT_" + slot + "_LEFT";
    }

    /** U-Boot's {@code test} and {@code setexpr} read and write numbers in hexadecimal. */
    static String hex(int n) {
        return Integer.toHexString(n);
    }

    @Override
    public Slot booted() throws PluginException {
        return KernelCommandLine.bootedSlot(cmdline);
    }

    @Override
    public synchronized Slot primary() throws PluginException {
        Map<String, String> vars = read();
        return choose(vars).orElseThrow(() -> new PluginException("no slot is bootable in the U-Boot environment " + env.copies() + ": " + vars));
    }

    @Override
    public synchronized SlotState state(Slot slot) throws PluginException {
        return state(read(), slot);
    }

    @Override
    public synchronized void armTrial(Slot slot) throws PluginException {
        Slot running = booted();
        if (slot == running) {
            throw new PluginException("cannot arm a trial of slot " + slot + ": it is the running slot; arm the other one");
        }
        // The running slot is proven by running: it becomes the fallback with its tries restored.
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(ORDER, slot + " " + running);
        changes.put(left(slot), hex(1));
        changes.put(left(running), hex(DEFAULT_TRIES));
        write(changes);
    }

    @Override
    public synchronized void commit(Slot slot) throws PluginException {
        Slot running = booted();
        if (slot != running) {
            throw new PluginException("cannot commit slot " + slot + ": slot " + running + " is running, and only a booted slot can be committed");
        }
        write(Map.of(ORDER, slot + " " + slot.other(), left(slot), hex(DEFAULT_TRIES)));
    }

    @Override
    public synchronized void markBad(Slot slot) throws PluginException {
        Map<String, String> vars = read();
        if (!state(vars, slot.other()).bootable()) {
            throw new PluginException("cannot mark slot " + slot + " bad: slot " + slot.other() + " has no tries left either, "
                    + "so no slot would be left to boot");
        }
        write(Map.of(ORDER, slot.other() + " " + slot, left(slot), hex(0)));
    }

    /** The boot script's choice for these variables: the first slot in BOOT_ORDER with tries left. */
    static Optional<Slot> choose(Map<String, String> vars) {
        for (String name : value(vars, ORDER).trim().split("\\s+")) {
            for (Slot slot : Slot.values()) {
                if (slot.name().equals(name) && state(vars, slot).bootable()) {
                    return Optional.of(slot);
                }
            }
        }
        return Optional.empty();
    }

    static SlotState state(Map<String, String> vars, Slot slot) {
        int left = triesLeft(vars, slot);
        return new SlotState(left > 0, left);
    }

    static int triesLeft(Map<String, String> vars, Slot slot) {
        String value = value(vars, left(slot));
        try {
            return Math.max(0, Integer.parseInt(value.trim(), 16));
        } catch (NumberFormatException e) {
            // The script's "test 0x... -gt 0" is false for what is not a number: no tries.
            return 0;
        }
    }

    static String value(Map<String, String> vars, String name) {
        String value = vars.get(name);
        return value == null || value.isEmpty() ? DEFAULTS.get(name) : value;
    }

    Map<String, String> read() throws PluginException {
        try {
            return env.read();
        } catch (IOException e) {
            throw new PluginException("cannot read the U-Boot environment " + env.copies() + ": " + e.getMessage(), e);
        }
    }

    private void write(Map<String, String> changes) throws PluginException {
        try {
            env.update(changes);
        } catch (IOException e) {
            throw new PluginException("cannot write the U-Boot environment " + env.copies() + ": " + e.getMessage(), e);
        }
    }
}
