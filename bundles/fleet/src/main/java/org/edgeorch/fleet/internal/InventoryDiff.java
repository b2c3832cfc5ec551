package org.edgeorch.fleet.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Says in words what changed between two inventories, section by section (system, cpu, memory, disks, nics,
 * and whatever sections the inventory grows): lists by the items added and removed, objects by the fields
 * that changed. Works on JSON trees, so a new section needs no code here.
 */
final class InventoryDiff {

    /** A summary in the database is at most this long. */
    static final int MAX_SUMMARY = 4000;

    record Change(List<String> sections, String summary) {
    }

    private InventoryDiff() {
    }

    /** @param before null for the first inventory of a host */
    static Change between(JsonNode before, JsonNode after) {
        if (before == null) {
            List<String> sections = new ArrayList<>();
            after.fieldNames().forEachRemaining(sections::add);
            return new Change(sections, "first inventory");
        }
        Set<String> names = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        List<String> sections = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            JsonNode a = before.path(name);
            JsonNode b = after.path(name);
            if (a.equals(b)) {
                continue;
            }
            sections.add(name);
            if (a.isArray() || b.isArray()) {
                lines.add(name + ": " + listChange(a, b));
            } else if (a.isObject() && b.isObject()) {
                lines.add(name + ": " + objectChange(a, b));
            } else {
                lines.add(name + ": " + text(a) + " -> " + text(b));
            }
        }
        String summary = String.join("; ", lines);
        return new Change(sections, summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 3) + "..." : summary);
    }

    private static String listChange(JsonNode before, JsonNode after) {
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (JsonNode item : before) {
            if (!contains(after, item)) {
                removed.add(label(item));
            }
        }
        for (JsonNode item : after) {
            if (!contains(before, item)) {
                added.add(label(item));
            }
        }
        List<String> parts = new ArrayList<>();
        added.forEach(a -> parts.add("+" + a));
        removed.forEach(r -> parts.add("-" + r));
        return String.join(", ", parts);
    }

    private static boolean contains(JsonNode list, JsonNode item) {
        if (list.isArray()) {
            for (JsonNode each : list) {
                if (each.equals(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An item by its first text field (name, bus, PCI address ...), else the whole item. */
    private static String label(JsonNode item) {
        if (item.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getValue().isTextual()) {
                    return f.getValue().asText();
                }
            }
        }
        return item.toString();
    }

    private static String objectChange(JsonNode before, JsonNode after) {
        Set<String> names = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            if (!before.path(name).equals(after.path(name))) {
                parts.add(name + " " + text(before.path(name)) + " -> " + text(after.path(name)));
            }
        }
        return String.join(", ", parts);
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "none" : node.isValueNode() ? node.asText() : node.toString();
    }
}
