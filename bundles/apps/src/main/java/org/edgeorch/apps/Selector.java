package org.edgeorch.apps;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes-style label selector over a host's effective metadata: requirements separated by commas, all of which
 * must hold. {@code site=berlin} (or {@code ==}), {@code tier!=pos}, {@code site in (berlin, paris)},
 * {@code site notin (rome)}, {@code gpu} (the key exists), {@code !gpu} (it does not). As in Kubernetes, {@code !=}
 * and {@code notin} also hold for a host without the key. An empty selector matches nothing (a deployment to every
 * host says so with an exists requirement on a key they all carry).
 */
public record Selector(List<Requirement> requirements) {

    /** At most this many characters, and this many requirements. */
    public static final int MAX_LENGTH = 4000;
    public static final int MAX_REQUIREMENTS = 32;

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,254}");

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    /** One requirement: a key, an operator, and its values (one for (NOT_)EQUALS, none for (NOT_)EXISTS). */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            values = Set.copyOf(values);
        }

        public boolean matches(Map<String, String> metadata) {
            String value = metadata.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + values.iterator().next();
                case NOT_EQUALS -> key + "!=" + values.iterator().next();
                case IN -> key + " in (" + values.stream().sorted().collect(Collectors.joining(", ")) + ")";
                case NOT_IN -> key + " notin (" + values.stream().sorted().collect(Collectors.joining(", ")) + ")";
                case EXISTS -> key;
                case NOT_EXISTS -> "!" + key;
            };
        }
    }

    /** A selector's text could not be read; the message says where and what was expected. */
    public static final class SyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    public Selector {
        requirements = List.copyOf(requirements);
    }

    /** Whether every requirement holds for this metadata (false for a selector without requirements). */
    public boolean matches(Map<String, String> metadata) {
        if (requirements.isEmpty()) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(metadata)) {
                return false;
            }
        }
        return true;
    }

    /** The keys the selector reads. */
    public Set<String> keys() {
        return requirements.stream().map(Requirement::key).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(", "));
    }

    /**
     * Reads a selector.
     *
     * @throws SyntaxException with the position (from 1) and what was expected; a long input is never echoed
     */
    public static Selector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SyntaxException("the selector is empty: give at least one requirement, for example site=berlin");
        }
        if (text.length() > MAX_LENGTH) {
            throw new SyntaxException("the selector is " + text.length() + " characters; at most " + MAX_LENGTH);
        }
        return new Parser(text).selector();
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Selector selector() {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                out.add(requirement());
                if (out.size() > MAX_REQUIREMENTS) {
                    throw new SyntaxException("the selector has more than " + MAX_REQUIREMENTS + " requirements");
                }
                space();
                if (i == s.length()) {
                    return new Selector(out);
                }
                if (s.charAt(i) != ',') {
                    throw expected("',' between requirements");
                }
                i++;
            }
        }

        Requirement requirement() {
            space();
            if (peek('!')) {
                i++;
                space();
                return new Requirement(key(), Operator.NOT_EXISTS, Set.of());
            }
            String key = key();
            space();
            if (i == s.length() || s.charAt(i) == ',') {
                return new Requirement(key, Operator.EXISTS, Set.of());
            }
            if (s.startsWith("==", i)) {
                i += 2;
                return new Requirement(key, Operator.EQUALS, Set.of(value()));
            }
            if (s.startsWith("!=", i)) {
                i += 2;
                return new Requirement(key, Operator.NOT_EQUALS, Set.of(value()));
            }
            if (peek('=')) {
                i++;
                return new Requirement(key, Operator.EQUALS, Set.of(value()));
            }
            if (word("notin")) {
                return new Requirement(key, Operator.NOT_IN, set());
            }
            if (word("in")) {
                return new Requirement(key, Operator.IN, set());
            }
            throw expected("'=', '==', '!=', 'in', 'notin', ',' or the end after the key '" + key + "'");
        }

        private boolean word(String w) {
            if (s.startsWith(w, i)) {
                int end = i + w.length();
                if (end < s.length() && (Character.isWhitespace(s.charAt(end)) || s.charAt(end) == '(')) {
                    i = end;
                    return true;
                }
            }
            return false;
        }

        private Set<String> set() {
            space();
            if (!peek('(')) {
                throw expected("'(' to open the set of values");
            }
            i++;
            Set<String> values = new LinkedHashSet<>();
            while (true) {
                values.add(value());
                space();
                if (peek(')')) {
                    i++;
                    return values;
                }
                if (!peek(',')) {
                    throw expected("',' or ')' in the set of values");
                }
                i++;
            }
        }

        private String key() {
            int start = i;
            while (i < s.length() && "=!,() \t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String key = s.substring(start, i);
            if (key.isEmpty()) {
                i = start;
                throw expected("a metadata key");
            }
            if (!KEY.matcher(key).matches()) {
                i = start;
                throw expected("a metadata key of 1-63 characters of a-z, 0-9, '.', '_' and '-', starting with a"
                        + " letter or digit, not '" + shorten(key) + "'");
            }
            return key;
        }

        private String value() {
            space();
            int start = i;
            while (i < s.length() && "=!,() \t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String value = s.substring(start, i);
            if (!VALUE.matcher(value).matches()) {
                i = start;
                throw expected(value.isEmpty() ? "a value" : "a value of 1-255 characters of A-Z, a-z, 0-9 and"
                        + " '._:/@+-', starting with a letter or digit, not '" + shorten(value) + "'");
            }
            return value;
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private SyntaxException expected(String what) {
            return new SyntaxException("selector, at character " + (i + 1) + ": expected " + what);
        }

        private static String shorten(String text) {
            return text.length() <= 32 ? text : text.substring(0, 32) + "…";
        }
    }
}
