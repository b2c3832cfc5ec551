package org.edgeorch.orchestrator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.shell.EdgeCommand;
import org.junit.jupiter.api.Test;

class OnboardingCommandsTest {

    @Test
    void validityTakesShortFormsAndIsoDurations() {
        assertEquals(Duration.ofDays(7), OnboardingCommands.validity("7d"));
        assertEquals(Duration.ofHours(12), OnboardingCommands.validity("12H"));
        assertEquals(Duration.ofMinutes(30), OnboardingCommands.validity("30m"));
        assertEquals(Duration.ofDays(7), OnboardingCommands.validity("P7D"));
        assertEquals(Duration.ofHours(12), OnboardingCommands.validity("pt12h"));
        EdgeCommand.InputException e = assertThrows(EdgeCommand.InputException.class, () -> OnboardingCommands.validity("a week"));
        assertEquals("--validity", e.field());
        assertTrue(e.getMessage().contains("'a week'"), e.getMessage());
    }

    @Test
    void anInventoryPrintsEverySection() {
        HardwareInventory hw = new HardwareInventory(
                new HardwareInventory.SystemInfo("Dell Inc.", "PowerEdge XR11", "SN-1", null, null, "edge-01"),
                new HardwareInventory.Cpu("Xeon D-2796TE", "x86_64", 1, 20, 40),
                new HardwareInventory.Memory(64L << 30, 48L << 30),
                List.of(new HardwareInventory.Disk("nvme0n1", 960L << 30, false, false, "PM9A3", "S6X")),
                List.of(new HardwareInventory.Nic("eno1", "aa:bb:cc:dd:ee:ff", 1500, null, "up")),
                List.of(new HardwareInventory.Usb("1-1.2", "046d", "c31c", "Logitech", "Keyboard", null, 1.5)),
                List.of(new HardwareInventory.Gpu(null, "10de", "1eb8", "NVIDIA", "Tesla T4", "nvidia")));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OnboardingCommands.print(hw, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String text = buffer.toString(StandardCharsets.UTF_8);

        assertTrue(text.contains("CPU       Xeon D-2796TE (x86_64), 1 socket(s), 20 core(s), 40 thread(s)"), text);
        assertTrue(text.contains("Memory    64.0 GiB total, 48.0 GiB available"), text);
        assertTrue(text.contains("uuid -"), text);
        for (String expected : new String[] {"nvme0n1", "960.0 GiB", "eno1", "046d:c31c", "1.5 Mb/s", "10de:1eb8", "Tesla T4"}) {
            assertTrue(text.contains(expected), expected + " missing in\n" + text);
        }
    }
}
