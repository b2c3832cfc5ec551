package org.edgeorch.rest.internal;

import java.net.URI;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;

/**
 * Gives every {@code Location} the scheme, host and port the client used. CXF makes a relative location absolute
 * from the request, but it writes a request to {@code 127.0.0.1} as {@code localhost} (its {@code toAbsoluteUri}),
 * which names another address on many systems and is not what the client asked. The path is kept: it already carries
 * a proxy's {@code X-Forwarded-Prefix} when those headers are trusted, as the request URL then carries the proxy's
 * scheme, host and port.
 */
public class LocationFilter implements ContainerResponseFilter {

    @Context
    private HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        URI location = response.getLocation();
        if (location == null || !location.isAbsolute() || servletRequest == null) {
            return;
        }
        response.getHeaders().putSingle(HttpHeaders.LOCATION, rebased(location, servletRequest.getRequestURL().toString()));
    }

    /** {@code location} with the scheme and authority of {@code requestUrl}. */
    static String rebased(URI location, String requestUrl) {
        URI request = URI.create(requestUrl);
        String authority = request.getRawAuthority();
        int port = request.getPort();
        if (port == 443 && "https".equalsIgnoreCase(request.getScheme()) || port == 80 && "http".equalsIgnoreCase(request.getScheme())) {
            authority = authority.substring(0, authority.lastIndexOf(':')); // the scheme's own port goes unsaid
        }
        return request.getScheme() + "://" + authority + location.getRawPath()
                + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
    }
}
