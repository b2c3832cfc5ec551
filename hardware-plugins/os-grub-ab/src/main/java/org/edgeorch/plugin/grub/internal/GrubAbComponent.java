package org.edgeorch.plugin.grub.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.edgeorch.spi.PluginException;
import org.edgeorch.spi.ab.AbBootloader;
import org.edgeorch.spi.ab.CommandRebooter;
import org.edgeorch.spi.ab.EmulatedPower;
import org.edgeorch.spi.ab.PathSlotDevice;
import org.edgeorch.spi.ab.Rebooter;
import org.edgeorch.spi.ab.SlotDevice;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GRUB A/B OS of this node, once configured in {@code etc/org.edgeorch.plugin.grub.cfg}: registers its
 * {@link AbBootloader}, {@link SlotDevice} and {@link Rebooter} for the update agent.
 */
// Registered by hand (they exist only when configured), so the bundle says it offers them for resolution.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeorch.spi.ab.AbBootloader", uses = AbBootloader.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeorch.spi.ab.SlotDevice", uses = SlotDevice.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeorch.spi.ab.Rebooter", uses = Rebooter.class)
@Component(immediate = true, configurationPid = GrubAbConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = GrubAbConfig.class)
public class GrubAbComponent {

    private static final Logger LOG = LoggerFactory.getLogger(GrubAbComponent.class);

    private final List<ServiceRegistration<?>> registrations = new java.util.ArrayList<>();

    @Activate
    void activate(GrubAbConfig config, BundleContext context) throws PluginException {
        Path grubenv = Path.of(config.grubenv());
        Path cmdline = Path.of(config.cmdline());
        boolean emulate = "emulate".equals(config.reboot().strip());
        if (GrubAbBootloader.createIfAbsent(grubenv, emulate)) {
            LOG.warn("The GRUB environment block {} did not exist: created it as an image build does, {} (slot A"
                    + " good, slot B empty)", grubenv, GrubAbBootloader.FIRST_ENVIRONMENT);
        }
        Rebooter rebooter;
        if (emulate) {
            EmulatedPower power = new EmulatedPower(grubenv.resolveSibling(grubenv.getFileName() + ".rebooted"), () -> {
                try {
                    context.getBundle(0).stop();
                } catch (BundleException e) {
                    LOG.error("Boot emulator: cannot stop the runtime for the reboot", e);
                }
            });
            GrubBootEmulator emulator = new GrubBootEmulator(grubenv, cmdline, () -> {
                LOG.info("Boot emulator: rebooted into slot {}; restarting the node runtime", bootedSlot(cmdline));
                power.restartRuntime();
            });
            if (power.coldStart()) {
                try {
                    LOG.info("Boot emulator: power on, GRUB chose slot {}", emulator.powerOn());
                } catch (PluginException | RuntimeException e) {
                    power.powerOnFailed();
                    throw e;
                }
            }
            rebooter = emulator;
        } else if ("system".equals(config.reboot().strip())) {
            rebooter = new CommandRebooter(List.of(config.rebootCommand().strip().split("\\s+")));
        } else {
            throw new IllegalArgumentException("reboot = '" + config.reboot() + "': use 'system' or 'emulate'");
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("edgeorch.os", "grub-ab");
        registrations.add(context.registerService(Rebooter.class, rebooter, props));
        registrations.add(context.registerService(SlotDevice.class, new PathSlotDevice(Path.of(config.slotA()),
                Path.of(config.slotB()), config.slotCapacityMegabytes() << 20), props));
        registrations.add(context.registerService(AbBootloader.class, new GrubAbBootloader(grubenv, cmdline), props));
        LOG.info("GRUB A/B OS: environment {}, slots {} and {}, reboot by {}", grubenv, config.slotA(), config.slotB(), rebooter);
    }

    private static String bootedSlot(Path cmdline) {
        try {
            return KernelCommandLine.bootedSlot(cmdline).name();
        } catch (PluginException e) {
            return "?";
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }
}
