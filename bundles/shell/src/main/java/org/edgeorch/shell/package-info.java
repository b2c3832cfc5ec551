/**
 * What every {@code edge:*} command shares, in both runtimes: {@link org.edgeorch.shell.EdgeCommand}, the base of
 * the commands (tables, choices, {@code key=value} options, error lines), and
 * {@link org.edgeorch.shell.OptionsAnywhere}, which lets options follow arguments as Karaf users expect.
 */
@Export
@Version("1.0.0")
package org.edgeorch.shell;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
