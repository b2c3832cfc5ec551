package org.edgeorch.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;

/** Options move in front of the arguments, with their values; everything else keeps its order. */
class OptionsAnywhereTest {

    static class Base extends EdgeCommand {
        @Option(name = "--offset")
        int offset;

        @Override
        protected void run() {
        }
    }

    static class HostList extends Base {
        @Option(name = "-s", aliases = "--site")
        String site;

        @Option(name = "--meta", multiValued = true)
        List<String> meta;

        @Option(name = "--all")
        boolean all;

        @Argument(index = 0, name = "project")
        String project;
    }

    private static final Map<String, Boolean> OPTIONS = OptionsAnywhere.options(HostList.class);

    private static String reorder(String line) {
        return String.join(" ", OptionsAnywhere.reorder(line.split(" "), OPTIONS));
    }

    @Test
    void optionsOfTheClassAndItsSuperclasses() {
        assertEquals(Map.of("--help", false, "--offset", true, "-s", true, "--site", true, "--meta", true, "--all", false),
                OPTIONS);
    }

    @Test
    void optionsAfterArgumentsMoveInFront() {
        assertEquals("edge:host-list --site berlin prod", reorder("edge:host-list prod --site berlin"));
        assertEquals("edge:host-list --site berlin prod", reorder("edge:host-list --site berlin prod"));
        assertEquals("edge:host-list -s=berlin --all --meta a=b --meta c=d prod",
                reorder("edge:host-list -s=berlin prod --all --meta a=b --meta c=d"));
        assertEquals("edge:host-list --offset 5 --help \"my project\"", reorder("edge:host-list \"my project\" --offset 5 --help"));
    }

    @Test
    void anUnknownDashWordIsAnOptionOnlyBeforeTheArgumentsUnlessItHasTwoDashes() {
        assertEquals("edge:host-list --bogus prod", reorder("edge:host-list --bogus prod"));
        assertEquals("edge:host-list --site x prod -12", reorder("edge:host-list prod -12 --site x"));
        assertEquals("edge:host-list --bogus prod", reorder("edge:host-list prod --bogus"));
    }

    @Command(scope = "edge", name = "site-create")
    static class SiteCreate extends Base {
        @Option(name = "--lat")
        Double latitude;

        @Option(name = "--limit")
        int limit;

        @Option(name = "--template", required = true)
        String template;

        @Option(name = "--count", multiValued = true)
        List<Long> counts;

        @Option(name = "--force")
        boolean force;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;
    }

    private static String problem(String line) {
        CommandSyntax syntax = CommandSyntax.of(SiteCreate.class);
        return syntax.problem(line.split(" "));
    }

    @Test
    void aGoodLineHasNoProblem() {
        assertNull(problem("edge:site-create p berlin --template t --lat 52.5 --limit=10 --count 3 --count -4 --force --offset 0"));
        assertNull(problem("edge:site-create --help"), "Karaf shows the usage");
        assertNull(problem("edge:site-create p s --template t --lat $x"), "the shell evaluates a variable first");
        assertNull(problem("edge:site-create p s --template t --limit \"12\""));
    }

    @Test
    void aMistakeInTheLineIsOneSentenceNamingTheOptionOrArgument() {
        String hint = " (edge:site-create --help shows the syntax)";
        assertEquals("unknown option '--bogus'" + hint, problem("edge:site-create p s --template t --bogus"));
        assertEquals("option --lat needs a value" + hint, problem("edge:site-create p s --template t --lat"));
        assertEquals("option --lat needs a value" + hint, problem("edge:site-create --template t --lat"));
        assertEquals("too many arguments: edge:site-create takes project, name" + hint,
                problem("edge:site-create p s extra --template t"));
        assertEquals("option --template is required" + hint, problem("edge:site-create p s"));
        assertEquals("argument name is required" + hint, problem("edge:site-create p --template t"));
        assertEquals("option --limit must be a whole number from -2147483648 to 2147483647, not 'ten'",
                problem("edge:site-create p s --template t --limit ten"));
        assertEquals("option --limit must be a whole number from -2147483648 to 2147483647, not '99999999999'",
                problem("edge:site-create p s --template t --limit 99999999999"));
        assertEquals("option --count must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ", not '1.5'",
                problem("edge:site-create p s --template t --count 1 --count 1.5"));
        assertEquals("option --lat must be a number, not 'NaN'", problem("edge:site-create p s --template t --lat NaN"));
        assertEquals("option --lat must be a number, not '1e999'", problem("edge:site-create p s --template t --lat 1e999"));
        assertEquals("option --offset must be a whole number from -2147483648 to 2147483647, not '0x10'",
                problem("edge:site-create p s --template t --offset=0x10"));
    }

    @Test
    void aLongOrControlInputIsQuotedAsAShortPrefix() {
        String unknown = problem("edge:site-create p s --template t --" + "x".repeat(10_000));
        assertTrue(unknown.startsWith("unknown option '--xxx") && unknown.contains("(10002 characters)") && unknown.length() < 200,
                unknown);
        String number = problem("edge:site-create p s --template t --limit 1\u0007" + "9".repeat(5000));
        assertTrue(number.contains("1\\u0007999") && number.contains("(5002 characters)") && number.length() < 200, number);
    }

    @Test
    void aRefusalIsKarafsCommandExceptionWithOneErrorLine() {
        org.apache.karaf.shell.support.CommandException e = OptionsAnywhere.refusal("unknown option '--bogus'");
        assertEquals("CommandException", e.getClass().getSimpleName(), "the shell prints its help text as it is");
        assertEquals("Error: unknown option '--bogus'", e.getNiceHelp());
    }

    @Test
    void anOptionAtTheEndWithoutItsValueIsRefusedBeforeItCouldTakeAnArgument() {
        assertEquals("edge:host-list --site prod", reorder("edge:host-list prod --site"));
        assertEquals("option --site needs a value (HostList --help shows the syntax)",
                CommandSyntax.of(HostList.class).problem("edge:host-list prod --site".split(" ")));
    }
}
