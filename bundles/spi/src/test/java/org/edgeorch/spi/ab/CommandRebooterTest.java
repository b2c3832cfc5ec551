package org.edgeorch.spi.ab;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.edgeorch.spi.PluginException;
import org.junit.jupiter.api.Test;

class CommandRebooterTest {

    @Test
    void aCommandThatSucceedsIsAReboot() throws Exception {
        new CommandRebooter(List.of("true")).reboot();
    }

    @Test
    void aFailingOrMissingCommandSaysWhy() {
        PluginException failed = assertThrows(PluginException.class,
                () -> new CommandRebooter(List.of("sh", "-c", "echo not permitted; exit 4")).reboot());
        assertTrue(failed.getMessage().contains("exit code 4: not permitted"), failed.getMessage());
        PluginException missing = assertThrows(PluginException.class,
                () -> new CommandRebooter(List.of("/nonexistent/reboot")).reboot());
        assertTrue(missing.getMessage().startsWith("cannot run /nonexistent/reboot"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CommandRebooter(List.of()));
    }
}
