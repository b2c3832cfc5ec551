package org.edgeorch.plugin.simulated.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.annotation.Annotation;

import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginKind;
import org.junit.jupiter.api.Test;

class SimulatedHardwarePluginTest {

    /** What the component runtime hands the constructor when seed is configured. */
    private static SimulatedPluginConfig config(long seed) {
        return new SimulatedPluginConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SimulatedPluginConfig.class;
            }

            @Override
            public long seed() {
                return seed;
            }
        };
    }

    @Test
    void describesItself() {
        PluginDescriptor d = new SimulatedHardwarePlugin(config(1)).descriptor();

        assertEquals("simulated", d.id());
        assertEquals("Simulated hardware", d.name());
        assertEquals("Edge Orchestrator", d.vendor());
        assertEquals(PluginKind.HARDWARE, d.kind());
        assertFalse(d.version().isBlank());
        assertFalse(d.version().contains("${"), d.version());
    }

    @Test
    void reportsTheHostOfTheConfiguredSeed() {
        assertEquals(SimulatedHardware.forHost(7), new SimulatedHardwarePlugin(config(7)).inventory());
        assertEquals("sim-7", new SimulatedHardwarePlugin(config(7)).inventory().system().hostname());
    }
}
