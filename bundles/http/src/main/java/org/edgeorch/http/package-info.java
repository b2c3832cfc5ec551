/** What the product's Jetty servers answer on their own, in the product's error body. */
@Export
@Version("1.0.0")
package org.edgeorch.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
