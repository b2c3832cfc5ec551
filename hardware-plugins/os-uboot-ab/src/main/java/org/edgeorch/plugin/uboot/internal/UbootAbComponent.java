package org.edgeorch.plugin.uboot.internal;

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
 * The U-Boot A/B OS of this node, once configured in {@code etc/org.edgeorch.plugin.uboot.cfg}: registers its
 * {@link AbBootloader}, {@link SlotDevice} and {@link Rebooter} for the update agent.
 */
// Registered by hand (they exist only when configured), so the bundle says it offers them for resolution.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeorch.spi.ab.AbBootloader", uses = AbBootloader.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeorch.spi.ab.SlotDevice", uses = SlotDevice.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.edgeorch.spi.ab.Rebooter", uses = Rebooter.class)
@Component(immediate = true, configurationPid = UbootAbConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = UbootAbConfig.class)
public class UbootAbComponent {

    private static final Logger LOG = LoggerFactory.getLogger(UbootAbComponent.class);

    private final List<ServiceRegistration<?>> registrations = new java.util.ArrayList<>();

    @Activate
    void activate(UbootAbConfig config, BundleContext context) throws PluginException {
        Path envConfig = Path.of(config.envConfig());
        UbootEnvironment env;
        try {
            env = UbootEnvironment.fromConfig(envConfig);
        } catch (java.io.IOException e) {
            throw new PluginException("cannot read the U-Boot environment's location: " + e.getMessage(), e);
        }
        Path cmdline = Path.of(config.cmdline());
        Path first = env.copies().get(0).device();
        Rebooter rebooter;
        if ("emulate".equals(config.reboot().strip())) {
            EmulatedPower power = new EmulatedPower(first.resolveSibling(first.getFileName() + ".rebooted"), () -> {
                try {
                    context.getBundle(0).stop();
                } catch (BundleException e) {
                    LOG.error("Boot emulator: cannot stop the runtime for the reboot", e);
                }
            });
            UbootBootEmulator emulator = new UbootBootEmulator(env, cmdline, () -> {
                LOG.info("Boot emulator: rebooted into slot {}; restarting the node runtime", bootedSlot(cmdline));
                power.restartRuntime();
            });
            if (power.coldStart()) {
                try {
                    LOG.info("Boot emulator: power on, U-Boot chose slot {}", emulator.powerOn());
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
        props.put("edgeorch.os", "uboot-ab");
        registrations.add(context.registerService(Rebooter.class, rebooter, props));
        registrations.add(context.registerService(SlotDevice.class, new PathSlotDevice(Path.of(config.slotA()),
                Path.of(config.slotB()), config.slotCapacityMegabytes() << 20), props));
        registrations.add(context.registerService(AbBootloader.class, new UbootAbBootloader(env, cmdline), props));
        LOG.info("U-Boot A/B OS: environment {}, slots {} and {}, reboot by {}", env.copies(), config.slotA(), config.slotB(), rebooter);
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
