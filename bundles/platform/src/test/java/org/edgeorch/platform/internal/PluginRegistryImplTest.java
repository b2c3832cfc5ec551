package org.edgeorch.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.edgeorch.platform.ComponentHealth;
import org.edgeorch.platform.PlatformStatus;
import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginReport;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.HardwarePlugin;
import org.edgeorch.spi.OsInfo;
import org.edgeorch.spi.OsPlugin;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.PluginKind;
import org.junit.jupiter.api.Test;

class PluginRegistryImplTest {

    private static final HardwareInventory INVENTORY = new HardwareInventory(
            new HardwareInventory.SystemInfo("Acme", "Box", "S1", null, null, "h1"),
            new HardwareInventory.Cpu("Xeon", "x86_64", 1, 4, 8),
            new HardwareInventory.Memory(8L << 30, 4L << 30), List.of(), List.of(), List.of(), List.of());

    private final PluginRegistryImpl registry = new PluginRegistryImpl();

    @Test
    void listsHardwareFirstThenByRankingAndId() {
        registry.register(1, info("zeta", PluginKind.HARDWARE, 0), hardware(() -> INVENTORY));
        registry.register(2, info("os", PluginKind.OS, 0), os(() -> new OsInfo("Debian", "12", "6.1",
                OsInfo.OsType.MUTABLE, null)));
        registry.register(3, info("alpha", PluginKind.HARDWARE, 0), hardware(() -> INVENTORY));
        registry.register(4, info("vendor", PluginKind.HARDWARE, 10), hardware(() -> INVENTORY));

        assertEquals(List.of("vendor", "alpha", "zeta", "os"),
                registry.plugins().stream().map(PluginInfo::id).toList());
    }

    @Test
    void failingPluginIsReportedNotThrown() {
        registry.register(1, info("broken", PluginKind.HARDWARE, 0), hardware(() -> {
            throw new PluginException("cannot read /proc/cpuinfo");
        }));
        registry.register(2, info("good", PluginKind.HARDWARE, 0), hardware(() -> INVENTORY));

        List<PluginReport> reports = registry.reports();
        assertEquals("cannot read /proc/cpuinfo", reports.get(0).error());
        assertNull(reports.get(0).hardware());
        assertEquals(INVENTORY, reports.get(1).hardware());
        assertTrue(registry.report("missing").isEmpty());
        assertNotNull(registry.report("good").orElseThrow().hardware());
    }

    @Test
    void statusCarriesPluginsHealthAndUptime() {
        registry.register(1, info("linux", PluginKind.HARDWARE, 0), hardware(() -> INVENTORY));
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        StatusServiceImpl status = new StatusServiceImpl(registry, "0.1.0", "node", start,
                Clock.fixed(start.plusSeconds(90), ZoneOffset.UTC));
        status.addContributor(() -> new ComponentHealth("database", ComponentHealth.State.UP, Map.of("kind", "DERBY")));

        PlatformStatus s = status.status();
        assertEquals(90, s.uptimeSeconds());
        assertEquals("node", s.runtime());
        assertEquals("database", s.components().get(0).name());
        assertEquals("linux", s.plugins().get(0).id());
    }

    private static PluginInfo info(String id, PluginKind kind, int ranking) {
        return new PluginInfo(id, id, "test", "1", kind, "b", "1", ranking);
    }

    interface InventorySource {
        HardwareInventory read() throws PluginException;
    }

    interface OsSource {
        OsInfo read() throws PluginException;
    }

    private static HardwarePlugin hardware(InventorySource source) {
        return new HardwarePlugin() {
            public PluginDescriptor descriptor() {
                return new PluginDescriptor("x", "x", "x", "1", PluginKind.HARDWARE);
            }

            public HardwareInventory inventory() throws PluginException {
                return source.read();
            }
        };
    }

    private static OsPlugin os(OsSource source) {
        return new OsPlugin() {
            public PluginDescriptor descriptor() {
                return new PluginDescriptor("x", "x", "x", "1", PluginKind.OS);
            }

            public OsInfo currentOs() throws PluginException {
                return source.read();
            }
        };
    }
}
