package org.edgeorch.platform.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.PluginReport;
import org.edgeorch.spi.HardwarePlugin;
import org.edgeorch.spi.OsPlugin;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginException;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks plugin services by whiteboard. Plugins come and go with their bundles (a jar dropped into
 * or removed from the deploy folder), so the bookkeeping is a concurrent map keyed by service id.
 */
@Component(service = PluginRegistry.class)
public class PluginRegistryImpl implements PluginRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistryImpl.class);

    private static final Comparator<Entry> ORDER = Comparator
            .comparing((Entry e) -> e.info().kind())
            .thenComparing(Comparator.comparingInt((Entry e) -> e.info().ranking()).reversed())
            .thenComparing(e -> e.info().id())
            .thenComparingLong(Entry::serviceId);

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHardwarePlugin(ServiceReference<HardwarePlugin> ref, HardwarePlugin plugin) {
        add(ref, plugin, plugin.descriptor());
    }

    void removeHardwarePlugin(ServiceReference<HardwarePlugin> ref) {
        remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addOsPlugin(ServiceReference<OsPlugin> ref, OsPlugin plugin) {
        add(ref, plugin, plugin.descriptor());
    }

    void removeOsPlugin(ServiceReference<OsPlugin> ref) {
        remove(ref);
    }

    private void add(ServiceReference<?> ref, Object plugin, PluginDescriptor d) {
        Bundle bundle = ref.getBundle();
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        PluginInfo info = new PluginInfo(d.id(), d.name(), d.vendor(), d.version(), d.kind(),
                bundle == null ? null : bundle.getSymbolicName(),
                bundle == null ? null : bundle.getVersion().toString(),
                ranking instanceof Integer i ? i : 0);
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        entries.put(serviceId, new Entry(serviceId, info, plugin));
        LOG.info("Plugin {} ({}) from {} is available", info.id(), info.kind(), info.bundle());
    }

    private void remove(ServiceReference<?> ref) {
        Entry gone = entries.remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (gone != null) {
            LOG.info("Plugin {} ({}) is gone", gone.info().id(), gone.info().kind());
        }
    }

    /** Adds a plugin without a container, for unit tests and embedding. */
    void register(long serviceId, PluginInfo info, Object plugin) {
        entries.put(serviceId, new Entry(serviceId, info, plugin));
    }

    @Override
    public List<PluginInfo> plugins() {
        return sorted().stream().map(Entry::info).toList();
    }

    @Override
    public Optional<PluginInfo> plugin(String id) {
        return find(id).map(Entry::info);
    }

    @Override
    public Optional<PluginReport> report(String id) {
        return find(id).map(PluginRegistryImpl::ask);
    }

    @Override
    public List<PluginReport> reports() {
        return sorted().stream().map(PluginRegistryImpl::ask).toList();
    }

    private Optional<Entry> find(String id) {
        return sorted().stream().filter(e -> e.info().id().equals(id)).findFirst();
    }

    private List<Entry> sorted() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort(ORDER);
        return list;
    }

    private static PluginReport ask(Entry e) {
        try {
            if (e.plugin() instanceof HardwarePlugin hw) {
                return new PluginReport(e.info(), hw.inventory(), null, null);
            }
            return new PluginReport(e.info(), null, ((OsPlugin) e.plugin()).currentOs(), null);
        } catch (PluginException | RuntimeException ex) {
            // Vendor code: a failing plugin must not take the listing down with it.
            LOG.warn("Plugin {} failed to report: {}", e.info().id(), ex.toString());
            return new PluginReport(e.info(), null, null,
                    ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        }
    }

    private record Entry(long serviceId, PluginInfo info, Object plugin) {
    }
}
