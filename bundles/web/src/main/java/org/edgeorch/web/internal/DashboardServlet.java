package org.edgeorch.web.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Permission;
import org.edgeorch.tenancy.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * Serves the web dashboard at {@code /ui}: static files only. Everything the pages show comes from the public
 * REST API ({@code /api/v1}) with the user's own bearer token, so the dashboard can see and do exactly what the
 * user could with curl. The one thing computed here is {@code roles.json}, the permissions each role carries,
 * taken from {@link Role} so that the pages hide the controls a role may not use without a second copy of the
 * matrix (the API refuses those calls anyway).
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/ui/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=edgeorch-dashboard"})
public class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /**
     * Nothing from anywhere but this orchestrator: an air-gapped site works, and an injected script or a stolen
     * token has nowhere to go. Inline scripts and styles are refused; libraries set styles through the CSSOM.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final transient StaticAssets assets;
    private final byte[] rolesJson;
    private final transient AuthService auth;

    @Activate
    public DashboardServlet(@Reference AuthService auth) {
        this.auth = auth;
        ClassLoader loader = DashboardServlet.class.getClassLoader();
        this.assets = new StaticAssets(path -> loader.getResourceAsStream("ui/" + path));
        this.rolesJson = rolesJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String info = req.getPathInfo();
        if (info == null) {
            resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
            return;
        }
        securityHeaders(resp);
        String path = info.substring(1);
        if (path.equals("roles.json")) {
            resp.setContentType("application/json");
            resp.setHeader("Cache-Control", "no-cache");
            resp.setContentLength(rolesJson.length);
            resp.getOutputStream().write(rolesJson);
            return;
        }
        var found = assets.find(path);
        if (found.isEmpty()) {
            resp.setStatus(HttpServletResponse.SC_NOT_FOUND);
            resp.setContentType("application/json");
            resp.getWriter().write("{\"status\":404,\"code\":\"NOT_FOUND\",\"message\":\"no such dashboard file\",\"fields\":[]}");
            return;
        }
        StaticAssets.Asset a = found.get();
        resp.setHeader("ETag", a.etag());
        resp.setHeader("Cache-Control", a.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
        resp.setHeader("Vary", "Accept-Encoding");
        if (a.etag().equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setContentType(a.contentType());
        String accept = req.getHeader("Accept-Encoding");
        byte[] body = a.bytes();
        if (a.gzip() != null && accept != null && accept.contains("gzip")) {
            resp.setHeader("Content-Encoding", "gzip");
            body = a.gzip();
        }
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private void securityHeaders(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", csp(auth));
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
    }

    /**
     * The policy, with the OpenID Connect provider's token endpoint added to {@code connect-src} when the dashboard
     * logs in there: the browser exchanges its authorization code itself (PKCE), so that is the one other place
     * a page may call. Everything else stays with this orchestrator; a provider that cannot be read adds nothing.
     */
    static String csp(AuthService auth) {
        try {
            return auth.oidcLogin().map(l -> origin(l.tokenEndpoint()))
                    .map(o -> CSP.replace("connect-src 'self';", "connect-src 'self' " + o + ";")).orElse(CSP);
        } catch (IllegalStateException e) {
            return CSP;
        }
    }

    /** scheme://host[:port] of an http(s) URL, or null when it is not one (nothing is added then). */
    static String origin(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null
                    || !u.getHost().matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                return null;
            }
            return scheme + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** {@code {"ROLE":["PERMISSION",...],...}} for the project roles, from the enum itself. */
    static String rolesJson() {
        Map<String, String> byRole = new TreeMap<>();
        for (Role r : Role.values()) {
            byRole.put(r.name(), r.permissions().stream().map(Permission::name).sorted()
                    .map(p -> "\"" + p + "\"").collect(Collectors.joining(",", "[", "]")));
        }
        return byRole.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }
}
