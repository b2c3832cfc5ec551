package org.edgeorch.plugin.uboot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The A/B cycle on a real redundant U-Boot environment, checked after every step with the real fw_printenv,
 * and rebooted by the emulator that applies the shipped boot script's rules.
 */
class UbootAbBootloaderTest {

    static final int SIZE = 0x4000;

    @TempDir
    Path dir;

    Path first;
    Path second;
    Path config;
    Path cmdline;
    AtomicInteger restarts = new AtomicInteger();
    UbootAbBootloader boot;
    UbootBootEmulator emulator;

    /** A board as the image build leaves it: slot A installed, B without tries; booted into A. */
    @BeforeEach
    void factoryState() throws Exception {
        Path text = dir.resolve("env.txt");
        Files.writeString(text, "BOOT_ORDER=A B\nBOOT_A_LEFT=3\nBOOT_B_LEFT=0\n");
        first = dir.resolve("env1.bin");
        second = dir.resolve("env2.bin");
        run("mkenvimage", "-r", "-s", "0x4000", "-o", first.toString(), text.toString());
        Files.copy(first, second);
        config = dir.resolve("fw_env.config");
        Files.writeString(config, first + " 0x0 0x4000\n" + second + " 0x0 0x4000\n");
        UbootEnvironment env = new UbootEnvironment(List.of(new UbootEnvironment.Copy(first, 0, SIZE),
                new UbootEnvironment.Copy(second, 0, SIZE)));
        cmdline = dir.resolve("cmdline");
        boot = new UbootAbBootloader(env, cmdline);
        emulator = new UbootBootEmulator(env, cmdline, restarts::incrementAndGet);

        emulator.reboot();
        assertEquals(Slot.A, boot.booted());
        assertEquals(List.of("BOOT_A_LEFT=2", "BOOT_B_LEFT=0", "BOOT_ORDER=A B", "raucslot=A"), fwPrintenv(), "the script spent one of A's tries");
        boot.commit(Slot.A);
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=0", "BOOT_ORDER=A B", "raucslot=A"), fwPrintenv());
    }

    @Test
    void aTrialThatBootsIsCommittedAndBecomesPrimary() throws Exception {
        boot.armTrial(Slot.B);
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=1", "BOOT_ORDER=B A", "raucslot=A"), fwPrintenv());
        assertEquals(Slot.B, boot.primary());
        assertEquals(new SlotState(true, 1), boot.state(Slot.B));

        emulator.reboot();
        assertEquals(List.of(Slot.B), emulator.lastBoots());
        assertEquals(Slot.B, boot.booted());
        assertEquals(2, restarts.get());
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=0", "BOOT_ORDER=B A", "raucslot=B"), fwPrintenv());
        assertEquals(new SlotState(false, 0), boot.state(Slot.B), "the one try is spent until B is committed");
        assertEquals(Slot.A, boot.primary(), "an uncommitted trial falls back on the next boot");

        boot.commit(Slot.B);
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=3", "BOOT_ORDER=B A", "raucslot=B"), fwPrintenv());
        assertEquals(Slot.B, boot.primary());
        assertEquals(new SlotState(true, 3), boot.state(Slot.B));
        emulator.reboot();
        assertEquals(Slot.B, boot.booted(), "B boots again after the commit");
    }

    @Test
    void aTrialThatCrashesFallsBackToTheOtherSlot() throws Exception {
        boot.armTrial(Slot.B);
        emulator.crashOnBoot(Slot.B);
        emulator.reboot();
        assertEquals(List.of(Slot.B, Slot.A), emulator.lastBoots(), "B was tried once, then the script fell back");
        assertEquals(Slot.A, boot.booted());
        assertEquals(new SlotState(false, 0), boot.state(Slot.B), "no tries left for B");
        assertEquals(List.of("BOOT_A_LEFT=2", "BOOT_B_LEFT=0", "BOOT_ORDER=B A", "raucslot=A"), fwPrintenv());

        boot.commit(Slot.A);
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=0", "BOOT_ORDER=A B", "raucslot=A"), fwPrintenv());
        emulator.bootsFine(Slot.B);
        emulator.reboot();
        assertEquals(List.of(Slot.A), emulator.lastBoots(), "B is not tried again until it is armed anew");
    }

    @Test
    void aSlotMarkedBadIsNeverBooted() throws Exception {
        boot.armTrial(Slot.B);
        emulator.reboot();
        assertEquals(Slot.B, boot.booted());
        boot.commit(Slot.B);
        // A later health check fails on B: do not wait for its tries to run out.
        boot.markBad(Slot.B);
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=0", "BOOT_ORDER=A B", "raucslot=B"), fwPrintenv());
        assertEquals(new SlotState(false, 0), boot.state(Slot.B));
        emulator.reboot();
        assertEquals(Slot.A, boot.booted());
        boot.commit(Slot.A);
        PluginException e = assertThrows(PluginException.class, () -> boot.markBad(Slot.A));
        assertTrue(e.getMessage().contains("no slot would be left"), e.getMessage());

        run("fw_setenv", "-c", config.toString(), "BOOT_ORDER", "B A");
        emulator.reboot();
        assertEquals(Slot.A, boot.booted(), "first in the order but marked bad");
    }

    @Test
    void refusesWhatWouldBeWrong() throws Exception {
        PluginException running = assertThrows(PluginException.class, () -> boot.armTrial(Slot.A));
        assertTrue(running.getMessage().contains("running slot"), running.getMessage());
        PluginException notBooted = assertThrows(PluginException.class, () -> boot.commit(Slot.B));
        assertTrue(notBooted.getMessage().contains("only a booted slot"), notBooted.getMessage());
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=0", "BOOT_ORDER=A B", "raucslot=A"), fwPrintenv(), "nothing written");

        run("fw_setenv", "-c", config.toString(), "BOOT_A_LEFT", "0");
        assertThrows(PluginException.class, boot::primary);
        PluginException none = assertThrows(PluginException.class, emulator::reboot);
        assertTrue(none.getMessage().contains("no bootable slot"), none.getMessage());
        assertEquals(1, restarts.get(), "no restart without a slot to boot");
    }

    @Test
    void readsWhatFwSetenvWrites() throws Exception {
        run("fw_setenv", "-c", config.toString(), "BOOT_ORDER", "B A");
        run("fw_setenv", "-c", config.toString(), "BOOT_B_LEFT", "a");
        assertEquals(Slot.B, boot.primary());
        assertEquals(new SlotState(true, 10), boot.state(Slot.B), "U-Boot's test and setexpr count in hexadecimal");
        run("fw_setenv", "-c", config.toString(), "BOOT_A_LEFT");
        assertEquals(new SlotState(true, 3), boot.state(Slot.A), "without BOOT_A_LEFT, the script's default 3 applies");
    }

    @Test
    void aTornWriteLeavesThePreviousSelection() throws Exception {
        int currentBefore = newest();
        byte[] current = Files.readAllBytes(copy(currentBefore));
        boot.armTrial(Slot.B);
        assertEquals(1 - currentBefore, newest(), "the write went to the copy that was not current");
        assertArrayEquals(current, Files.readAllBytes(copy(currentBefore)), "the previous copy is untouched");

        // Power lost halfway through that write: its CRC no longer matches.
        try (RandomAccessFile f = new RandomAccessFile(copy(1 - currentBefore).toFile(), "rw")) {
            f.seek(SIZE / 2);
            f.write(new byte[] {1, 2, 3});
        }
        assertEquals(Slot.A, boot.primary());
        assertEquals(new SlotState(false, 0), boot.state(Slot.B));
        assertEquals(List.of("BOOT_A_LEFT=3", "BOOT_B_LEFT=0", "BOOT_ORDER=A B", "raucslot=A"), fwPrintenv());
        emulator.reboot();
        assertEquals(Slot.A, boot.booted());
    }

    @Test
    void theBootScriptUsesTheSameVariables() throws Exception {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/uboot/edgeorch-ab.cmd")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path copy = dir.resolve("edgeorch-ab.cmd");
        Files.writeString(copy, script);
        run("mkimage", "-A", "arm", "-T", "script", "-C", "none", "-d", copy.toString(), dir.resolve("boot.scr").toString());

        String code = script.lines().filter(l -> !l.trim().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
        Set<String> referenced = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{(BOOT_[A-Z_]+)}").matcher(code);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        referenced.remove("BOOT_SLOT");
        assertEquals(new TreeSet<>(UbootAbBootloader.VARIABLES), referenced);
        for (String name : UbootAbBootloader.VARIABLES) {
            String value = UbootAbBootloader.DEFAULTS.get(name);
            assertTrue(code.contains("test -n \"${" + name + "}\" || setenv " + name + " " + (value.contains(" ") ? "\"" + value + "\"" : value)),
                    "the script defaults " + name + " as the code does: " + value);
        }
        for (Slot slot : Slot.values()) {
            String left = UbootAbBootloader.left(slot);
            assertTrue(code.contains("test \"x${BOOT_SLOT}\" = \"x" + slot + "\""), "the loop knows slot " + slot);
            assertTrue(code.contains("if test 0x${" + left + "} -gt 0"), "slot " + slot + " is chosen with tries left");
            assertTrue(code.contains("setexpr " + left + " ${" + left + "} - 1"), "choosing " + slot + " spends a try");
            assertTrue(code.contains("setenv " + UbootBootEmulator.CHOSEN + " " + slot + "\n"), "and records " + slot);
        }
        assertTrue(code.contains("rauc.slot=${" + UbootBootEmulator.CHOSEN + "}"), "the kernel learns the slot");
        assertTrue(code.indexOf("saveenv") < code.indexOf("setenv bootpart"), "saveenv stores nothing but the selection and raucslot");
    }

    private int newest() throws IOException {
        int a = Files.readAllBytes(first)[4] & 0xff;
        int b = Files.readAllBytes(second)[4] & 0xff;
        return ((b - a) & 0xff) == 1 ? 1 : 0;
    }

    private Path copy(int index) {
        return index == 0 ? first : second;
    }

    private List<String> fwPrintenv() throws IOException {
        return run("fw_printenv", "-c", config.toString());
    }

    private static List<String> run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
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
