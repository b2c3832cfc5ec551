package org.edgeorch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.function.Supplier;

import org.edgeorch.tenancy.AuthService;
import org.edgeorch.tenancy.Model.OidcLogin;
import org.junit.jupiter.api.Test;

class CspTest {

    /** An AuthService that only answers oidcLogin(). */
    private static AuthService answering(Supplier<Optional<OidcLogin>> login) {
        return (AuthService) Proxy.newProxyInstance(AuthService.class.getClassLoader(), new Class<?>[] {AuthService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("oidcLogin")) {
                        return login.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static OidcLogin login(String tokenEndpoint) {
        return new OidcLogin("https://idp.example.test", "edge-dashboard", "openid", null,
                "https://idp.example.test/auth", tokenEndpoint, null);
    }

    @Test
    void onlyTheProvidersTokenEndpointIsAddedAndOnlyToConnectSrc() {
        assertEquals(DashboardServlet.CSP, DashboardServlet.csp(answering(Optional::empty)));
        String csp = DashboardServlet.csp(answering(() -> Optional.of(login("https://idp.example.test:8443/realms/x/token?a=b"))));
        assertEquals(DashboardServlet.CSP.replace("connect-src 'self';", "connect-src 'self' https://idp.example.test:8443;"), csp);
        assertEquals(DashboardServlet.CSP, DashboardServlet.csp(answering(() -> {
            throw new IllegalStateException("the provider is down");
        })), "a provider that cannot be read adds nothing");
    }

    @Test
    void aTokenEndpointThatIsNotAPlainHttpUrlAddsNothing() {
        assertNull(DashboardServlet.origin("javascript:alert(1)"));
        assertNull(DashboardServlet.origin("https://idp.example.test;script-src *"));
        assertNull(DashboardServlet.origin("ftp://idp.example.test/token"));
        assertEquals("http://127.0.0.1:9000", DashboardServlet.origin("HTTP://127.0.0.1:9000/token"));
        assertEquals(DashboardServlet.CSP, DashboardServlet.csp(answering(() -> Optional.of(login("https://a b/token")))));
    }
}
