package org.edgeorch.plugin.uboot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.Slot;

/**
 * The booted slot as the bootloader passes it to the kernel, {@code rauc.slot=A} or {@code rauc.slot=B}:
 * read from {@code /proc/cmdline} on a host, from a file the boot emulator writes in the same format elsewhere.
 */
final class KernelCommandLine {

    static final String SLOT_ARGUMENT = "rauc.slot=";

    private KernelCommandLine() {
    }

    static Slot bootedSlot(Path cmdline) throws PluginException {
        String text;
        try {
            text = Files.readString(cmdline);
        } catch (NoSuchFileException e) {
            throw new PluginException("cannot tell the booted slot: " + cmdline + " does not exist (nothing has booted yet?)", e);
        } catch (IOException e) {
            throw new PluginException("cannot tell the booted slot: reading " + cmdline + " failed: " + e.getMessage(), e);
        }
        for (String arg : text.strip().split("\\s+")) {
            if (arg.startsWith(SLOT_ARGUMENT)) {
                String name = arg.substring(SLOT_ARGUMENT.length());
                try {
                    return Slot.valueOf(name);
                } catch (IllegalArgumentException e) {
                    throw new PluginException("the kernel command line in " + cmdline + " names slot '" + name + "'; expected A or B", e);
                }
            }
        }
        throw new PluginException("cannot tell the booted slot: no " + SLOT_ARGUMENT + " in " + cmdline
                + "; the boot entries must pass it (see uboot/edgeorch-ab.cmd)");
    }

    /** What the boot emulator records: a command line as the shipped boot entries produce it, replaced atomically. */
    static void record(Path cmdline, Slot slot) throws IOException {
        Path dir = cmdline.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + cmdline.getFileName(), ".new");
        try {
            Files.writeString(tmp, "panic=60 quiet " + SLOT_ARGUMENT + slot + "\n");
            Files.move(tmp, cmdline, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
