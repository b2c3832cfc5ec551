package org.edgeorch.plugin.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.edgeorch.spi.OsInfo;
import org.edgeorch.spi.OsInfo.OsType;
import org.edgeorch.spi.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxOsReaderTest {

    @Test
    void readsNameVersionAndKernel() throws PluginException {
        assertEquals(new OsInfo("Ubuntu", "22.04", "5.15.0-91-generic", OsType.MUTABLE, null),
                new LinuxOsReader(Fixtures.host()).read());
    }

    @Test
    void fallsBackToPrettyNameAndVersion(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "PRETTY_NAME='Yocto Edge'\nVERSION=\"4.0 (kirkstone)\"\n");

        assertEquals(new OsInfo("Yocto Edge", "4.0 (kirkstone)", null, OsType.MUTABLE, null),
                new LinuxOsReader(root).read());
    }

    @Test
    void unquotesAndUnescapesValues() {
        Map<String, String> fields = LinuxOsReader.parseOsRelease(
                "# comment\nNAME=\"Say \\\"hi\\\"\"\nID=debian\nEMPTY=\n");

        assertEquals("Say \"hi\"", fields.get("NAME"));
        assertEquals("debian", fields.get("ID"));
        assertEquals("", fields.get("EMPTY"));
    }

    @Test
    void failsNamingThePathsWhenNothingIsReadable(@TempDir Path root) {
        PluginException e = assertThrows(PluginException.class, () -> new LinuxOsReader(root).read());
        assertTrue(e.getMessage().contains(root.resolve("etc/os-release").toString()), e.getMessage());
    }
}
