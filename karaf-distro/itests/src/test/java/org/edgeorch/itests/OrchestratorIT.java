package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** The orchestrator distribution on its default embedded Derby: REST, SOAP, shell, SSH and hot deploy. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrchestratorIT extends HttpItestSupport {

    @Configuration
    public Option[] config() {
        return options(distribution("orchestrator", 18181, 18101, 11099), adminPassword());
    }

    @Test
    public void statusReportsRuntimeDatabaseCamelAndPlugins() {
        JsonNode status = awaitStatusUp("database", "camel");
        assertEquals("Edge Orchestrator", status.get("product").asText());
        assertEquals("orchestrator", status.get("runtime").asText());
        assertEquals(System.getProperty("edge.version").replace('-', '.'), status.get("version").asText());
        assertTrue(status.get("uptimeSeconds").asLong() >= 0);
        JsonNode db = component(status, "database");
        assertEquals("DERBY", db.get("details").get("kind").asText());
        assertTrue(db.get("details").get("product").asText().startsWith("Apache Derby 10.16"));
        assertEquals(System.getProperty("edge.schema.version"), db.get("details").get("schemaVersion").asText());
        assertTrue(db.get("details").get("location").asText().endsWith("data/edgeorch/derby"));
        assertEquals(List.of("linux", "linux-os"), ids(status.get("plugins")));
    }

    @Test
    public void pluginsAndInventoryOverRest() {
        awaitStatusUp("database");
        HttpResponse<String> list = get("/api/v1/plugins");
        assertEquals(200, list.statusCode());
        assertTrue(list.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode linux = json(list).get(0);
        assertEquals("linux", linux.get("id").asText());
        assertEquals("HARDWARE", linux.get("kind").asText());
        assertEquals("org.edgeorch.plugin.linux", linux.get("bundle").asText());

        assertEquals(List.of("linux-os"), ids(json(get("/api/v1/plugins?kind=os"))));

        JsonNode report = json(get("/api/v1/plugins/linux"));
        JsonNode cpu = report.get("hardware").get("cpu");
        assertEquals(Runtime.getRuntime().availableProcessors(), cpu.get("threads").asInt());
        assertTrue(report.get("hardware").get("memory").get("totalBytes").asLong() > 0);
        assertTrue(report.get("error").isNull());

        JsonNode inventory = json(get("/api/v1/inventory"));
        assertEquals("linux", inventory.get("plugin").get("id").asText());
        assertEquals(cpu, inventory.get("hardware").get("cpu"));

        JsonNode os = json(get("/api/v1/plugins/linux-os")).get("os");
        assertEquals("MUTABLE", os.get("type").asText());
        assertFalse(os.get("name").asText().isBlank());
    }

    @Test
    public void badInputGetsSpecificJsonErrors() {
        awaitStatusUp();
        assertError(get("/api/v1/plugins?kind=GPU"), 400, "invalid_parameter");
        assertEquals("kind", json(get("/api/v1/plugins?kind=GPU")).get("fields").get(0).get("field").asText());
        assertError(get("/api/v1/plugins/no-such-plugin"), 404, "not_found");
        assertError(get("/api/v1/no/such/path"), 404, "not_found");
        assertError(call("POST", "/api/v1/status", token, "{}"), 405, "method_not_allowed");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/status")).header("Authorization", "Bearer " + token)
                .header("Accept", "application/xml").GET().build()), 406, "not_acceptable");
        HttpResponse<String> anonymous = call("GET", "/api/v1/status", null, null);
        assertError(anonymous, 401, "unauthenticated");
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertError(call("GET", "/api/v1/plugins", "not.a.token", null), 401, "unauthenticated");
        assertEquals(200, call("GET", "/api/v1/health", null, null).statusCode());
    }

    @Test
    public void openApiDocumentDescribesTheApiAndEveryGetAnswers() {
        awaitStatusUp("database");
        HttpResponse<String> r = get("/api/v1/openapi.json");
        assertEquals(200, r.statusCode());
        JsonNode doc = json(r);
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        assertEquals("/api/v1", doc.get("servers").get(0).get("url").asText());
        assertNotNull(doc.get("components").get("schemas").get("Error"));
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertTrue(paths.toString(), paths.containsAll(List.of("/status", "/plugins", "/plugins/{id}", "/inventory")));
        // Every documented GET answers, with the documented path parameters filled in.
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            if (path.getValue().has("get") && !path.getKey().matches(".*\\{(?!id\\}).*")) {
                String url = "/api/v1" + path.getKey().replace("{id}", "linux");
                assertEquals(url, 200, get(url).statusCode());
            }
        }
    }

    @Test
    public void soapServiceHasWsdlOperationsAndFaults() {
        awaitStatusUp("database");
        HttpResponse<String> wsdl = get("/soap/platform?wsdl");
        assertEquals(200, wsdl.statusCode());
        for (String op : List.of("getStatus", "listPlugins", "getPluginReport")) {
            assertTrue(op + " in WSDL", wsdl.body().contains("name=\"" + op + "\""));
        }
        String status = soap("<p:getStatus/>");
        assertTrue(status, status.contains("<runtime>orchestrator</runtime>") || status.contains(":runtime>orchestrator<"));
        String plugins = soap("<p:listPlugins/>");
        assertTrue(plugins, plugins.contains(">linux<") && plugins.contains(">linux-os<"));
        String report = soap("<p:getPluginReport><p:pluginId>linux</p:pluginId></p:getPluginReport>");
        assertTrue(report, report.contains("threads>" + Runtime.getRuntime().availableProcessors() + "<"));
        String fault = soap("<p:getPluginReport><p:pluginId>nope</p:pluginId></p:getPluginReport>");
        assertTrue(fault, fault.contains("Fault>") && fault.contains("plugin 'nope' does not exist"));
        assertTrue(fault, fault.contains(":Client</faultcode>"));
        String malformed = soap("<p:getStatus>");
        assertTrue(malformed, malformed.contains("Fault>") && malformed.contains(":Client</faultcode>"));
        String anonymous = soap("/soap/platform", null, null, "<p:getStatus/>");
        assertTrue(anonymous, anonymous.contains(":Client</faultcode>") && anonymous.contains("unauthenticated"));
        String wssec = soap("/soap/platform", null, new String[] {"admin", ADMIN_PASSWORD}, "<p:listPlugins/>");
        assertTrue(wssec, wssec.contains(">linux<"));
        String wrong = soap("/soap/platform", null, new String[] {"admin", "wrong-password"}, "<p:listPlugins/>");
        assertTrue(wrong, wrong.contains("unauthenticated"));
    }

    @Test
    public void shellCommands() {
        awaitStatusUp("database", "camel");
        String status = shell("edge:status");
        assertTrue(status, status.contains("Edge Orchestrator") && status.contains("(orchestrator)"));
        assertTrue(status, status.matches("(?s).*database\\s+\\|\\s+UP.*"));
        String plugins = shell("edge:plugin-list");
        assertTrue(plugins, plugins.contains("linux ") && plugins.contains("linux-os") && plugins.contains("HARDWARE"));
        assertFalse(shell("edge:plugin-list --kind OS").contains("HARDWARE"));
        assertTrue(shell("edge:plugin-list --kind bogus").contains("kind 'bogus' is not one of HARDWARE, OS"));
        String inventory = shell("edge:inventory");
        assertTrue(inventory, inventory.contains("CPU") && inventory.contains("Memory") && inventory.contains("thread(s)"));
        assertTrue(shell("edge:inventory linux-os").contains("MUTABLE"));
        assertTrue(shell("edge:inventory nope").contains("no plugin 'nope'"));
    }

    @Test
    public void sshRunsTheSameCommands() throws Exception {
        awaitStatusUp("database");
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH on " + port, Duration.ofSeconds(60), () -> ssh(port, "admin", ADMIN_PASSWORD, "edge:plugin-list").contains("linux-os"));
        String status = ssh(port, "admin", ADMIN_PASSWORD, "edge:status");
        assertTrue(status, status.contains("(orchestrator)"));
    }

    @Test
    public void pluginDroppedIntoDeployAppearsAndDisappearsLive() throws Exception {
        awaitStatusUp("database");
        Path jar = Path.of(System.getProperty("edge.simulated.jar"));
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", jar.getFileName().toString());
        Files.copy(jar, deployed, StandardCopyOption.REPLACE_EXISTING);
        try {
            await("simulated plugin listed", Duration.ofSeconds(30),
                    () -> ids(json(get("/api/v1/plugins"))).contains("simulated"));
            assertTrue(shell("edge:plugin-list").contains("simulated"));
            assertTrue(soap("<p:listPlugins/>").contains(">simulated<"));
            JsonNode sim = json(get("/api/v1/plugins/simulated")).get("hardware");
            assertTrue(sim.get("system").get("serialNumber").asText().startsWith("SIM-"));
        } finally {
            Files.delete(deployed);
        }
        await("simulated plugin gone", Duration.ofSeconds(30),
                () -> !ids(json(get("/api/v1/plugins"))).contains("simulated"));
        assertFalse(shell("edge:plugin-list").contains("simulated"));
        assertEquals(404, get("/api/v1/plugins/simulated").statusCode());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private String soap(String body) {
        return soap("/soap/platform", token, null, body);
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode error = json(r);
        assertEquals(status, error.get("status").asInt());
        assertEquals(code, error.get("code").asText());
        assertFalse(error.get("message").asText().isBlank());
    }

    private static JsonNode component(JsonNode status, String name) {
        for (JsonNode c : status.get("components")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no component " + name + " in " + status);
    }

    private static List<String> ids(JsonNode plugins) {
        List<String> ids = new ArrayList<>();
        plugins.forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }
}
