package org.edgeorch.agent.update;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader of the BER/DER encoding, enough for CMS: tag-length-value elements with definite lengths and, for
 * constructed elements, the indefinite length that BER allows. Every length is checked against what encloses
 * it, and nesting is bounded, so no input makes it read outside the array or recurse without end.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int OID = 0x06;
    static final int OCTET_STRING = 0x04;
    static final int INTEGER = 0x02;
    private static final int MAX_DEPTH = 32;

    /** The input does not parse. */
    static final class DerException extends Exception {
        private static final long serialVersionUID = 1L;

        DerException(String message) {
            super(message);
        }
    }

    /**
     * One element.
     *
     * @param tag        the identifier octet (single-octet tags only)
     * @param start      where the element begins (its tag)
     * @param valueStart where its content begins
     * @param valueEnd   where its content ends (before the end-of-contents octets of an indefinite length)
     * @param end        where the element ends
     */
    record Tlv(byte[] buf, int tag, int start, int valueStart, int valueEnd, int end) {

        boolean constructed() {
            return (tag & 0x20) != 0;
        }

        /** The content octets. */
        byte[] value() {
            return java.util.Arrays.copyOfRange(buf, valueStart, valueEnd);
        }

        /** The whole element as encoded. */
        byte[] encoded() {
            return java.util.Arrays.copyOfRange(buf, start, end);
        }

        /** The elements inside a constructed element. */
        List<Tlv> children() throws DerException {
            if (!constructed()) {
                throw new DerException("element with tag 0x" + Integer.toHexString(tag) + " is not constructed");
            }
            return Der.children(buf, valueStart, valueEnd, 1);
        }

        Tlv expect(int wanted, String what) throws DerException {
            if (tag != wanted) {
                throw new DerException(what + ": expected tag 0x" + Integer.toHexString(wanted) + ", found 0x" + Integer.toHexString(tag));
            }
            return this;
        }
    }

    private Der() {
    }

    /** The one element that makes up the whole input. */
    static Tlv parse(byte[] buf) throws DerException {
        Tlv t = read(buf, 0, buf.length, 0);
        if (t.end() != buf.length) {
            throw new DerException((buf.length - t.end()) + " bytes follow the encoded structure");
        }
        return t;
    }

    static List<Tlv> children(byte[] buf, int from, int to, int depth) throws DerException {
        List<Tlv> out = new ArrayList<>();
        for (int pos = from; pos < to; ) {
            Tlv t = read(buf, pos, to, depth);
            out.add(t);
            pos = t.end();
        }
        return out;
    }

    private static Tlv read(byte[] buf, int pos, int limit, int depth) throws DerException {
        if (depth > MAX_DEPTH) {
            throw new DerException("nested more than " + MAX_DEPTH + " levels deep");
        }
        if (pos + 2 > limit) {
            throw new DerException("truncated at byte " + pos);
        }
        int tag = buf[pos] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new DerException("multi-octet tag at byte " + pos);
        }
        int first = buf[pos + 1] & 0xff;
        int valueStart = pos + 2;
        if (first == 0x80) {
            if ((tag & 0x20) == 0) {
                throw new DerException("indefinite length on a primitive element at byte " + pos);
            }
            int p = valueStart;
            while (true) {
                if (p + 2 > limit) {
                    throw new DerException("indefinite-length element at byte " + pos + " has no end-of-contents");
                }
                if (buf[p] == 0 && buf[p + 1] == 0) {
                    return new Tlv(buf, tag, pos, valueStart, p, p + 2);
                }
                p = read(buf, p, limit, depth + 1).end();
            }
        }
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n > 4 || valueStart + n > limit) {
                throw new DerException("bad length at byte " + pos);
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (buf[valueStart + i] & 0xff);
            }
            valueStart += n;
        }
        if (length > limit - valueStart) {
            throw new DerException("element at byte " + pos + " claims " + length + " bytes; " + (limit - valueStart) + " remain");
        }
        int end = valueStart + (int) length;
        if ((tag & 0x20) != 0) {
            children(buf, valueStart, end, depth + 1);
        }
        return new Tlv(buf, tag, pos, valueStart, end, end);
    }

    /** An object identifier's dotted form. */
    static String oid(Tlv t) throws DerException {
        t.expect(OID, "object identifier");
        byte[] v = t.value();
        if (v.length == 0) {
            throw new DerException("empty object identifier");
        }
        StringBuilder b = new StringBuilder();
        long value = 0;
        boolean firstArc = true;
        for (int i = 0; i < v.length; i++) {
            if (value > (Long.MAX_VALUE >> 7)) {
                throw new DerException("object identifier arc too large");
            }
            value = (value << 7) | (v[i] & 0x7f);
            if ((v[i] & 0x80) == 0) {
                if (firstArc) {
                    long top = Math.min(2, value / 40);
                    b.append(top).append('.').append(value - top * 40);
                    firstArc = false;
                } else {
                    b.append('.').append(value);
                }
                value = 0;
            } else if (i == v.length - 1) {
                throw new DerException("object identifier ends inside an arc");
            }
        }
        return b.toString();
    }
}
