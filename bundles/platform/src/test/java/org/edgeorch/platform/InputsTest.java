package org.edgeorch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputsTest {

    @Test
    void aLongInputIsQuotedAsAShortPrefix() {
        String quoted = Inputs.prefix("x".repeat(10_000));
        assertTrue(quoted.length() < 100, quoted);
        assertTrue(quoted.endsWith("(10000 characters)"), quoted);
        assertEquals("a\\u0000b", Inputs.prefix("a\0b"));
    }

    @Test
    void aMessageIsBoundedToOneShortLine() {
        assertEquals("project 'acme' does not exist", Inputs.bounded("project 'acme' does not exist"));
        String longName = Inputs.bounded("project '" + "z".repeat(10_000) + "' does not exist");
        assertTrue(longName.startsWith("project 'zzz") && longName.contains("(10002 characters)")
                && longName.endsWith(" does not exist") && longName.length() < 120, longName);
        assertEquals("two lines become one", Inputs.bounded("two lines\r\nbecome one"));
        assertEquals("bell \\u0007 escaped", Inputs.bounded("bell \u0007 escaped"));
        assertEquals(Inputs.MESSAGE_CHARS, Inputs.bounded("word ".repeat(1000)).length());
        String quoted = "name '" + Inputs.prefix("y".repeat(300)) + "' is wrong";
        assertEquals(quoted, Inputs.bounded(quoted), "a prefix already made is left alone");
        assertEquals("the input was refused", Inputs.bounded(null));
    }

    @Test
    void badPercentEscapesAndEncodedControlCharactersAreFound() {
        assertNull(Inputs.percentEncodingProblem("x=%20a&y=%C3%A9"));
        assertNotNull(Inputs.percentEncodingProblem("x=%zz"));
        assertNotNull(Inputs.percentEncodingProblem("/soap/%4"));
        assertNotNull(Inputs.percentEncodingProblem("/api/v1/health%00"));
        assertNotNull(Inputs.percentEncodingProblem("x=%1f"));
    }

    @Test
    void namesRefuseControlCharactersAndExcessLength() {
        assertNull(Inputs.nameProblem("name", "edge os", 63));
        assertTrue(Inputs.nameProblem("name", "a\0b", 63).startsWith("name must not contain"));
        assertTrue(Inputs.nameProblem("name", "x".repeat(10_000), 63).length() < 100);
        assertEquals("name is required", Inputs.nameProblem("name", " ", 63));
    }

    @Test
    void theErrorBodyIsJsonWithItsTextEscaped() {
        assertEquals("{\"status\":400,\"code\":\"bad_encoding\",\"message\":\"a \\\"b\\\" \\\\ \\u0001\",\"fields\":[]}",
                Inputs.errorBody(400, "bad_encoding", "a \"b\" \\ \u0001"));
    }

    @Test
    void onlyUtf8BodiesAreRead() {
        assertNull(Inputs.charsetProblem("application/json"));
        assertNull(Inputs.charsetProblem("application/json; charset=UTF-8"));
        assertNull(Inputs.charsetProblem("text/xml; charset=\"utf-8\""));
        assertTrue(Inputs.charsetProblem("application/json; charset=klingon").contains("'klingon'"));
        assertNotNull(Inputs.charsetProblem("application/json; charset=ISO-8859-1"));
    }

    @Test
    void namesAreSlugsAndARefusalQuotesAtMostAPrefix() {
        assertNull(Inputs.nameRuleProblem("name", "edge-1"));
        assertEquals("name is required", Inputs.nameRuleProblem("name", null));
        for (String bad : new String[] {"a\0b", "a\u0001", "tab\there", "Big", "-lead", "a b", "caf\u00e9", "x".repeat(64)}) {
            String problem = Inputs.nameRuleProblem("name", bad);
            assertTrue(problem != null && problem.startsWith("name '"), bad);
            assertTrue(problem.indexOf('\0') < 0 && problem.chars().noneMatch(Character::isISOControl), problem);
        }
        assertTrue(Inputs.nameRuleProblem("name", "a\0b").endsWith("it holds a control character"));
        String huge = Inputs.nameRuleProblem("name", "y".repeat(10_000));
        assertTrue(huge.length() < 250 && huge.contains("not 10000 characters"), huge);
    }

    @Test
    void textsAreOptionalBoundedAndFreeOfControlCharacters() {
        assertNull(Inputs.textProblem("description", null, 255));
        assertNull(Inputs.textProblem("description", "Berlin, Hall 2 — Süd", 255));
        assertEquals("description may have at most 255 characters, not 256",
                Inputs.textProblem("description", "d".repeat(256), 255));
        for (String bad : new String[] {"nul\0", "new\nline", "bell\u0007", "del\u007f", "c1\u0085"}) {
            String problem = Inputs.textProblem("description", bad, 255);
            assertTrue(problem != null && problem.startsWith("description must not contain control characters"), bad);
            assertTrue(problem.chars().noneMatch(Character::isISOControl), problem);
        }
    }
}
