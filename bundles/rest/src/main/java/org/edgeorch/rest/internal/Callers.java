package org.edgeorch.rest.internal;

import javax.servlet.http.HttpServletRequest;

import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;

/** Where the authentication filter leaves the caller for the resources: a servlet request attribute. */
final class Callers {

    static final String PROPERTY = "edgeorch.caller";

    private Callers() {
    }

    static Caller of(HttpServletRequest request) {
        Object c = request == null ? null : request.getAttribute(PROPERTY);
        if (c instanceof Caller caller) {
            return caller;
        }
        throw new TenancyException(TenancyException.Reason.UNAUTHENTICATED, "not authenticated");
    }
}
