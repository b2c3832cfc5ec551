package org.edgeorch.shell.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginReport;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwareInventory.Gpu;
import org.edgeorch.spi.HardwareInventory.Usb;
import org.edgeorch.spi.PluginKind;
import org.junit.jupiter.api.Test;

class InventoryCommandTest {

    private static String print(HardwareInventory hardware) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PluginInfo plugin = new PluginInfo("linux", "Linux", "Edge", "1.0", PluginKind.HARDWARE, "b", "1.0", 0);
        InventoryCommand.print(new PluginReport(plugin, hardware, null, null),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsUsbDevicesAndGpus() {
        String out = print(new HardwareInventory(
                new HardwareInventory.SystemInfo("Dell Inc.", "PowerEdge XR11", null, null, null, "edge-01"),
                new HardwareInventory.Cpu("Xeon", "x86_64", 1, 16, 32),
                new HardwareInventory.Memory(64L << 30, 32L << 30), List.of(), List.of(),
                List.of(new Usb("3-2", "046d", "c31c", "Logitech", "USB Keyboard", null, 1.5),
                        new Usb("1-1.2", "1199", "9071", "Sierra Wireless, Incorporated", "EM7455", "LF7123", 480.0)),
                List.of(new Gpu("0000:17:00.0", "10de", "25b6", "NVIDIA Corporation", "GA107GL [A2 / A16]", "nvidia"),
                        new Gpu(null, null, null, "NVIDIA Corporation", "Orin (nvgpu)", "nvgpu"))));

        assertTrue(out.contains("046d:c31c"), out);
        assertTrue(out.contains("1.5 Mb/s"), out);
        assertTrue(out.contains("480 Mb/s"), out);
        assertTrue(out.contains("LF7123"), out);
        assertTrue(out.contains("0000:17:00.0"), out);
        assertTrue(out.contains("10de:25b6"), out);
        assertTrue(out.contains("GA107GL [A2 / A16]"), out);
        assertTrue(out.contains("Orin (nvgpu)"), out);
    }
}
