package org.edgeorch.plugin.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PciIdsTest {

    private static PciIds parse(String text, String... vendorIds) throws IOException {
        return PciIds.parse(new BufferedReader(new StringReader(text)), Set.of(vendorIds));
    }

    @Test
    void subsystemLinesDoNotReplaceTheDeviceName() throws IOException {
        PciIds ids = parse("""
                10de  NVIDIA Corporation
                \t1eb8  TU104GL [Tesla T4]
                \t\t10de 12a2  T4 16GB
                """, "10de");

        assertEquals("NVIDIA Corporation", ids.vendor("10de"));
        assertEquals("TU104GL [Tesla T4]", ids.device("10de", "1eb8"));
        assertNull(ids.device("10de", "12a2"));
    }

    @Test
    void classSectionIsNotReadAsVendors() throws IOException {
        PciIds ids = parse("""
                0300  Not a vendor before classes
                C 03  Display controller
                \t00  VGA compatible controller
                0301  Not a vendor either
                """, "0300", "0301");

        assertEquals("Not a vendor before classes", ids.vendor("0300"));
        assertNull(ids.device("0300", "0000"));
        assertNull(ids.vendor("0301"));
    }

    @Test
    void keepsOnlyTheVendorsAskedFor() throws IOException {
        PciIds ids = parse("""
                102b  Matrox Electronics Systems Ltd.
                \t0536  Integrated Matrox G200eW3 Graphics Controller
                10de  NVIDIA Corporation
                \t0536  Not Matrox
                """, "102b");

        assertEquals("Integrated Matrox G200eW3 Graphics Controller", ids.device("102b", "0536"));
        assertNull(ids.vendor("10de"));
        assertNull(ids.device("10de", "0536"));
    }

    @Test
    void missingFileKnowsNoNames() {
        PciIds ids = PciIds.read(Path.of("does-not-exist", "pci.ids"), Set.of("10de"));

        assertNull(ids.vendor("10de"));
        assertNull(PciIds.read(null, Set.of("10de")).vendor("10de"));
    }
}
