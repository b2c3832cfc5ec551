/**
 * Applications: a project's catalogue of signed application versions, their parameter templates, profiles of
 * values, and deployments of a version to the hosts chosen by a metadata {@link org.edgeorch.apps.Selector} or by a
 * list. {@link org.edgeorch.apps.AppService} is the operators' view; {@link org.edgeorch.apps.Selector} is the
 * Kubernetes-style label selector deployments target hosts with.
 */
@Export
@Version("0.3.0")
package org.edgeorch.apps;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
