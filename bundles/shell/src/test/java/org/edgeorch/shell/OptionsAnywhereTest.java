package org.edgeorch.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
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
    void anUnknownDashWordIsAnOptionOnlyBeforeTheArguments() {
        assertEquals("edge:host-list --bogus prod", reorder("edge:host-list --bogus prod"));
        assertEquals("edge:host-list --site x prod -12", reorder("edge:host-list prod -12 --site x"));
    }

    @Test
    void anOptionAtTheEndWithoutItsValueStaysForKarafToRefuse() {
        assertEquals("edge:host-list --site prod", reorder("edge:host-list prod --site"));
    }
}
