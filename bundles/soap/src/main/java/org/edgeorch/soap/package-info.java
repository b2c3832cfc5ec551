/**
 * The SOAP contract for integrators: {@link org.edgeorch.soap.PlatformService} and its data types.
 * Exported so a Java client can reuse the interface.
 */
@Export
@Version("1.4.0")
@XmlSchema(namespace = PlatformService.NAMESPACE, elementFormDefault = XmlNsForm.QUALIFIED)
package org.edgeorch.soap;

import javax.xml.bind.annotation.XmlNsForm;
import javax.xml.bind.annotation.XmlSchema;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
