package org.edgeorch.plugin.grub.internal;

import java.io.IOException;
import java.nio.file.Files;
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
 * A/B boot selection in the GRUB environment block with RAUC's variables, acted on at boot by
 * {@code grub/edgeorch-ab.cfg}: ORDER lists the slots by preference; GRUB boots the first slot X with
 * {@code X_OK=1} and {@code X_TRY=0} and sets {@code X_TRY=1}; a healthy boot resets {@code X_TRY=0}.
 * Every change is one atomic {@link GrubEnvironment#update}.
 */
public final class GrubAbBootloader implements AbBootloader {

    static final String ORDER = "ORDER";
    /** Every variable the boot selection reads or writes; the shipped grub.cfg fragment uses the same. */
    static final List<String> VARIABLES = List.of(ORDER, ok(Slot.A), tryFlag(Slot.A), ok(Slot.B), tryFlag(Slot.B));
    /** What the grub.cfg fragment assumes when the block lacks a variable. */
    static final Map<String, String> DEFAULTS = Map.of(ORDER, "A B", ok(Slot.A), "0", tryFlag(Slot.A), "0",
            ok(Slot.B), "0", tryFlag(Slot.B), "0");

    /** The environment an image build writes (grub/edgeorch-ab.cfg): slot A installed and good, slot B empty. */
    static final Map<String, String> FIRST_ENVIRONMENT = orderedMap(ORDER, "A B", ok(Slot.A), "1", tryFlag(Slot.A), "0",
            ok(Slot.B), "0", tryFlag(Slot.B), "0");

    private final Path grubenv;
    private final Path cmdline;
    private final GrubEnvironment.BeforeRename beforeRename;

    /**
     * @param grubenv the GRUB environment block, e.g. {@code /boot/grub/grubenv}
     * @param cmdline the kernel command line, {@code /proc/cmdline} on a host
     */
    public GrubAbBootloader(Path grubenv, Path cmdline) {
        this(grubenv, cmdline, tmp -> { });
    }

    GrubAbBootloader(Path grubenv, Path cmdline, GrubEnvironment.BeforeRename beforeRename) {
        this.grubenv = grubenv;
        this.cmdline = cmdline;
        this.beforeRename = beforeRename;
    }

    static String ok(Slot slot) {
        return slot + "_OK";
    }

    static String tryFlag(Slot slot) {
        return slot + "_TRY";
    }

    @Override
    public Slot booted() throws PluginException {
        return KernelCommandLine.bootedSlot(cmdline);
    }

    @Override
    public synchronized Slot primary() throws PluginException {
        Map<String, String> vars = read();
        return choose(vars).orElseThrow(() -> new PluginException("no slot is bootable in " + grubenv + ": " + vars));
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
        // The running slot is proven by running: it becomes the fallback with its try restored.
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(ORDER, slot + " " + running);
        changes.put(ok(slot), "1");
        changes.put(tryFlag(slot), "0");
        changes.put(ok(running), "1");
        changes.put(tryFlag(running), "0");
        write(changes);
    }

    @Override
    public synchronized void commit(Slot slot) throws PluginException {
        Slot running = booted();
        if (slot != running) {
            throw new PluginException("cannot commit slot " + slot + ": slot " + running + " is running, and only a booted slot can be committed");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(ORDER, slot + " " + slot.other());
        changes.put(ok(slot), "1");
        changes.put(tryFlag(slot), "0");
        write(changes);
    }

    @Override
    public synchronized void markBad(Slot slot) throws PluginException {
        Map<String, String> vars = read();
        if (!state(vars, slot.other()).bootable()) {
            throw new PluginException("cannot mark slot " + slot + " bad: slot " + slot.other() + " is not bootable either "
                    + state(vars, slot.other()) + ", so no slot would be left to boot");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(ORDER, slot.other() + " " + slot);
        changes.put(ok(slot), "0");
        write(changes);
    }

    /** GRUB's choice for these variables: the first slot in ORDER with X_OK=1 and X_TRY=0. */
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
        // grub.cfg compares with the strings "1" and "0": anything else is neither good nor untried.
        boolean good = "1".equals(value(vars, ok(slot)));
        boolean untried = "0".equals(value(vars, tryFlag(slot)));
        return new SlotState(good, good && untried ? 1 : 0);
    }

    static String value(Map<String, String> vars, String name) {
        return vars.getOrDefault(name, DEFAULTS.get(name));
    }

    /**
     * Writes {@link #FIRST_ENVIRONMENT} when the block does not exist; with {@code makeDirectory} (the boot emulator
     * in a folder) its directory too. A real {@code /boot/grub} that is missing is a wrong path, not made here.
     *
     * @return whether the block was created
     */
    static boolean createIfAbsent(Path grubenv, boolean makeDirectory) throws PluginException {
        if (Files.exists(grubenv)) {
            return false;
        }
        try {
            Path dir = grubenv.toAbsolutePath().getParent();
            if (makeDirectory) {
                Files.createDirectories(dir);
            } else if (!Files.isDirectory(dir)) {
                throw new PluginException("the GRUB environment block " + grubenv + " does not exist, nor its directory " + dir
                        + ": check grubenv in etc/org.edgeorch.plugin.grub.cfg");
            }
            GrubEnvironment.write(grubenv, FIRST_ENVIRONMENT, tmp -> { });
            return true;
        } catch (IOException e) {
            throw new PluginException("cannot create the GRUB environment block " + grubenv + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    Map<String, String> read() throws PluginException {
        try {
            return Files.exists(grubenv) ? GrubEnvironment.read(grubenv) : Map.of();
        } catch (IOException e) {
            throw new PluginException("cannot read the GRUB environment " + grubenv + ": " + e.getMessage(), e);
        }
    }

    private void write(Map<String, String> changes) throws PluginException {
        try {
            GrubEnvironment.update(grubenv, changes, beforeRename);
        } catch (IOException e) {
            throw new PluginException("cannot write the GRUB environment " + grubenv + ": " + e.getMessage(), e);
        }
    }
}
