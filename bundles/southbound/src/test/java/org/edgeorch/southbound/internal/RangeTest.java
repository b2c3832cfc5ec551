package org.edgeorch.southbound.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** HTTP Range as RFC 9110 reads it, for an image of 300000 bytes. */
class RangeTest {

    private static final long SIZE = 300_000;

    @Test
    void ordinaryRanges() {
        assertArrayEquals(new long[] {123456, 299999}, SouthboundHandler.range("bytes=123456-", SIZE));
        assertArrayEquals(new long[] {299990, 299999}, SouthboundHandler.range("bytes=-10", SIZE));
        assertArrayEquals(new long[] {0, 9}, SouthboundHandler.range("bytes=0-9", SIZE));
        assertArrayEquals(new long[] {0, 299999}, SouthboundHandler.range("bytes=0-999999", SIZE));
    }

    @Test
    void positionsOfTwentyOrMoreDigitsAreReadNotThrown() {
        assertArrayEquals(new long[0], SouthboundHandler.range("bytes=99999999999999999999-", SIZE));
        assertArrayEquals(new long[] {5, 299999}, SouthboundHandler.range("bytes=5-99999999999999999999999", SIZE));
        assertArrayEquals(new long[] {0, 299999}, SouthboundHandler.range("bytes=-123456789012345678901234567890", SIZE));
        assertArrayEquals(new long[] {1, 1}, SouthboundHandler.range("bytes=000000000000000000000001-1", SIZE));
    }

    @Test
    void unsatisfiableRangesAre416AndMalformedOnesAreIgnored() {
        assertArrayEquals(new long[0], SouthboundHandler.range("bytes=300000-", SIZE));
        assertArrayEquals(new long[0], SouthboundHandler.range("bytes=-0", SIZE));
        assertNull(SouthboundHandler.range("bytes=9-3", SIZE));
        assertNull(SouthboundHandler.range("bytes=a-b", SIZE));
        assertNull(SouthboundHandler.range("items=0-9", SIZE));
        assertNull(SouthboundHandler.range("bytes=0-1,5-9", SIZE));
        assertNull(SouthboundHandler.range(null, SIZE));
    }
}
