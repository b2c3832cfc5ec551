package org.edgeorch.platform;

/**
 * Checks of client input shared by the adapters (REST, SOAP, shell), so that each answers the same refusal: the field
 * is named, no more than a short prefix of the input is echoed and no internal class is mentioned.
 */
public final class Inputs {

    /** How much of a refused input an error message may quote. */
    public static final int ECHO_CHARS = 64;

    private Inputs() {
    }

    /** The input as an error message may quote it: at most {@value #ECHO_CHARS} characters, control characters escaped. */
    public static String prefix(Object input) {
        if (input == null) {
            return "null";
        }
        String s = String.valueOf(input);
        StringBuilder b = new StringBuilder();
        int n = Math.min(s.length(), ECHO_CHARS);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > ECHO_CHARS) {
            b.append("... (").append(s.length()).append(" characters)");
        }
        return b.toString();
    }

    /** The longest error message an adapter gives back: one shell line, a short JSON message. */
    public static final int MESSAGE_CHARS = 400;

    /**
     * A message as it may be shown on one line: line breaks become spaces, other control characters are escaped, a
     * word (a run of non-space characters, such as a name or a path quoted by a domain) longer than twice
     * {@value #ECHO_CHARS} characters is cut to its {@link #prefix(Object) prefix}, and the whole is at most
     * {@value #MESSAGE_CHARS} characters. For messages built elsewhere that may quote a client's input whole.
     */
    public static String bounded(String message) {
        if (message == null || message.isBlank()) {
            return "the input was refused";
        }
        StringBuilder out = new StringBuilder();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= message.length(); i++) {
            char c = i < message.length() ? message.charAt(i) : ' ';
            boolean lineBreak = c == '\n' || c == '\r';
            if (c == ' ' || c == '\t' || lineBreak) {
                if (word.length() > 0) {
                    out.append(word.length() > 2 * ECHO_CHARS ? prefix(word) : word);
                    word.setLength(0);
                }
                if (i < message.length() && (out.length() == 0 || out.charAt(out.length() - 1) != ' ')) {
                    out.append(' ');
                }
            } else if (Character.isISOControl(c)) {
                word.append(String.format("\\u%04x", (int) c));
            } else {
                word.append(c);
            }
        }
        String line = out.toString().strip();
        return line.length() <= MESSAGE_CHARS ? line : line.substring(0, MESSAGE_CHARS - 3) + "...";
    }

    /**
     * Null when {@code raw} (a request path or query as sent, still percent-encoded) is well formed: every {@code %}
     * followed by two hex digits, none of them encoding NUL or another control character; else what is wrong.
     */
    public static String percentEncodingProblem(String raw) {
        if (raw == null) {
            return null;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "a control character is not allowed";
            }
            if (c != '%') {
                continue;
            }
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                    || Character.digit(raw.charAt(i + 2), 16) < 0) {
                return "'%' must be followed by two hex digits (at character " + (i + 1) + ")";
            }
            int v = Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16);
            if (v < 0x20 || v == 0x7f) {
                return "an encoded control character (%" + raw.substring(i + 1, i + 3) + ") is not allowed";
            }
            i += 2;
        }
        return null;
    }

    /** The longest name: what every name column holds. */
    public static final int NAME_CHARS = 63;

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /**
     * Null when {@code value} is a name of the product (of a region, site, cluster, host, token, window, rollout,
     * application, profile, deployment, alert rule, organisation, project...): 1 to {@value #NAME_CHARS} characters of
     * a-z, 0-9 and '-', starting with a letter or digit, so no NUL, control, space or non-ASCII character; else what is
     * wrong, naming {@code field} and quoting at most a prefix of the input.
     */
    public static String nameRuleProblem(String field, String value) {
        if (value == null || value.isEmpty()) {
            return field + " is required";
        }
        if (NAME.matcher(value).matches()) {
            return null;
        }
        return field + " '" + prefix(value) + "' must be 1-" + NAME_CHARS + " characters of a-z, 0-9 and '-', starting"
                + " with a letter or digit" + (value.length() > NAME_CHARS ? ", not " + value.length() + " characters" : "")
                + (hasControl(value) ? "; it holds a control character" : "");
    }

    /**
     * Null when {@code value} is absent or a free text (a display name, description, comment, reason, address, metadata
     * value) of at most {@code maxLength} characters without NUL or another control character; else what is wrong,
     * naming {@code field} and never quoting more than a prefix of the input.
     */
    public static String textProblem(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return field + " may have at most " + maxLength + " characters, not " + value.length();
        }
        if (hasControl(value)) {
            return field + " must not contain control characters (" + prefix(value) + ")";
        }
        return null;
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Null when {@code value} is an acceptable free-text name of at most {@code maxLength} characters: not blank, no
     * NUL or other control character; else what is wrong, naming {@code field}.
     */
    public static String nameProblem(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return field + " is required";
        }
        return textProblem(field, value, maxLength);
    }

    /**
     * Null when a body of this {@code Content-Type} can be read: no charset, or UTF-8 (US-ASCII being part of it; JSON
     * is UTF-8, RFC 8259, and so are the SOAP envelopes and CSV files the product reads); else what is wrong.
     */
    public static String charsetProblem(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq < 0 || !param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                continue;
            }
            String name = param.substring(eq + 1).strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if (!n.equals("utf-8") && !n.equals("utf8") && !n.equals("us-ascii")) {
                return "charset '" + prefix(name) + "' is not supported; bodies are UTF-8";
            }
        }
        return null;
    }

    /**
     * The product's JSON error body ({@code {"status":..,"code":..,"message":..,"fields":[]}}, the REST API's
     * {@code Error}), for answers given before or outside JAX-RS: by the HTTP layer or a servlet.
     */
    public static String errorBody(int status, String code, String message) {
        return "{\"status\":" + status + ",\"code\":" + json(code) + ",\"message\":" + json(message) + ",\"fields\":[]}";
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
