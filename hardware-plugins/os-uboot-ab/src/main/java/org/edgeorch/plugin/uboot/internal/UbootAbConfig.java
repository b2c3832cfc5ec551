package org.edgeorch.plugin.uboot.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator U-Boot A/B OS", description = "Immutable A/B OS booted by U-Boot (BOOT_ORDER, BOOT_x_LEFT)")
public @interface UbootAbConfig {

    String PID = "org.edgeorch.plugin.uboot";

    @AttributeDefinition(description = "Where the environment lives, in fw_printenv's format (one or two copies)")
    String envConfig() default "/etc/fw_env.config";

    @AttributeDefinition(description = "The kernel command line with rauc.slot=A|B")
    String cmdline() default "/proc/cmdline";

    @AttributeDefinition(description = "Slot A: block device or image file")
    String slotA();

    @AttributeDefinition(description = "Slot B: block device or image file")
    String slotB();

    @AttributeDefinition(description = "For image files: the most a slot may hold, in MiB; 0 for the room on its file system")
    long slotCapacityMegabytes() default 0;

    @AttributeDefinition(description = "'system' runs rebootCommand; 'emulate' applies the boot script's rules to the"
            + " environment and restarts the node runtime into the chosen slot (tests, the fleet simulator, demos)")
    String reboot() default "system";

    @AttributeDefinition(description = "The system's reboot command, split on spaces")
    String rebootCommand() default "systemctl reboot";
}
