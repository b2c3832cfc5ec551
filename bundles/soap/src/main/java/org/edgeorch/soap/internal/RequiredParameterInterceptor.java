package org.edgeorch.soap.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;

import javax.jws.WebParam;
import javax.xml.bind.annotation.XmlElement;

import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageContentsList;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.invoker.MethodDispatcher;
import org.apache.cxf.service.model.BindingOperationInfo;

/**
 * Refuses a call that leaves out a parameter the contract marks {@code @XmlElement(required = true)} (and the WSDL
 * therefore {@code minOccurs="1"}), naming it, before the service sees a null: without this a missing
 * {@code project} came back as "project 'null' does not exist". A blank text counts as missing.
 */
final class RequiredParameterInterceptor extends AbstractPhaseInterceptor<Message> {

    RequiredParameterInterceptor() {
        super(Phase.PRE_INVOKE);
    }

    @Override
    public void handleMessage(Message message) {
        Exchange exchange = message.getExchange();
        BindingOperationInfo operation = exchange.getBindingOperationInfo();
        MethodDispatcher dispatcher = exchange.getService() == null ? null
                : (MethodDispatcher) exchange.getService().get(MethodDispatcher.class.getName());
        Method method = operation == null || dispatcher == null ? null : dispatcher.getMethod(operation);
        if (method == null) {
            return;
        }
        List<Object> values = MessageContentsList.getContentsList(message);
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < annotations.length; i++) {
            String name = requiredName(annotations[i]);
            Object value = values == null || i >= values.size() ? null : values.get(i);
            if (name != null && (value == null || value instanceof String s && s.isBlank()
                    || value instanceof List<?> l && l.isEmpty())) {
                throw new Fault(new MissingParameter(name), Fault.FAULT_CODE_CLIENT);
            }
        }
    }

    /** The element name of a required parameter, or null when the parameter is optional. */
    private static String requiredName(Annotation[] annotations) {
        boolean required = false;
        String name = null;
        for (Annotation a : annotations) {
            if (a instanceof XmlElement e && e.required()) {
                required = true;
            } else if (a instanceof WebParam p) {
                name = p.name();
            }
        }
        return required ? name : null;
    }

    /** A required parameter was left out; the message names it. */
    static final class MissingParameter extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        MissingParameter(String name) {
            super("parameter '" + name + "' is required");
        }
    }
}
