package org.edgeorch.spi.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatedPowerTest {

    @TempDir
    Path dir;

    @Test
    void aStartAfterAnEmulatedRebootIsNotAPowerOnAndASecondActivationNeither() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Path marker = dir.resolve("grubenv.rebooted");
        EmulatedPower power = new EmulatedPower(marker, stopped::countDown);
        assertTrue(power.coldStart(), "the first start in this JVM without a marker: power on");
        assertFalse(power.coldStart(), "the same JVM again (a bundle refresh)");

        power.restartRuntime();
        assertTrue(stopped.await(5, TimeUnit.SECONDS));
        assertTrue(Files.exists(marker));
        assertEquals("true", System.getProperty("karaf.restart.jvm"));
        assertEquals("true", System.getProperty("karaf.restart"));
        System.clearProperty("karaf.restart.jvm");
        System.clearProperty("karaf.restart");

        System.clearProperty("edgeorch.emulator.started:" + marker.toAbsolutePath()); // as in the new JVM
        EmulatedPower next = new EmulatedPower(marker, () -> { });
        assertFalse(next.coldStart(), "a new JVM finding the marker: the reboot's restart");
        assertFalse(Files.exists(marker), "the marker is used once");
    }

    @Test
    void aPowerOnThatFailedIsDoneAgainByTheNextActivation() {
        Path marker = dir.resolve("uboot.env.rebooted");
        EmulatedPower power = new EmulatedPower(marker, () -> { });
        assertTrue(power.coldStart());
        power.powerOnFailed();
        assertTrue(new EmulatedPower(marker, () -> { }).coldStart(), "the configuration fixed, the bundle activates again");
        assertFalse(power.coldStart());
        power.powerOnFailed();
    }
}
