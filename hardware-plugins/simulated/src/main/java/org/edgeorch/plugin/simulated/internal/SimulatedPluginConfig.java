package org.edgeorch.plugin.simulated.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the simulated hardware plugin (PID {@code org.edgeorch.plugin.simulated}). */
@ObjectClassDefinition(id = SimulatedHardwarePlugin.PID, name = "Edge Orchestrator simulated hardware",
        description = "Reports deterministic fake hardware instead of reading the real host.")
public @interface SimulatedPluginConfig {

    @AttributeDefinition(name = "Seed",
            description = "Identifies the simulated host: the same seed always reports the same hardware.")
    long seed() default 1;
}
