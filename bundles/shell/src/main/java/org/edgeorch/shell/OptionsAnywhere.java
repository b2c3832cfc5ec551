package org.edgeorch.shell;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.parsing.DefaultParser;

/**
 * Lets a command's options come anywhere on its line: {@code edge:host-list prod --site berlin} works like
 * {@code edge:host-list --site berlin prod}. Karaf binds options only before the first argument; this parser moves
 * every known option (with its value) in front of the arguments before Karaf sees the line. An unknown
 * {@code -x} before the first argument stays an option (Karaf refuses it by name); after one it is an argument, so
 * a negative number still reaches its argument. A command opts in with {@code @Parsing(OptionsAnywhere.class)}.
 */
@Service
public class OptionsAnywhere extends DefaultParser {

    @Override
    public String preprocess(Session session, CommandLine line) {
        String[] words = line.getArguments();
        Map<String, Boolean> options = words.length < 3 ? null : optionsOf(session, words[0]);
        return options == null ? super.preprocess(session, line) : String.join(" ", reorder(words, options));
    }

    /**
     * The words with the options first: {@code options} maps each option name and alias to whether it takes a
     * value. The first word is the command.
     */
    static List<String> reorder(String[] words, Map<String, Boolean> options) {
        List<String> front = new ArrayList<>(List.of(words[0]));
        List<String> arguments = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            int eq = word.indexOf('=');
            Boolean takesValue = options.get(eq > 0 ? word.substring(0, eq) : word);
            if (takesValue != null) {
                front.add(word);
                if (takesValue && eq < 0 && i + 1 < words.length) {
                    front.add(words[++i]);
                }
            } else if (arguments.isEmpty() && word.startsWith("-")) {
                front.add(word);
            } else {
                arguments.add(word);
            }
        }
        front.addAll(arguments);
        return front;
    }

    /** The options of the command named, or null when it is not a command this parser knows how to read. */
    private static Map<String, Boolean> optionsOf(Session session, String word) {
        String name = session.resolveCommand(word);
        for (Command command : session.getRegistry().getCommands()) {
            if (name.equals(command.getScope() + ":" + command.getName())) {
                Class<?> action = actionClass(command);
                return action == null ? null : options(action);
            }
        }
        return null;
    }

    /** Option names and aliases of an action class (and its superclasses), each with whether it takes a value. */
    static Map<String, Boolean> options(Class<?> action) {
        Map<String, Boolean> options = new HashMap<>();
        options.put("--help", false);
        for (Class<?> type = action; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                if (option != null) {
                    boolean flag = field.getType() == boolean.class || field.getType() == Boolean.class;
                    options.put(option.name(), !flag);
                    Arrays.stream(option.aliases()).forEach(alias -> options.put(alias, !flag));
                }
            }
        }
        return options;
    }

    /** The action class behind one of Karaf's action commands (its {@code getActionClass()}), or null. */
    private static Class<?> actionClass(Command command) {
        try {
            Object type = command.getClass().getMethod("getActionClass").invoke(command);
            return type instanceof Class<?> c ? c : null;
        } catch (ReflectiveOperationException | RuntimeException notAnActionCommand) {
            return null;
        }
    }
}
