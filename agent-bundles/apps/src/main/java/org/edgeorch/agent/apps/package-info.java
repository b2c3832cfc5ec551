/**
 * The node's app agent as plain Java: {@link org.edgeorch.agent.apps.AppAgent} converges the host to the deployments
 * of its desired state through the application runtimes ({@link org.edgeorch.spi.apps.AppRuntime}).
 */
@Export
@Version("1.0.0")
package org.edgeorch.agent.apps;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
