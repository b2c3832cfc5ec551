package org.edgeorch.soap.internal;

import java.util.List;

import javax.jws.WebService;

import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.StatusService;
import org.edgeorch.soap.NotFoundFault;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.PluginDto;
import org.edgeorch.soap.PluginReportDto;
import org.edgeorch.soap.StatusDto;

@WebService(serviceName = "PlatformService", portName = "PlatformPort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.PlatformService")
public class PlatformServiceImpl implements PlatformService {

    private final StatusService status;
    private final PluginRegistry plugins;

    public PlatformServiceImpl(StatusService status, PluginRegistry plugins) {
        this.status = status;
        this.plugins = plugins;
    }

    @Override
    public StatusDto getStatus() {
        SoapAuthInterceptor.caller();
        return Dtos.status(status.status());
    }

    @Override
    public List<PluginDto> listPlugins() {
        SoapAuthInterceptor.caller();
        return plugins.plugins().stream().map(Dtos::plugin).toList();
    }

    @Override
    public PluginReportDto getPluginReport(String pluginId) throws NotFoundFault {
        SoapAuthInterceptor.caller();
        if (pluginId == null || pluginId.isBlank()) {
            throw new NotFoundFault("pluginId is required; listPlugins gives the ids present");
        }
        return plugins.report(pluginId).map(Dtos::report)
                .orElseThrow(() -> new NotFoundFault("plugin '" + pluginId + "' does not exist; listPlugins gives the ids present"));
    }
}
