package org.edgeorch.plugin.linux.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration shared by the Linux hardware and OS plugins (PID {@code org.edgeorch.plugin.linux}). */
@ObjectClassDefinition(id = LinuxPlugins.PID, name = "Edge Orchestrator Linux plugins",
        description = "Reads hardware inventory and OS release from procfs, sysfs, DMI and os-release.")
public @interface LinuxPluginConfig {

    @AttributeDefinition(name = "Root path",
            description = "Absolute path under which proc, sys and etc are read; '/' on a real host,"
                    + " another folder for a container that mounts the host file system elsewhere.")
    String rootPath() default "/";
}
