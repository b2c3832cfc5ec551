package org.edgeorch.agent.update.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/** The built-in "runtime up" check: which bundles keep a trial boot from being healthy. */
class RuntimeCheckTest {

    @Test
    void aBundleThatShouldRunAndDoesNotFailsTheCheckOneNobodyStartedDoesNot() {
        Bundle[] bundles = {
            bundle("active", Bundle.ACTIVE, true, false),
            bundle("failed-to-start", Bundle.RESOLVED, true, false),
            // the node's SSH server: installed with start="false", started by its first connection
            bundle("org.apache.karaf.shell.ssh", Bundle.RESOLVED, false, false),
            bundle("a-fragment", Bundle.RESOLVED, false, true),
            bundle("installed-unresolvable", Bundle.INSTALLED, true, false),
        };
        assertEquals(List.of("failed-to-start", "installed-unresolvable"), UpdateAgentComponent.notActive(bundles));
    }

    @Test
    void everythingActiveIsHealthy() {
        assertEquals(List.of(), UpdateAgentComponent.notActive(new Bundle[] {
            bundle("a", Bundle.ACTIVE, true, false), bundle("b", Bundle.ACTIVE, false, false)}));
    }

    private static Bundle bundle(String name, int state, boolean persistentlyStarted, boolean fragment) {
        BundleStartLevel startLevel = (BundleStartLevel) Proxy.newProxyInstance(RuntimeCheckTest.class.getClassLoader(),
                new Class<?>[] {BundleStartLevel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isPersistentlyStarted" -> persistentlyStarted;
                    case "toString" -> name + " start level";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Hashtable<String, String> headers = new Hashtable<>();
        if (fragment) {
            headers.put(Constants.FRAGMENT_HOST, "host");
        }
        return (Bundle) Proxy.newProxyInstance(RuntimeCheckTest.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> name;
                    case "getState" -> state;
                    case "getHeaders" -> headers;
                    case "adapt" -> args[0] == BundleStartLevel.class ? startLevel : null;
                    case "toString" -> name;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
