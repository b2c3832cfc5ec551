package org.edgeorch.soap;

import javax.xml.ws.WebFault;

/** The requested object does not exist. */
@WebFault(name = "NotFound", targetNamespace = PlatformService.NAMESPACE)
public class NotFoundFault extends Exception {

    private static final long serialVersionUID = 1L;

    public NotFoundFault(String message) {
        super(message);
    }
}
