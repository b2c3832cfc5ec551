package org.edgeorch.oci.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class RegistryHarnessTest {

    @Test
    void aMissingBinaryFailsWithWhatToInstall() {
        System.setProperty(RegistryHarness.BINARY_PROPERTY, "/nonexistent/docker-registry");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, RegistryHarness::start);
            assertTrue(e.getMessage().contains("is not an executable file"), e.getMessage());
        } finally {
            System.clearProperty(RegistryHarness.BINARY_PROPERTY);
        }
    }

    @Test
    void theRegistryAnswersUntilClosedAndItsStorageIsDeleted() throws Exception {
        URI uri;
        Path log;
        try (RegistryHarness registry = RegistryHarness.start()) {
            uri = registry.uri();
            log = registry.log();
            HttpResponse<Void> ping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, ping.statusCode());
            assertTrue(registry.logText().contains("GET /v2/"), registry.logText());
        }
        assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("v2/")).build(),
                HttpResponse.BodyHandlers.discarding()));
        assertTrue(Files.notExists(log.getParent()));
    }
}
