package org.edgeorch.soap.internal;

import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;
import javax.xml.bind.JAXBException;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamException;

import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.logging.FaultListener;
import org.apache.cxf.message.Message;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.edgeorch.soap.NotFoundFault;
import org.edgeorch.soap.TenancyFault;

/**
 * One policy for every SOAP fault: which are the caller's mistakes ({@code soap:Client}), what their text may
 * show, and how they are logged. A client fault logs one INFO line (bad input must not flood the log); a server
 * fault logs its stack trace at WARNING with a reference, and the caller sees only the reference.
 */
final class SoapFaults implements FaultListener {

    static final String EXCHANGE_SERVER_REFERENCE = SoapFaults.class.getName() + ".reference";

    /** CXF's message codes for requests it could not read as the operation's input. */
    private static final Set<String> CLIENT_CODES = Set.of("UNMARSHAL_ERROR", "UNEXPECTED_WRAPPER_ELEMENT",
            "NO_PART_FOUND", "UNEXPECTED_ELEMENT", "XML_STREAM_EXC", "NO_OPERATION", "NO_DISPATCH");
    private static final int MAX_QUOTED = 40;
    private static final int MAX_MESSAGE = 300;
    private static final Pattern LONG_QUOTED = Pattern.compile("'([^']{" + MAX_QUOTED + "})[^']+'");
    private static final Pattern LONG_WORD = Pattern.compile("\\S{80,}");
    private static final Logger LOG = Logger.getLogger(SoapFaults.class.getName());

    /** Whether the fault is the caller's mistake. */
    static boolean isClient(Throwable fault) {
        if (fault instanceof SoapFault soap && isClientCode(soap.getFaultCode())) {
            return true;
        }
        if (fault instanceof Fault f && (Fault.FAULT_CODE_CLIENT.equals(f.getFaultCode())
                || f.getCode() != null && CLIENT_CODES.contains(f.getCode()))) {
            return true;
        }
        for (Throwable t = fault; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TenancyFault || t instanceof NotFoundFault || t instanceof XMLStreamException
                    || t instanceof JAXBException || t instanceof EnvelopeLimitInterceptor.TooLarge) {
                return true;
            }
        }
        return false;
    }

    private static boolean isClientCode(QName code) {
        return code != null && ("Client".equals(code.getLocalPart()) || "Sender".equals(code.getLocalPart()));
    }

    /**
     * The fault text as a caller may see it: quoted input cut to a short prefix, the whole kept short, control
     * characters (which XML 1.0 cannot carry) replaced.
     */
    static String safe(String message) {
        if (message == null || message.isBlank()) {
            return "the request was refused";
        }
        Matcher m = LONG_QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("'" + m.group(1) + "…'"));
        }
        m.appendTail(out);
        // an input echoed without quotes: any run of 80 or more characters without a space (a digest has 71)
        String unquoted = LONG_WORD.matcher(out).replaceAll(w -> Matcher.quoteReplacement(w.group().substring(0, MAX_QUOTED) + "…"));
        String s = unquoted.length() > MAX_MESSAGE ? unquoted.substring(0, MAX_MESSAGE) + "…" : unquoted;
        StringBuilder clean = new StringBuilder(s.length());
        s.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) || c == 0xFFFE || c == 0xFFFF ? '?' : c));
        return clean.toString();
    }

    @Override
    public boolean faultOccurred(Exception exception, String description, Message message) {
        String where = description == null ? "" : description.strip();
        Long limit = EnvelopeLimitInterceptor.exceeded(message.getExchange());
        if (limit != null || isClient(exception)) {
            if (LOG.isLoggable(Level.INFO)) {
                LOG.info("SOAP client fault " + where + " from " + source(message) + ": "
                        + (limit != null ? EnvelopeLimitInterceptor.refusal(limit) : safe(text(exception))));
            }
        } else {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            if (message.getExchange() != null) {
                message.getExchange().put(EXCHANGE_SERVER_REFERENCE, reference);
            }
            LOG.log(Level.WARNING, "SOAP server fault " + where + " (reference " + reference + ")", exception);
        }
        return false;
    }

    /** The text of the fault, or of the declared fault it wraps. */
    static String text(Throwable t) {
        if (t instanceof Fault f && (f.getCause() instanceof TenancyFault || f.getCause() instanceof NotFoundFault)) {
            return f.getCause().getMessage();
        }
        return t.getMessage();
    }

    private static String source(Message message) {
        Object request = message.get(AbstractHTTPDestination.HTTP_REQUEST);
        return request instanceof HttpServletRequest http ? http.getRemoteAddr() : "?";
    }
}
