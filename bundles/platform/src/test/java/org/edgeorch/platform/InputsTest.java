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
}
