package org.edgeorch.agent.update;

import java.nio.file.Path;

import org.edgeorch.spi.ab.Slot;

/** One health check run after the trial boot of a new OS, before it is committed. */
public interface HealthCheck {

    /** What is checked, as shown in reports. */
    String name();

    /**
     * Runs the check.
     *
     * @return null when healthy, otherwise what is wrong (one line)
     */
    String check(Trial trial) throws InterruptedException;

    /**
     * The trial being checked.
     *
     * @param slot    the booted new slot
     * @param device  its block device or image file
     * @param version the OS version it should run
     */
    record Trial(Slot slot, Path device, String version) {
    }
}
