package org.edgeorch.soap.internal;

import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;

/**
 * Shapes every fault before it is written. The caller's mistakes go out as {@code soap:Client}, not CXF's default
 * {@code soap:Server}, so integrators can tell their mistakes from ours, with their text kept short (a long input is
 * never echoed whole). Anything else is our fault: the caller gets a reference to the log entry, not the exception's
 * text, which may name internal classes.
 */
final class FaultOutInterceptor extends AbstractPhaseInterceptor<Message> {

    FaultOutInterceptor() {
        super(Phase.PRE_PROTOCOL);
        // JAX-WS sets the text of a declared fault from its exception there; this must come after it.
        addAfter("org.apache.cxf.jaxws.interceptors.WebFaultOutInterceptor");
    }

    @Override
    public void handleMessage(Message message) {
        if (!(message.getContent(Exception.class) instanceof Fault fault)) {
            return;
        }
        Long limit = EnvelopeLimitInterceptor.exceeded(message.getExchange());
        if (limit != null || SoapFaults.isClient(fault)) {
            fault.setFaultCode(Fault.FAULT_CODE_CLIENT);
            fault.setMessage(SoapFaults.safe(fault.getMessage()));
            if (limit != null) {
                // whatever part of CXF was reading when the limit was passed, the caller learns only this
                fault.setMessage(EnvelopeLimitInterceptor.refusal(limit));
                fault.setDetail(null);
                fault.setStatusCode(413);
                message.put(Message.RESPONSE_CODE, 413); // CXF took the status from the fault before this runs
            }
        } else {
            Object reference = message.getExchange() == null ? null
                    : message.getExchange().get(SoapFaults.EXCHANGE_SERVER_REFERENCE);
            fault.setMessage("internal error" + (reference == null ? "" : " (reference " + reference + " in the orchestrator's log)"));
            fault.setDetail(null);
        }
    }
}
