package org.edgeorch.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.parsing.DefaultParser;

/**
 * Lets a command's options come anywhere on its line: {@code edge:host-list prod --site berlin} works like
 * {@code edge:host-list --site berlin prod}. Karaf binds options only before the first argument; this parser moves
 * every known option (with its value) in front of the arguments before Karaf sees the line. An unknown word
 * starting with {@code --} is an option wherever it stands (and refused by name); an unknown {@code -x} is an option
 * only before the first argument, so a negative number still reaches its argument. The line is then checked against
 * the command's syntax ({@link CommandSyntax}): a mistake (an unknown option, a missing value or argument, too many
 * arguments, a value that is not a number) is refused here, as one {@code Error:} line. A command opts in with
 * {@code @Parsing(OptionsAnywhere.class)}.
 */
@Service
public class OptionsAnywhere extends DefaultParser {

    @Override
    public String preprocess(Session session, CommandLine line) {
        String[] words = line.getArguments();
        CommandSyntax syntax = words.length == 0 ? null : syntaxOf(session, words[0]);
        if (syntax == null) {
            return super.preprocess(session, line);
        }
        String problem = syntax.problem(words);
        if (problem != null) {
            throw OptionsAnywhere.<RuntimeException>unchecked(refusal(problem));
        }
        return String.join(" ", reorder(words, syntax.takesValue()));
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
            } else if ((arguments.isEmpty() && word.startsWith("-")) || (word.startsWith("--") && word.length() > 2)) {
                front.add(word);
            } else {
                arguments.add(word);
            }
        }
        front.addAll(arguments);
        return front;
    }

    /** The syntax of the command named, or null when it is not a command this parser knows how to read. */
    private static CommandSyntax syntaxOf(Session session, String word) {
        String name = session.resolveCommand(word);
        for (Command command : session.getRegistry().getCommands()) {
            if (name.equals(command.getScope() + ":" + command.getName())) {
                Class<?> action = actionClass(command);
                return action == null ? null : CommandSyntax.of(action);
            }
        }
        return null;
    }

    /** Option names and aliases of an action class (and its superclasses), each with whether it takes a value. */
    static Map<String, Boolean> options(Class<?> action) {
        return CommandSyntax.of(action).takesValue();
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

    /**
     * Refuses the line the way Karaf refuses an undefined option: with its {@code CommandException}, whose help text
     * the shell prints as it is (one line here), logs at debug only, and which ends an SSH or {@code bin/client} run
     * with a failure status. {@link org.apache.karaf.shell.api.console.Parser#preprocess} declares no exception, so
     * this checked one is thrown unchecked.
     */
    static CommandException refusal(String problem) {
        return new CommandException(EdgeCommand.line(problem), problem);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Exception> T unchecked(Exception e) throws T {
        throw (T) e;
    }
}
