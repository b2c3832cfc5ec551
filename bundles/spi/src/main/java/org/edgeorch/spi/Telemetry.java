package org.edgeorch.spi;

import java.time.Instant;
import java.util.List;

/**
 * What a host's hardware measures at one instant. Names are a fixed vocabulary ({@code cpu.usage.percent},
 * {@code load.1}, {@code load.5}, {@code load.15}, {@code memory.used.percent}, {@code memory.used.bytes},
 * {@code fs.used.percent} and {@code fs.used.bytes} per mount point, {@code net.rx.bytes} and {@code net.tx.bytes}
 * per interface — counters since boot —, {@code temperature.celsius} per sensor where the platform has them).
 *
 * @param at      when it was read
 * @param samples the figures; never null
 */
public record Telemetry(Instant at, List<Sample> samples) {

    public static final String CPU_USAGE = "cpu.usage.percent";
    public static final String LOAD_1 = "load.1";
    public static final String LOAD_5 = "load.5";
    public static final String LOAD_15 = "load.15";
    public static final String MEMORY_USED_PERCENT = "memory.used.percent";
    public static final String MEMORY_USED_BYTES = "memory.used.bytes";
    public static final String FS_USED_PERCENT = "fs.used.percent";
    public static final String FS_USED_BYTES = "fs.used.bytes";
    public static final String NET_RX_BYTES = "net.rx.bytes";
    public static final String NET_TX_BYTES = "net.tx.bytes";
    public static final String TEMPERATURE = "temperature.celsius";

    public Telemetry {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /**
     * One figure.
     *
     * @param name   one of the names above
     * @param device the mount point, interface or sensor it is about; empty for the host as a whole
     * @param value  the figure
     */
    public record Sample(String name, String device, double value) {
        public Sample {
            device = device == null ? "" : device;
        }
    }
}
