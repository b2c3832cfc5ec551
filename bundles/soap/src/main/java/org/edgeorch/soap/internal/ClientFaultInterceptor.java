package org.edgeorch.soap.internal;

import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.edgeorch.soap.NotFoundFault;
import org.edgeorch.soap.TenancyFault;

/**
 * Declared faults that mean "your request was wrong" go out as {@code soap:Client}, not CXF's default
 * {@code soap:Server}, so integrators can tell their mistakes from ours.
 */
final class ClientFaultInterceptor extends AbstractPhaseInterceptor<Message> {

    ClientFaultInterceptor() {
        super(Phase.PRE_STREAM);
    }

    @Override
    public void handleMessage(Message message) {
        if (message.getContent(Exception.class) instanceof Fault fault
                && (fault.getCause() instanceof NotFoundFault || fault.getCause() instanceof TenancyFault)) {
            fault.setFaultCode(Fault.FAULT_CODE_CLIENT);
        }
    }
}
