package org.edgeorch.orchestrator.shell.internal;

import java.util.HashMap;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.edgeorch.tenancy.AuthService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Replaces Karaf's properties-file realm "karaf" (rank -1) with one backed by the product's users, so
 * SSH and remote console logins use the same accounts, passwords and disabling as REST and SOAP.
 */
@Component(service = JaasRealm.class, immediate = true)
public class EdgeJaasRealm implements JaasRealm {

    static final String REALM = "karaf";
    static final String AUTH_OPTION = "org.edgeorch.tenancy.AuthService";

    private final AppConfigurationEntry[] entries;

    @Activate
    public EdgeJaasRealm(@Reference AuthService auth, BundleContext context) {
        Map<String, Object> options = new HashMap<>();
        options.put(ProxyLoginModule.PROPERTY_MODULE, EdgeLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        options.put(BundleContext.class.getName(), context);
        options.put(AUTH_OPTION, auth);
        entries = new AppConfigurationEntry[] {new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
    }

    @Override
    public String getName() {
        return REALM;
    }

    @Override
    public int getRank() {
        return 10;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        return entries.clone();
    }
}
