package org.edgeorch.soap.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.xml.namespace.QName;

import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.headers.Header;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Authenticates every SOAP call with the same accounts and tokens as REST: an HTTP
 * {@code Authorization: Bearer <token>} header, or a WS-Security UsernameToken (PasswordText, so only
 * over TLS in production). The WSDL needs neither.
 */
final class SoapAuthInterceptor extends AbstractSoapInterceptor {

    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
    private static final QName SECURITY = new QName(WSSE, "Security");

    private final AuthService auth;

    SoapAuthInterceptor(AuthService auth) {
        super(Phase.PRE_PROTOCOL);
        this.auth = auth;
    }

    /**
     * The {@code wsse:Security} header is ours to process, so a client that marks it {@code mustUnderstand="1"} (as
     * SOAP stacks do by default) is served instead of refused with a MustUnderstand fault.
     */
    @Override
    public Set<QName> getUnderstoodHeaders() {
        return Set.of(SECURITY);
    }

    @Override
    public void handleMessage(SoapMessage message) {
        HttpServletRequest http = (HttpServletRequest) message.get(AbstractHTTPDestination.HTTP_REQUEST);
        String source = http == null ? null : http.getRemoteAddr();
        try {
            String bearer = bearer(message);
            Element token = usernameToken(message);
            Caller caller;
            if (bearer != null) {
                caller = auth.authenticate(bearer, source);
            } else if (token != null) {
                caller = auth.authenticatePassword(text(token, "Username"), password(token), source);
            } else {
                throw new TenancyException(TenancyException.Reason.UNAUTHENTICATED,
                        "send Authorization: Bearer <token> or a WS-Security UsernameToken");
            }
            message.getExchange().put(Caller.class, caller);
        } catch (TenancyException e) {
            String kind = e.reason() == TenancyException.Reason.THROTTLED ? "throttled: " : "unauthenticated: ";
            throw new SoapFault(kind + e.getMessage(), SoapFault.FAULT_CODE_CLIENT);
        }
    }

    /** The caller of the SOAP call being served. */
    static Caller caller() {
        Message m = PhaseInterceptorChain.getCurrentMessage();
        Caller c = m == null ? null : m.getExchange().get(Caller.class);
        if (c == null) {
            throw new TenancyException(TenancyException.Reason.UNAUTHENTICATED, "not authenticated");
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static String bearer(SoapMessage message) {
        Map<String, List<String>> headers = (Map<String, List<String>>) message.get(Message.PROTOCOL_HEADERS);
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if ("Authorization".equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty()) {
                String v = h.getValue().get(0);
                return v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).strip() : null;
            }
        }
        return null;
    }

    private static Element usernameToken(SoapMessage message) {
        Header security = message.getHeader(SECURITY);
        if (security == null || !(security.getObject() instanceof Element sec)) {
            return null;
        }
        return child(sec, "UsernameToken");
    }

    private static char[] password(Element token) {
        Element p = child(token, "Password");
        if (p == null) {
            throw new TenancyException(TenancyException.Reason.UNAUTHENTICATED, "the UsernameToken has no Password");
        }
        String type = p.getAttribute("Type");
        if (!type.isEmpty() && !PASSWORD_TEXT.equals(type)) {
            throw new TenancyException(TenancyException.Reason.UNAUTHENTICATED,
                    "only PasswordText UsernameTokens are accepted (passwords are stored as Argon2id hashes)");
        }
        return p.getTextContent().toCharArray();
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && WSSE.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }
}
