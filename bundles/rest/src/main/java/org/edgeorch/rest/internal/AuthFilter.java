package org.edgeorch.rest.internal;

import java.util.Set;

import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;

import org.edgeorch.tenancy.AuthService;

/**
 * Every request but login, health, the OpenAPI document, the host authority (southbound/ca) and the release registry's
 * webhook carries {@code Authorization: Bearer <token>}; the token is checked on each request (signature, expiry,
 * revocation, account) and its caller, with roles read fresh, is attached for the resources. The webhook's bearer is
 * the registry's webhook token, which the release service checks itself. The filter runs before a resource is matched, so that an
 * unauthenticated request learns nothing of the API (401, not 415 or 405).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {

    static final Set<String> PUBLIC = Set.of("auth/login", "auth/oidc", "health", "openapi.json", "southbound/ca",
            ReleaseResource.NOTIFICATIONS);

    private final AuthService auth;

    @Context
    HttpServletRequest servletRequest;

    public AuthFilter(AuthService auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (PUBLIC.contains(path)) {
            return;
        }
        servletRequest.setAttribute(Callers.PROPERTY, auth.authenticate(bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)),
                sourceAddress()));
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null without one. */
    static String bearer(String authorizationHeader) {
        return authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorizationHeader.substring(7) : null;
    }

    String sourceAddress() {
        return servletRequest == null ? null : servletRequest.getRemoteAddr();
    }
}
