package org.edgeorch.release.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void tildeKeepsMajorAndMinor() {
        assertTrue(Versions.satisfies("1.4.0", "~1.4.0"));
        assertTrue(Versions.satisfies("1.4.17", "~1.4.0"));
        assertFalse(Versions.satisfies("1.5.0", "~1.4.0"));
        assertFalse(Versions.satisfies("1.3.9", "~1.4.0"));
        assertFalse(Versions.satisfies("1.4.1-rc.1", "~1.4.0"), "pre-releases only match ranges that name one");
    }

    @Test
    void otherRangeForms() {
        assertTrue(Versions.satisfies("1.9.0", "^1.4.0"));
        assertFalse(Versions.satisfies("2.0.0", "^1.4.0"));
        assertTrue(Versions.satisfies("1.4.3", "1.4.x"));
        assertTrue(Versions.satisfies("1.9.9", ">=1.2.0 <2.0.0"));
        assertTrue(Versions.satisfies("2.3.0", "1.2.3 || 2.x"));
        assertTrue(Versions.satisfies("7.0.0", "*"));
        assertFalse(Versions.satisfies("not-a-version", "*"));
    }

    @Test
    void rangesThatDoNotParseAreRefusedNotReadAsAnything() {
        for (String bad : new String[] {"", "  ", "garbage", "~~1", "x".repeat(129)}) {
            TenancyException e = assertThrows(TenancyException.class, () -> Versions.range(bad), bad);
            assertEquals("versionRange", e.field());
        }
        assertEquals("~1.4.0", Versions.range(" ~1.4.0 "));
        for (String impossible : new String[] {">=2.0.0 <1.0.0", ">1.0.0 <1.0.0", ">=1.0.0 <1.0.0", "<1.0.0 >=1.0.0 || >3.0.0 <=3.0.0"}) {
            TenancyException e = assertThrows(TenancyException.class, () -> Versions.range(impossible), impossible);
            assertTrue(e.getMessage().contains("no version"), e.getMessage());
        }
        for (String possible : new String[] {">=1.0.0 <=1.0.0", "1.0.0", ">=2.0.0 <1.0.0 || 3.x", "^0.0.1", ">1.0.0", "<2.0.0"}) {
            assertEquals(possible, Versions.range(possible));
        }
    }

    @Test
    void newestFirstBySemanticPrecedenceNotText() {
        List<String> sorted = Stream.of("1.10.0", "1.9.2", "1.9.10", "2.0.0-rc.1", "2.0.0").sorted(Versions.NEWEST_FIRST).toList();
        assertEquals(List.of("2.0.0", "2.0.0-rc.1", "1.10.0", "1.9.10", "1.9.2"), sorted);
    }
}
