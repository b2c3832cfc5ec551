package org.edgeorch.shell;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.edgeorch.platform.Inputs;

/**
 * What a command accepts on its line: its options (by name and alias) and its arguments in order, read from the
 * action class the way Karaf reads them. {@link #problem} checks a line before Karaf binds it, so that a mistake is
 * one line in the product's words: Karaf's own refusals quote the input whole, span two lines ("undefined option")
 * and name Java types ("to type java.lang.Double").
 */
final class CommandSyntax {

    private static final String HELP = "--help";

    private final String command;

    private final Map<String, Field> options = new HashMap<>();

    private final List<Field> arguments = new ArrayList<>();

    private CommandSyntax(String command) {
        this.command = command;
    }

    /** The syntax of an action class (fields of its superclasses included). */
    static CommandSyntax of(Class<?> action) {
        Command c = action.getAnnotation(Command.class);
        CommandSyntax syntax = new CommandSyntax(c == null ? action.getSimpleName() : c.scope() + ":" + c.name());
        Map<Integer, Field> byIndex = new java.util.TreeMap<>();
        for (Class<?> type = action; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                if (option != null) {
                    syntax.options.put(option.name(), field);
                    Arrays.stream(option.aliases()).forEach(alias -> syntax.options.put(alias, field));
                }
                Argument argument = field.getAnnotation(Argument.class);
                if (argument != null) {
                    byIndex.putIfAbsent(argument.index(), field);
                }
            }
        }
        syntax.arguments.addAll(byIndex.values());
        return syntax;
    }

    /** Each option name and alias (and {@code --help}) with whether it takes a value. */
    Map<String, Boolean> takesValue() {
        Map<String, Boolean> out = new HashMap<>();
        out.put(HELP, false);
        options.forEach((name, field) -> out.put(name, !flag(field)));
        return out;
    }

    /**
     * Null when Karaf will bind this line (its words, the command first) once its options are moved in front
     * ({@link OptionsAnywhere#reorder}); else what is wrong, in one
     * sentence that names the option or argument and quotes at most a prefix of the input.
     */
    String problem(String[] line) {
        List<String> words = OptionsAnywhere.reorder(line, takesValue());
        if (words.contains(HELP)) {
            return null;
        }
        String last = line[line.length - 1];
        Field dangling = line.length > 1 ? options.get(last) : null;
        if (dangling != null && !flag(dangling)) {
            return "option " + last + " needs a value" + hint(); // moved in front, it would take an argument as its value
        }
        Set<Field> given = new HashSet<>();
        boolean inOptions = true;
        int next = 0;
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (inOptions && word.startsWith("-")) {
                int eq = word.indexOf('=');
                String name = eq >= 0 ? word.substring(0, eq) : word;
                Field field = options.get(name);
                if (field == null) {
                    return "unknown option '" + Inputs.prefix(name) + "'" + hint();
                }
                String value = eq >= 0 ? word.substring(eq + 1) : null;
                if (value == null && !flag(field)) {
                    if (i + 1 == words.size()) {
                        return "option " + name + " needs a value" + hint();
                    }
                    value = words.get(++i);
                }
                String problem = value == null || flag(field) ? null : valueProblem("option " + name, value, field);
                if (problem != null) {
                    return problem;
                }
                given.add(field);
            } else {
                inOptions = false;
                if (next >= arguments.size()) {
                    return "too many arguments: " + command + " takes " + (arguments.isEmpty() ? "none"
                            : arguments.stream().map(CommandSyntax::name).collect(Collectors.joining(", "))) + hint();
                }
                Field field = arguments.get(next);
                if (!field.getAnnotation(Argument.class).multiValued()) {
                    next++;
                }
                String problem = valueProblem("argument " + name(field), word, field);
                if (problem != null) {
                    return problem;
                }
                given.add(field);
            }
        }
        Map<String, Field> required = new LinkedHashMap<>();
        options.values().stream().distinct().filter(f -> f.getAnnotation(Option.class).required())
                .forEach(f -> required.put("option " + f.getAnnotation(Option.class).name(), f));
        arguments.stream().filter(f -> f.getAnnotation(Argument.class).required()).forEach(f -> required.put("argument " + name(f), f));
        for (Map.Entry<String, Field> r : required.entrySet()) {
            if (!given.contains(r.getValue())) {
                return r.getKey() + " is required" + hint();
            }
        }
        return null;
    }

    private String hint() {
        return " (" + command + " --help shows the syntax)";
    }

    /** An argument's name as Karaf shows it: the one given, or the field's. */
    private static String name(Field field) {
        String name = field.getAnnotation(Argument.class).name();
        return Argument.DEFAULT.equals(name) ? field.getName() : name;
    }

    private static boolean flag(Field field) {
        return field.getType() == boolean.class || field.getType() == Boolean.class;
    }

    /** Null when the value converts to the field's type (or its elements' type for a list); else what is wrong. */
    static String valueProblem(String label, String raw, Field field) {
        if (raw.contains("$") || raw.startsWith("(") || raw.startsWith("{") || raw.startsWith("[")) {
            return null; // the shell evaluates it first: Karaf converts the result
        }
        String value = unquoted(raw);
        Class<?> type = elementType(field.getGenericType());
        long min;
        long max;
        if (type == int.class || type == Integer.class) {
            min = Integer.MIN_VALUE;
            max = Integer.MAX_VALUE;
        } else if (type == long.class || type == Long.class) {
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        } else if (type == short.class || type == Short.class) {
            min = Short.MIN_VALUE;
            max = Short.MAX_VALUE;
        } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return decimal(value) ? null : label + " must be a number, not '" + Inputs.prefix(value) + "'";
        } else {
            return null;
        }
        return whole(value, min, max) ? null
                : label + " must be a whole number from " + min + " to " + max + ", not '" + Inputs.prefix(value) + "'";
    }

    private static boolean whole(String value, long min, long max) {
        if (!value.matches("[+-]?\\d{1,30}")) {
            return false;
        }
        BigInteger n = new BigInteger(value);
        return n.compareTo(BigInteger.valueOf(min)) >= 0 && n.compareTo(BigInteger.valueOf(max)) <= 0;
    }

    private static boolean decimal(String value) {
        if (!value.matches("[+-]?(\\d{1,30}(\\.\\d{0,30})?|\\.\\d{1,30})([eE][+-]?\\d{1,3})?")) {
            return false; // no NaN, Infinity, hex or type suffix, which Java would accept
        }
        return Double.isFinite(Double.parseDouble(value));
    }

    private static String unquoted(String raw) {
        if (raw.length() >= 2 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'') && raw.charAt(raw.length() - 1) == raw.charAt(0)) {
            return raw.substring(1, raw.length() - 1);
        }
        return raw;
    }

    private static Class<?> elementType(Type type) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            Type element = p.getActualTypeArguments()[0];
            return element instanceof Class<?> c ? c : Object.class;
        }
        return type instanceof Class<?> c ? c : Object.class;
    }
}
