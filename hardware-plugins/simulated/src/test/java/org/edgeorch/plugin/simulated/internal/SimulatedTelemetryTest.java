package org.edgeorch.plugin.simulated.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.spi.Telemetry;
import org.edgeorch.spi.Telemetry.Sample;
import org.junit.jupiter.api.Test;

/** The simulated figures: a function of seed and time, within believable bounds, counters that grow. */
class SimulatedTelemetryTest {

    private static Telemetry at(long seed, String instant) {
        return new SimulatedTelemetry(seed, SimulatedHardware.forHost(seed),
                Clock.fixed(Instant.parse(instant), ZoneOffset.UTC)).read();
    }

    private static double value(Telemetry t, String name, String device) {
        return t.samples().stream().filter(s -> s.name().equals(name) && s.device().equals(device))
                .mapToDouble(Sample::value).findFirst().orElseThrow();
    }

    @Test
    void sameSeedAndTimeSameFiguresOtherSeedOthers() {
        assertEquals(at(7, "2026-06-01T12:00:00Z"), at(7, "2026-06-01T12:00:00Z"));
        assertNotEquals(at(7, "2026-06-01T12:00:00Z").samples(), at(8, "2026-06-01T12:00:00Z").samples());
    }

    @Test
    void figuresAreBelievableAndCountersGrow() {
        for (long seed = 1; seed <= 50; seed++) {
            for (int hour = 0; hour < 24; hour += 3) {
                Telemetry t = at(seed, String.format("2026-06-01T%02d:00:00Z", hour));
                double cpu = value(t, Telemetry.CPU_USAGE, "");
                assertTrue(cpu > 0 && cpu <= 100, "cpu " + cpu);
                double memory = value(t, Telemetry.MEMORY_USED_PERCENT, "");
                assertTrue(memory > 0 && memory < 100, "memory " + memory);
                double temp = value(t, Telemetry.TEMPERATURE, "cpu");
                assertTrue(temp > 30 && temp < 80, "temperature " + temp);
                assertTrue(value(t, Telemetry.FS_USED_PERCENT, "/") < 100);
            }
            assertTrue(value(at(seed, "2026-06-01T12:00:30Z"), Telemetry.NET_RX_BYTES, "eth0")
                    > value(at(seed, "2026-06-01T12:00:00Z"), Telemetry.NET_RX_BYTES, "eth0"));
        }
        assertTrue(value(at(3, "2026-06-01T14:00:00Z"), Telemetry.LOAD_5, "")
                > value(at(3, "2026-06-01T02:00:00Z"), Telemetry.LOAD_5, ""), "busier in the afternoon");
    }
}
