package org.edgeorch.soap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge Orchestrator SOAP", description = "The SOAP endpoints under /soap")
public @interface SoapConfig {

    String PID = "org.edgeorch.soap";

    @AttributeDefinition(description = "Largest envelope accepted, in bytes; a larger one is refused with a soap:Client "
            + "fault (HTTP 413) before it is parsed")
    long maxEnvelopeBytes() default 1_048_576;
}
