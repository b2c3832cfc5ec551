package org.edgeorch.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SelectorTest {

    private static final Map<String, String> BERLIN_POS = Map.of("site", "berlin", "tier", "pos", "gpu", "nvidia");
    private static final Map<String, String> PARIS_BACK = Map.of("site", "paris", "tier", "back-office");

    @Test
    void equalityAndInequalityAsKubernetesReadsThem() {
        assertTrue(Selector.parse("site=berlin, tier=pos").matches(BERLIN_POS));
        assertTrue(Selector.parse("site==berlin").matches(BERLIN_POS));
        assertFalse(Selector.parse("site=berlin,tier=pos").matches(PARIS_BACK));
        assertTrue(Selector.parse("site!=berlin").matches(PARIS_BACK));
        // != holds for a host without the key, as in Kubernetes
        assertTrue(Selector.parse("gpu!=nvidia").matches(PARIS_BACK));
        assertFalse(Selector.parse("gpu!=nvidia").matches(BERLIN_POS));
    }

    @Test
    void setBasedAndExistence() {
        assertTrue(Selector.parse("site in (berlin, paris)").matches(PARIS_BACK));
        assertFalse(Selector.parse("site in (rome,madrid)").matches(PARIS_BACK));
        assertTrue(Selector.parse("site notin (rome)").matches(PARIS_BACK));
        assertTrue(Selector.parse("tier notin (pos)").matches(Map.of()));
        assertTrue(Selector.parse("gpu").matches(BERLIN_POS));
        assertFalse(Selector.parse("gpu").matches(PARIS_BACK));
        assertTrue(Selector.parse("!gpu, site in(paris)").matches(PARIS_BACK));
        assertEquals("site in (berlin, paris), !gpu, tier=pos",
                Selector.parse("  site  in(paris,berlin) , ! gpu,tier = pos ").toString());
    }

    @Test
    void syntaxErrorsSayWhereAndWhatWasExpectedWithoutEchoingLongInput() {
        assertEquals("selector, at character 6: expected '=', '==', '!=', 'in', 'notin', ',' or the end after the key 'site'",
                assertThrows(Selector.SyntaxException.class, () -> Selector.parse("site >berlin")).getMessage());
        assertEquals("selector, at character 12: expected ',' or ')' in the set of values",
                assertThrows(Selector.SyntaxException.class, () -> Selector.parse("site in (a b)")).getMessage());
        assertTrue(assertThrows(Selector.SyntaxException.class, () -> Selector.parse("site in berlin")).getMessage()
                .contains("'(' to open the set of values"));
        assertTrue(assertThrows(Selector.SyntaxException.class, () -> Selector.parse("Site=x")).getMessage()
                .contains("a metadata key of 1-63 characters"));
        assertTrue(assertThrows(Selector.SyntaxException.class, () -> Selector.parse("site=")).getMessage()
                .contains("expected a value"));
        assertTrue(assertThrows(Selector.SyntaxException.class, () -> Selector.parse("site=a,,")).getMessage()
                .contains("expected a metadata key"));
        assertTrue(assertThrows(Selector.SyntaxException.class, () -> Selector.parse(" ")).getMessage()
                .contains("empty"));
        String longValue = "x".repeat(3000);
        String message = assertThrows(Selector.SyntaxException.class, () -> Selector.parse("site=" + longValue + "!"))
                .getMessage();
        assertTrue(message.length() < 300, message);
        assertTrue(assertThrows(Selector.SyntaxException.class, () -> Selector.parse("a".repeat(4001))).getMessage()
                .contains("at most 4000"));
    }
}
