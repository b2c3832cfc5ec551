package org.edgeorch.plugin.grub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.ab.SlotState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The A/B cycle on a real GRUB environment block, checked after every step with the real grub-editenv, and
 * rebooted by the emulator that applies the shipped grub.cfg fragment's rules.
 */
class GrubAbBootloaderTest {

    @TempDir
    Path dir;

    Path env;
    Path cmdline;
    AtomicInteger restarts = new AtomicInteger();
    GrubAbBootloader boot;
    GrubBootEmulator emulator;

    /** A host as the image build leaves it: slot A installed and good, B empty; booted into A. */
    @BeforeEach
    void factoryState() throws Exception {
        env = dir.resolve("grubenv");
        cmdline = dir.resolve("cmdline");
        grubEditenv("create");
        grubEditenv("set", "ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0");
        boot = new GrubAbBootloader(env, cmdline);
        emulator = new GrubBootEmulator(env, cmdline, restarts::incrementAndGet);
        emulator.reboot();
        assertEquals(Slot.A, boot.booted());
        assertEquals(List.of("ORDER=A B", "A_OK=1", "A_TRY=1", "B_OK=0", "B_TRY=0"), grubEditenv("list"),
                "GRUB spent A's try");
        boot.commit(Slot.A);
        assertEquals(List.of("ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0"), grubEditenv("list"));
    }

    @Test
    void aTrialThatBootsIsCommittedAndBecomesPrimary() throws Exception {
        boot.armTrial(Slot.B);
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=0"), grubEditenv("list"));
        assertEquals(Slot.B, boot.primary());
        assertEquals(new SlotState(true, 1), boot.state(Slot.B));

        emulator.reboot();
        assertEquals(List.of(Slot.B), emulator.lastBoots());
        assertEquals(Slot.B, boot.booted());
        assertEquals(2, restarts.get());
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=1"), grubEditenv("list"));
        assertEquals(new SlotState(true, 0), boot.state(Slot.B), "the one try is spent until B is committed");
        assertEquals(Slot.A, boot.primary(), "an uncommitted trial falls back on the next boot");

        boot.commit(Slot.B);
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=0"), grubEditenv("list"));
        assertEquals(Slot.B, boot.primary());
        emulator.reboot();
        assertEquals(Slot.B, boot.booted(), "B boots again after the commit");
    }

    @Test
    void aTrialThatCrashesFallsBackToTheOtherSlot() throws Exception {
        boot.armTrial(Slot.B);
        emulator.crashOnBoot(Slot.B);
        emulator.reboot();
        assertEquals(List.of(Slot.B, Slot.A), emulator.lastBoots(), "B was tried once, then GRUB fell back");
        assertEquals(Slot.A, boot.booted());
        assertEquals(new SlotState(true, 0), boot.state(Slot.B), "no tries left for B");
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=1", "B_OK=1", "B_TRY=1"), grubEditenv("list"));

        boot.commit(Slot.A);
        assertEquals(List.of("ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=1"), grubEditenv("list"));
        emulator.bootsFine(Slot.B);
        emulator.reboot();
        assertEquals(List.of(Slot.A), emulator.lastBoots(), "B is not tried again until it is armed anew");
    }

    @Test
    void aSlotMarkedBadIsNeverBooted() throws Exception {
        boot.armTrial(Slot.B);
        emulator.reboot();
        assertEquals(Slot.B, boot.booted());
        // The health check failed on B: do not wait for the fallback.
        boot.markBad(Slot.B);
        assertEquals(List.of("ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=1"), grubEditenv("list"));
        assertEquals(new SlotState(false, 0), boot.state(Slot.B));
        emulator.reboot();
        assertEquals(Slot.A, boot.booted());
        boot.commit(Slot.A);
        PluginException e = assertThrows(PluginException.class, () -> boot.markBad(Slot.A));
        assertTrue(e.getMessage().contains("no slot would be left"), e.getMessage());

        // Marked bad even though ORDER (set by hand) puts it first and its try is unspent.
        grubEditenv("set", "ORDER=B A", "B_TRY=0");
        emulator.reboot();
        assertEquals(Slot.A, boot.booted());
    }

    @Test
    void refusesWhatWouldBeWrong() throws Exception {
        PluginException running = assertThrows(PluginException.class, () -> boot.armTrial(Slot.A));
        assertTrue(running.getMessage().contains("running slot"), running.getMessage());
        PluginException notBooted = assertThrows(PluginException.class, () -> boot.commit(Slot.B));
        assertTrue(notBooted.getMessage().contains("only a booted slot"), notBooted.getMessage());
        assertEquals(List.of("ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0"), grubEditenv("list"), "nothing written");

        grubEditenv("set", "A_OK=0");
        assertThrows(PluginException.class, boot::primary);
        PluginException none = assertThrows(PluginException.class, emulator::reboot);
        assertTrue(none.getMessage().contains("no bootable slot"), none.getMessage());
        assertEquals(1, restarts.get(), "no restart without a slot to boot");
    }

    @Test
    void readsWhatGrubEditenvWrites() throws Exception {
        grubEditenv("set", "ORDER=B A", "B_OK=1", "B_TRY=0");
        assertEquals(Slot.B, boot.primary());
        assertEquals(new SlotState(true, 1), boot.state(Slot.B));
        grubEditenv("set", "B_TRY=1");
        assertEquals(Slot.A, boot.primary());
        grubEditenv("unset", "ORDER");
        assertEquals(Slot.A, boot.primary(), "without ORDER, grub.cfg's default \"A B\" applies");
    }

    @Test
    void aPowerLossBeforeTheRenameLeavesThePreviousSelection() throws Exception {
        List<String> before = grubEditenv("list");
        List<String> seenInTemporaryFile = new ArrayList<>();
        GrubAbBootloader dying = new GrubAbBootloader(env, cmdline, tmp -> {
            // The new block is complete and synced beside the file; the file itself is untouched.
            assertEquals(1024, Files.size(tmp));
            seenInTemporaryFile.addAll(run("grub-editenv", tmp.toString(), "list"));
            assertEquals(before, grubEditenv("list"));
            throw new IOException("power lost");
        });
        assertThrows(PluginException.class, () -> dying.armTrial(Slot.B));
        assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_OK=1", "B_TRY=0"), seenInTemporaryFile);
        assertEquals(before, grubEditenv("list"));
        assertEquals(Slot.A, boot.primary());
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("grubenv", "cmdline"), files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        emulator.reboot();
        assertEquals(Slot.A, boot.booted());
    }

    @Test
    void theGrubCfgFragmentIsValidAndUsesTheSameVariables() throws Exception {
        String cfg;
        try (InputStream in = getClass().getResourceAsStream("/grub/edgeorch-ab.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path copy = dir.resolve("edgeorch-ab.cfg");
        Files.writeString(copy, cfg);
        run("grub-script-check", copy.toString());

        String code = cfg.lines().map(l -> l.replaceFirst("#.*", "")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(Set.copyOf(GrubAbBootloader.VARIABLES), Set.copyOf(words(code, "load_env")), "load_env loads what the code writes");
        assertEquals(Set.of("A_TRY", "B_TRY"), Set.copyOf(words(code, "save_env")), "GRUB saves only the tries");
        Set<String> referenced = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{?([A-Z_]+)").matcher(code);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        referenced.removeAll(Set.of("SLOT", "FOUND", "CMDLINE"));
        assertEquals(new TreeSet<>(GrubAbBootloader.VARIABLES), referenced);
        for (String name : GrubAbBootloader.VARIABLES) {
            assertTrue(code.contains("set " + name + "=\"" + GrubAbBootloader.DEFAULTS.get(name) + "\"")
                    || code.contains("set " + name + "=" + GrubAbBootloader.DEFAULTS.get(name) + "\n"),
                    "grub.cfg defaults " + name + " as the code does: " + GrubAbBootloader.DEFAULTS.get(name));
        }
        for (Slot slot : Slot.values()) {
            assertTrue(code.contains("\"$SLOT\" = \"" + slot + "\" -a \"$" + slot + "_OK\" = 1 -a \"$" + slot + "_TRY\" = 0"),
                    "slot " + slot + " is chosen when OK=1 and TRY=0");
            assertTrue(code.contains("set " + slot + "_TRY=1"), "choosing " + slot + " spends its try");
            assertTrue(code.contains(KernelCommandLine.SLOT_ARGUMENT + slot + "\n"), "the " + slot + " entry passes rauc.slot=" + slot);
        }
    }

    private static List<String> words(String code, String command) {
        Matcher m = Pattern.compile("^\\s*" + command + "\\s+(.*)$", Pattern.MULTILINE).matcher(code);
        assertTrue(m.find(), command + " is in the fragment");
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    @Test
    void aMissingEnvironmentBlockIsCreatedAsTheImageBuildWouldAndGrubReadsIt() throws Exception {
        Path missing = dir.resolve("emulated/boot/grubenv");
        assertTrue(GrubAbBootloader.createIfAbsent(missing, true));
        assertEquals(List.of("ORDER=A B", "A_OK=1", "A_TRY=0", "B_OK=0", "B_TRY=0"), run("grub-editenv", missing.toString(), "list"));
        assertEquals(false, GrubAbBootloader.createIfAbsent(missing, true), "only when absent");
        GrubBootEmulator fresh = new GrubBootEmulator(missing, dir.resolve("emulated/cmdline"), () -> { });
        assertEquals(Slot.A, fresh.powerOn());
        PluginException wrongPath = assertThrows(PluginException.class,
                () -> GrubAbBootloader.createIfAbsent(dir.resolve("no/such/dir/grubenv"), false));
        assertTrue(wrongPath.getMessage().contains("etc/org.edgeorch.plugin.grub.cfg"), wrongPath.getMessage());
    }

    private List<String> grubEditenv(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("grub-editenv", env.toString()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static List<String> run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>(new String(p.getInputStream().readAllBytes()).lines().toList());
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + lines);
        return lines;
    }
}
