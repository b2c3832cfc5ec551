package org.edgeorch.plugin.grub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator GRUB A/B OS", description = "Immutable A/B OS booted by GRUB with RAUC's variables")
public @interface GrubAbConfig {

    String PID = "org.edgeorch.plugin.grub";

    @AttributeDefinition(description = "The GRUB environment block")
    String grubenv() default "/boot/grub/grubenv";

    @AttributeDefinition(description = "The kernel command line with rauc.slot=A|B")
    String cmdline() default "/proc/cmdline";

    @AttributeDefinition(description = "Slot A: block device (e.g. /dev/disk/by-partlabel/rootfs-a) or image file")
    String slotA();

    @AttributeDefinition(description = "Slot B: block device or image file")
    String slotB();

    @AttributeDefinition(description = "For image files: the most a slot may hold, in MiB; 0 for the room on its file system")
    long slotCapacityMegabytes() default 0;

    @AttributeDefinition(description = "'system' runs rebootCommand; 'emulate' applies grub.cfg's rules to the environment"
            + " block and restarts the node runtime into the chosen slot (tests, the fleet simulator, demos)")
    String reboot() default "system";

    @AttributeDefinition(description = "The system's reboot command, split on spaces")
    String rebootCommand() default "systemctl reboot";
}
