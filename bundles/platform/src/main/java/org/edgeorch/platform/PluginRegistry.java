package org.edgeorch.platform;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The hardware and OS plugins present in this runtime, tracked live as bundles come and go. */
@ProviderType
public interface PluginRegistry {

    /** All plugins, hardware first, each kind by descending ranking then id. */
    List<PluginInfo> plugins();

    Optional<PluginInfo> plugin(String id);

    /** Asks one plugin for its report; empty when no plugin has that id. */
    Optional<PluginReport> report(String id);

    /** Asks every plugin for its report, in the order of {@link #plugins()}. */
    List<PluginReport> reports();
}
