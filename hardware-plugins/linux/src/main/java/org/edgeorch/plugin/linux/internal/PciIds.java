package org.edgeorch.plugin.linux.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Vendor and device names from the PCI id database ({@code pci.ids} of pciutils and hwdata). The
 * format: a vendor line is four hex digits, two spaces and the name; each of its devices follows on
 * a line starting with one tab; subsystems (two tabs) are skipped, and so is everything from the
 * first device class section ({@code C 03  Display controller}) on. Only the vendors asked for are
 * kept, as the whole database holds some 40,000 names.
 */
final class PciIds {

    private static final PciIds EMPTY = new PciIds(Map.of(), Map.of());

    private final Map<String, String> vendors;
    /** Keyed by vendor id, a colon and device id. */
    private final Map<String, String> devices;

    private PciIds(Map<String, String> vendors, Map<String, String> devices) {
        this.vendors = vendors;
        this.devices = devices;
    }

    /** The names of {@code vendorIds} and their devices in {@code file}; none when it is {@code null} or cannot be read. */
    static PciIds read(Path file, Set<String> vendorIds) {
        if (file == null) {
            return EMPTY;
        }
        // InputStreamReader replaces bytes that are not UTF-8 rather than failing the whole file
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            return parse(reader, vendorIds);
        } catch (IOException | SecurityException e) {
            return EMPTY;
        }
    }

    static PciIds parse(BufferedReader reader, Set<String> vendorIds) throws IOException {
        Map<String, String> vendors = new HashMap<>();
        Map<String, String> devices = new HashMap<>();
        String vendor = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("C ")) {
                break; // device classes, whose lines look like vendors' and devices'
            }
            if (line.isBlank() || line.startsWith("#") || line.startsWith("\t\t")) {
                continue;
            }
            if (line.startsWith("\t")) {
                Entry device = entry(line.substring(1));
                if (vendor != null && device != null) {
                    devices.putIfAbsent(vendor + ':' + device.id(), device.name());
                }
            } else {
                Entry entry = entry(line);
                vendor = entry != null && vendorIds.contains(entry.id()) ? entry.id() : null;
                if (vendor != null) {
                    vendors.putIfAbsent(vendor, entry.name());
                }
            }
        }
        return new PciIds(vendors, devices);
    }

    /** The vendor's name, or {@code null} when unknown. */
    String vendor(String vendorId) {
        return vendorId == null ? null : vendors.get(vendorId);
    }

    /** The device's name, or {@code null} when unknown. */
    String device(String vendorId, String deviceId) {
        return vendorId == null || deviceId == null ? null : devices.get(vendorId + ':' + deviceId);
    }

    /** "10DE  NVIDIA Corporation" to its id in lower case and name; {@code null} when not that shape. */
    private static Entry entry(String line) {
        if (line.length() < 6 || line.charAt(4) != ' ') {
            return null;
        }
        String id = LinuxHardwareReader.hexId(line.substring(0, 4));
        String name = line.substring(5).trim();
        return id == null || name.isEmpty() ? null : new Entry(id, name);
    }

    private record Entry(String id, String name) {
    }
}
