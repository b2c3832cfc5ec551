package org.edgeorch.shell;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * The base of every {@code edge:*} command: what was repeated in each command class, once. A command implements
 * {@link #run()}; a refusal of its input ({@link InputException}, from {@link #choice}, {@link #pairs} or the
 * command itself) becomes one {@code Error:} line, never a stack trace. Subclasses that call a domain add the
 * domain's own refusals in {@link #refusal(Exception)}.
 */
public abstract class EdgeCommand implements Action {

    @Override
    public final Object execute() throws Exception {
        try {
            run();
        } catch (Exception e) {
            String message = refusal(e);
            if (message == null) {
                throw e;
            }
            error(message);
        }
        return null;
    }

    /** Does the command's work. */
    protected abstract void run() throws Exception;

    /** The line to print for a refusal, or null when {@code e} is not one (it then propagates as a failure). */
    protected String refusal(Exception e) {
        return e instanceof InputException ? e.getMessage() : null;
    }

    /**
     * Prints an error line. It goes to standard output: Karaf does not forward a command's standard error to SSH
     * exec channels and {@code bin/client} batch runs, where the message would be lost.
     */
    public static void error(String message) {
        System.out.println(message.startsWith("Error:") ? message : "Error: " + message);
    }

    /** A table with these column headers. */
    public static ShellTable table(String... columns) {
        ShellTable t = new ShellTable();
        for (String c : columns) {
            t.column(c);
        }
        return t;
    }

    /** The value as text, or {@code -} when there is none. */
    public static String orDash(Object value) {
        return value == null || value.toString().isBlank() ? "-" : value.toString();
    }

    /** The constant of {@code type} named by an option's value (any case), null for none, refused when unknown. */
    public static <E extends Enum<E>> E choice(Class<E> type, String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException(option, option + " '" + brief(value) + "' is not one of "
                    + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
        }
    }

    /** Repeated {@code key=value} option values as a map in the order given; a value without a key is refused. */
    public static Map<String, String> pairs(String option, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : values == null ? List.<String>of() : values) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InputException(option, option + " '" + brief(pair) + "' must be key=value");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /** An input as it may be quoted back: at most 40 characters. */
    public static String brief(String input) {
        return input.length() <= 40 ? input : input.substring(0, 40) + "…";
    }

    /** The command's input was refused; the message says which option or argument and why. */
    public static class InputException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String field;

        public InputException(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The option or argument refused. */
        public String field() {
            return field;
        }
    }
}
