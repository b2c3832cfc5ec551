package org.edgeorch.soap;

import javax.xml.bind.annotation.XmlAccessType;
import javax.xml.bind.annotation.XmlAccessorType;
import javax.xml.bind.annotation.XmlType;
import javax.xml.ws.WebFault;

/** A tenancy operation was refused: {@code reason} is UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT or INVALID. */
@WebFault(name = "TenancyFault", targetNamespace = PlatformService.NAMESPACE)
public class TenancyFault extends Exception {

    private static final long serialVersionUID = 1L;

    private final Info faultInfo;

    public TenancyFault(String message, Info faultInfo) {
        super(message);
        this.faultInfo = faultInfo;
    }

    public Info getFaultInfo() {
        return faultInfo;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "TenancyFaultInfo")
    public static class Info {
        public String reason;
        public String field;
    }
}
