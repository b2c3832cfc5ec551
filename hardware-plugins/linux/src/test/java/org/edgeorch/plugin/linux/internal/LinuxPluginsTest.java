package org.edgeorch.plugin.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;

import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.PluginKind;
import org.junit.jupiter.api.Test;

class LinuxPluginsTest {

    /** What the component runtime hands the constructor when rootPath is configured. */
    private static LinuxPluginConfig config(String rootPath) {
        return new LinuxPluginConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LinuxPluginConfig.class;
            }

            @Override
            public String rootPath() {
                return rootPath;
            }
        };
    }

    @Test
    void hardwarePluginDescribesItselfAndReadsConfiguredRoot() throws PluginException {
        LinuxHardwarePlugin plugin = new LinuxHardwarePlugin(config(Fixtures.host().toString()));

        PluginDescriptor d = plugin.descriptor();
        assertEquals("linux", d.id());
        assertEquals("Linux (procfs/sysfs/DMI)", d.name());
        assertEquals("Edge Orchestrator", d.vendor());
        assertEquals(PluginKind.HARDWARE, d.kind());
        assertFalse(d.version().isBlank());
        assertFalse(d.version().contains("${"), d.version());
        assertEquals("edge-01", plugin.inventory().system().hostname());
    }

    @Test
    void osPluginDescribesItselfAndReadsConfiguredRoot() throws PluginException {
        LinuxOsPlugin plugin = new LinuxOsPlugin(config(Fixtures.host().toString()));

        assertEquals("linux-os", plugin.descriptor().id());
        assertEquals(PluginKind.OS, plugin.descriptor().kind());
        assertEquals("Ubuntu", plugin.currentOs().name());
    }

    @Test
    void rejectsRelativeRootPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinuxHardwarePlugin(config("relative/dir")));
        assertTrue(e.getMessage().contains("relative/dir"), e.getMessage());
    }
}
