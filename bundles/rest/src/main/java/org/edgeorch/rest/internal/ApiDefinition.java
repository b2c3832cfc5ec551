package org.edgeorch.rest.internal;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;

/** Top-level facts of the OpenAPI document; read by the build's swagger plugin only. */
@OpenAPIDefinition(
        info = @Info(title = "Edge Orchestrator API", version = "v1",
                description = "Manage fleets of edge hosts. Every failure answers with the Error schema."),
        servers = @Server(url = "/api/v1"))
final class ApiDefinition {

    private ApiDefinition() {
    }
}
