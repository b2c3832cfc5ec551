package org.edgeorch.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginRegistry;

/** Completes the ids of the plugins present now. */
@Service
public class PluginIdCompleter implements Completer {

    @Reference
    PluginRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        registry.plugins().stream().map(PluginInfo::id).forEach(ids.getStrings()::add);
        return ids.complete(session, commandLine, candidates);
    }
}
