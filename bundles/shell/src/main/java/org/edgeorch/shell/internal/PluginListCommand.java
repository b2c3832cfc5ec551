package org.edgeorch.shell.internal;


import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.spi.PluginKind;

@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "plugin-list", description = "Lists the hardware and OS plugins present now")
public class PluginListCommand extends EdgeCommand {

    @Reference
    PluginRegistry registry;

    @Option(name = "-k", aliases = "--kind", description = "Only plugins of this kind: HARDWARE or OS")
    String kind;

    @Override
    protected void run() {
        PluginKind wanted = choice(PluginKind.class, "--kind", kind);
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Id", "Kind", "Name", "Vendor", "Version", "Bundle", "Ranking"}) {
            table.column(c);
        }
        for (PluginInfo p : registry.plugins()) {
            if (wanted == null || p.kind() == wanted) {
                table.addRow().addContent(p.id(), p.kind(), p.name(), p.vendor(), p.version(),
                        p.bundle() + "/" + p.bundleVersion(), p.ranking());
            }
        }
        table.print(System.out);
    }
}
