package org.edgeorch.shell;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.platform.Inputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every {@code edge:*} command: what was repeated in each command class, once. A command implements
 * {@link #run()}; a refusal of its input ({@link InputException}, from {@link #choice}, {@link #pairs},
 * {@link #instant}, {@link #duration}, {@link #text} or the command itself) becomes one {@code Error:} line, never a
 * stack trace. Subclasses that call a domain add the domain's own refusals in {@link #refusal(Exception)}. Anything
 * else that goes wrong is one line too, naming the command; its stack trace goes to the log, not to the user. Every
 * line is {@link Inputs#bounded bounded}: a long input a message quotes is cut to a prefix. (Mistakes in the line
 * itself, such as an unknown option or a word where a number belongs, are refused before the command runs, by
 * {@link OptionsAnywhere}.)
 */
public abstract class EdgeCommand implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeCommand.class);

    @Override
    public final Object execute() throws Exception {
        try {
            run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String message = refusal(e);
            if (message != null) {
                error(message);
            } else {
                LOG.warn("{} failed", name(), e);
                error(name() + " failed unexpectedly; the log has the details");
            }
        }
        return null;
    }

    /** Does the command's work. */
    protected abstract void run() throws Exception;

    /** The line to print for a refusal, or null when {@code e} is not one (it is then a failure, logged). */
    protected String refusal(Exception e) {
        return e instanceof InputException ? e.getMessage() : null;
    }

    /** The command's name as typed: {@code edge:host-list}. */
    protected final String name() {
        Command c = getClass().getAnnotation(Command.class);
        return c == null ? getClass().getSimpleName() : c.scope() + ":" + c.name();
    }

    /**
     * Prints an error line. It goes to standard output: Karaf does not forward a command's standard error to SSH
     * exec channels and {@code bin/client} batch runs, where the message would be lost.
     */
    public static void error(String message) {
        System.out.println(line(message));
    }

    /** An error as the shell shows it: {@code Error: } and the message, on one bounded line. */
    public static String line(String message) {
        String m = message != null && message.startsWith("Error:") ? message.substring("Error:".length()) : message;
        return "Error: " + Inputs.bounded(m);
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

    /** An input as it may be quoted back: a short prefix, control characters escaped ({@link Inputs#prefix}). */
    public static String brief(String input) {
        return Inputs.prefix(input);
    }

    /** An option's ISO-8601 instant ({@code 2026-01-31T12:00:00Z}), null for none. */
    public static Instant instant(String option, String value) {
        try {
            return value == null ? null : Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InputException(option, option + " '" + brief(value) + "' is not an ISO-8601 instant such as"
                    + " 2026-01-31T12:00:00Z");
        }
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    /**
     * An option's duration: {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d} or ISO-8601 ({@code PT30M},
     * {@code P7D}); null for none.
     */
    public static Duration duration(String option, String value) {
        if (value == null) {
            return null;
        }
        String t = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InputException(option, option + " '" + brief(value) + "' is not a duration; write 30m, 12h, 7d"
                    + " or ISO-8601 such as PT30M or P7D");
        }
    }

    /** A whole number inside an option's value; {@code what} says where it stands (e.g. {@code --wave: count}). */
    public static int whole(String option, String what, String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new InputException(option, what + " needs a whole number, not '" + brief(value) + "'");
        }
    }

    /** The largest file a command reads: manifests, PEM files, CSV lists and signatures are far smaller. */
    public static final long FILE_BYTES = 16L * 1024 * 1024;

    /**
     * A readable regular file on this machine that an option or argument names; one that is missing, not a regular
     * file or unreadable is refused in words.
     */
    public static Path readable(String option, String path) {
        if (path == null || path.isBlank()) {
            throw new InputException(option, option + " is required");
        }
        String where = option + " '" + brief(path) + "'";
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw new InputException(option, where + " is not a valid file name");
        }
        if (!Files.exists(p)) {
            throw new InputException(option, where + " does not exist on this machine");
        }
        if (!Files.isRegularFile(p)) {
            throw new InputException(option, where + " is not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new InputException(option, where + " cannot be read: permission denied");
        }
        return p;
    }

    /**
     * The bytes of a {@link #readable} file that an option or argument names; one larger than {@value #FILE_BYTES}
     * bytes, or that fails to read, is refused in words.
     */
    public static byte[] file(String option, String path) {
        Path p = readable(option, path);
        String where = option + " '" + brief(path) + "'";
        try {
            if (Files.size(p) > FILE_BYTES) {
                throw new InputException(option, where + " is larger than " + FILE_BYTES / (1024 * 1024) + " MB");
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new InputException(option, where + " cannot be read");
        }
    }

    /** A text file (UTF-8) that an option or argument names, refused as {@link #file} says. */
    public static String text(String option, String path) {
        byte[] bytes = file(option, path);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(option, option + " '" + brief(path) + "' is not UTF-8 text");
        }
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
