package org.edgeorch.spi.ab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The power switch of an emulated host, for boot emulators in a node runtime: tells a start of the runtime
 * that follows an emulated reboot (the bootloader already chose) from a cold start after the process was
 * killed (a power loss: the bootloader chooses now), and restarts the runtime's JVM for a reboot.
 *
 * <p>A reboot writes a marker file, asks Karaf to restart its JVM ({@code karaf.restart} and
 * {@code karaf.restart.jvm}: Karaf's Main exits with code 10, and {@code bin/karaf} starts a new JVM) and
 * stops the framework. The next start finds the marker and removes it; a start without it is a power-on. A second activation in the same JVM (a bundle refresh) is neither.
 */
public final class EmulatedPower {

    private static final String STARTED = "edgeorch.emulator.started";

    private final Path marker;
    private final Runnable stopFramework;

    /**
     * @param marker        the marker file, next to the bootloader environment
     * @param stopFramework stops the OSGi framework (system bundle stop)
     */
    public EmulatedPower(Path marker, Runnable stopFramework) {
        this.marker = marker;
        this.stopFramework = stopFramework;
    }

    /** Whether this start of the runtime is a power-on, so the bootloader must choose a slot now. */
    public synchronized boolean coldStart() {
        String key = STARTED + ":" + marker.toAbsolutePath();
        if (System.getProperty(key) != null) {
            return false;
        }
        System.setProperty(key, "true");
        try {
            return !Files.deleteIfExists(marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the boot emulator's marker " + marker, e);
        }
    }

    /**
     * The power-on that {@link #coldStart()} announced did not happen (the bootloader found no slot, its environment
     * could not be read, ...): the next activation in this JVM, once the cause is fixed, powers on again instead of
     * taking the failed one for a start that happened.
     */
    public synchronized void powerOnFailed() {
        System.clearProperty(STARTED + ":" + marker.toAbsolutePath());
    }

    /** Restarts the runtime's JVM, as after a reboot; returns at once, the framework stops on its own thread. */
    public void restartRuntime() {
        try {
            Files.writeString(marker, "rebooted\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the boot emulator's marker " + marker, e);
        }
        // Karaf's Main exits with 10 (bin/karaf then starts a new JVM) only when both are set.
        System.setProperty("karaf.restart", "true");
        System.setProperty("karaf.restart.jvm", "true");
        Thread t = new Thread(stopFramework, "edgeorch-emulated-reboot");
        t.setDaemon(false);
        t.start();
    }
}
