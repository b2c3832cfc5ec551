/**
 * The node agent as plain Java: {@link org.edgeorch.agent.Agent} enrols, syncs and reports. The OSGi
 * component in the node runtime runs one; the fleet simulator runs thousands in one JVM.
 */
@Export
@Version("1.1.0")
package org.edgeorch.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
