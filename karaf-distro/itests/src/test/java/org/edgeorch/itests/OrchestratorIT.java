package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
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

    private static final int SOUTHBOUND = 18744;

    @Configuration
    public Option[] config() {
        return options(distribution("orchestrator", 18181, 18101, 11099), adminPassword(),
                editConfigurationFilePut("etc/org.edgeorch.southbound.cfg", "port", String.valueOf(SOUTHBOUND)));
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
    public void malformedRequestsGetTheProductsErrorBodyNever500() throws Exception {
        awaitStatusUp();
        // a bad percent-escape, on REST and SOAP alike, even unauthenticated (the JDK's client refuses to send one)
        assertRawError("GET /api/v1/health?x=%zz", 400, "bad_encoding");
        assertRawError("GET /soap/platform?x=%zz", 400, "bad_encoding");
        // a charset the product does not read is 415, not a 500
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json; charset=klingon")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 415, "unsupported_media_type");
        assertEquals(415, send(HttpRequest.newBuilder(URI.create(base() + "/soap/platform"))
                .header("Content-Type", "text/xml; charset=klingon").POST(HttpRequest.BodyPublishers.ofString("<x/>")).build())
                .statusCode());
        // authentication before content negotiation
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/projects/x/hosts/import"))
                .header("Content-Type", "application/x-unknown").POST(HttpRequest.BodyPublishers.ofString("a")).build()),
                401, "unauthenticated");
        // JSON types are not coerced, and a refusal names the field and quotes no more than a prefix
        HttpResponse<String> number = call("POST", "/api/v1/auth/login", null, "{\"username\": 12345, \"password\": \"x\"}");
        assertError(number, 400, "invalid_field");
        assertEquals("username", json(number).get("fields").get(0).get("field").asText());
        HttpResponse<String> longName = call("POST", "/api/v1/projects", token,
                "{\"organization\": \"default\", \"name\": \"" + "x".repeat(10_000) + "\"}");
        assertError(longName, 400, "invalid_field");
        assertTrue(longName.body(), longName.body().length() < 1000);
    }

    /** Sends a request line as written (no client would send it), and checks the product's JSON error body. */
    private static void assertRawError(String requestLine, int status, String code) throws IOException {
        assertRawJsonError(rawAnswer(webSocket(), requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                status, code);
    }

    /**
     * What Jetty refuses on its own, before any servlet or handler (a URI or headers over the limit, a bad escape in
     * the path, a request line that is not HTTP) answer the product's JSON error body on
     * the web container's port and on the southbound's (in the agent protocol's body there), for any method.
     */
    @Test
    public void jettysOwnAnswersAreTheProductsErrorBody() throws Exception {
        awaitStatusUp();
        String longUri = "GET /api/v1/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        String bigHeaders = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
        assertRawJsonError(rawAnswer(webSocket(), longUri), 414, "uri_too_long");
        assertRawJsonError(rawAnswer(webSocket(), bigHeaders), 431, "request_header_fields_too_large");
        assertRawJsonError(rawAnswer(webSocket(), "NOT HTTP AT ALL\r\n\r\n"), 400, "bad_request");
        assertRawJsonError(rawAnswer(webSocket(), "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad\u0001: y\r\n\r\n"),
                400, "bad_request");
        for (String path : List.of("/soap/%4", "/api/v1/%zz", "/ui/%", "/soap/a%00b", "/api/v1/health%00")) {
            for (String method : List.of("GET", "DELETE")) {
                String answer = rawAnswer(webSocket(), method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                String code = assertRawJsonError(answer, 400, null).get("code").asText();
                assertTrue(answer, List.of("bad_request", "bad_encoding").contains(code));
            }
        }

        assertRawJsonError(rawAnswer(southboundSocket(SOUTHBOUND), longUri), 414, "URI_TOO_LONG");
        assertRawJsonError(rawAnswer(southboundSocket(SOUTHBOUND), bigHeaders), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE");
        assertRawJsonError(rawAnswer(southboundSocket(SOUTHBOUND), "NOT HTTP AT ALL\r\n\r\n"), 400, "BAD_REQUEST");
        for (String path : List.of("/api/v1/southbound/%4", "/api/v1/southbound/%zz", "/api/v1/a%00b")) {
            String answer = rawAnswer(southboundSocket(SOUTHBOUND), "POST " + path
                    + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertTrue(answer, answer.startsWith("HTTP/1.1 4"));
            int status = Integer.parseInt(answer.substring(9, 12));
            assertTrue(answer, assertRawJsonError(answer, status, null).get("code").asText().matches("[A-Z_]+"));
        }
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
    public void soapCallersMistakesAreBriefClientFaults() throws Exception {
        awaitStatusUp("database");
        String missing = soap("/soap/fleet", token, null, "<p:listRegions/>");
        assertTrue(missing, missing.contains(":Client</faultcode>") && missing.contains("parameter 'project' is required"));
        String blank = soap("/soap/platform", token, null, "<p:getPluginReport><p:pluginId> </p:pluginId></p:getPluginReport>");
        assertTrue(blank, blank.contains(":Client</faultcode>") && blank.contains("parameter 'pluginId' is required"));
        String wsdl = get("/soap/fleet?wsdl").body();
        assertTrue(wsdl, wsdl.matches("(?s).*<xs:complexType name=\"listRegions\">\\s*<xs:sequence>\\s*"
                + "<xs:element (minOccurs=\"1\" )?name=\"project\" type=\"xs:string\"/>.*"));

        String unknown = soap("/soap/platform", token, null, "<p:noSuchOperation/>");
        assertTrue(unknown, unknown.contains(":Client</faultcode>"));
        String notANumber = soap("/soap/fleet", token, null,
                "<p:listHosts><p:project>default</p:project><p:offset>abc</p:offset></p:listHosts>");
        assertTrue(notANumber, notANumber.contains(":Client</faultcode>"));

        String longId = "x".repeat(10_000);
        String echo = soap("/soap/platform", token, null, "<p:getPluginReport><p:pluginId>" + longId + "</p:pluginId></p:getPluginReport>");
        assertTrue(echo.length() + " characters: " + echo.substring(0, 300), echo.length() < 2_000);
        assertTrue(echo, echo.contains(":Client</faultcode>") && echo.contains("does not exist"));

        // WS-Security as SOAP stacks send it by default: the Security header marked mustUnderstand.
        String understood = soapEnvelope("/soap/platform", "<s:Header><wsse:Security s:mustUnderstand=\"1\" xmlns:wsse=\""
                + "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\"><wsse:UsernameToken>"
                + "<wsse:Username>admin</wsse:Username><wsse:Password>" + ADMIN_PASSWORD + "</wsse:Password>"
                + "</wsse:UsernameToken></wsse:Security></s:Header>", "<p:listPlugins/>").body();
        assertTrue(understood, understood.contains(">linux<") && !understood.contains("Fault>"));

        // Bad input logs one INFO line, not a WARN stack trace.
        String marker = "log-marker-" + System.nanoTime();
        soap("/soap/platform", token, null, "<p:" + marker + "/>");
        soap("/soap/platform", token, null, "<p:getPluginReport><p:pluginId>" + marker + "</p:pluginId></p:getPluginReport>");
        Path log = Path.of(System.getProperty("karaf.base"), "data", "log", "karaf.log");
        await("two lines about " + marker, Duration.ofSeconds(10),
                () -> Files.readAllLines(log).stream().filter(l -> l.contains(marker)).count() >= 2);
        List<String> lines = Files.readAllLines(log);
        int first = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                first = first < 0 ? i : first;
                assertTrue(lines.get(i), lines.get(i).contains("INFO") && lines.get(i).contains("SOAP client fault"));
            }
        }
        List<String> after = lines.subList(first, lines.size());
        assertEquals(after.toString(), 2, after.stream().filter(l -> l.contains(marker)).count());
        assertFalse(after.toString(), after.stream().anyMatch(l -> l.contains("WARN") && (l.contains("unwinding") || l.contains("SOAP"))
                || l.startsWith("\tat org.apache.cxf")));
    }

    @Test
    public void soapRefusesAnOversizedEnvelopeBeforeReadingIt() throws Exception {
        awaitStatusUp("database");
        String head = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:edgeorch:platform:v1\">"
                + "<s:Body><p:getPluginReport><p:pluginId>";
        // A declared length of 100 MB: refused at once, after 1 KB of it was sent.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.getInteger("edge.it.httpPort"))) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /soap/platform HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=UTF-8\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Length: 100000000\r\n\r\n" + head + "y".repeat(1024))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = readAnswer(socket);
            assertTrue(answer, answer.startsWith("HTTP/1.1 413"));
            assertTrue(answer, answer.contains(":Client</faultcode>") && answer.contains("larger than the limit of 1048576 bytes")
                    && !answer.contains("yyyy"));
        }
        // No declared length (chunked): refused once the first 1 MiB has been read, not after all of it.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.getInteger("edge.it.httpPort"))) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /soap/platform HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=UTF-8\r\n"
                    + "Authorization: Bearer " + token + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = ("10000\r\n" + "z".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(head.length()) + "\r\n" + head + "\r\n").getBytes(StandardCharsets.UTF_8));
            Thread sender = new Thread(() -> {
                try {
                    for (int sent = 0; sent < 32; sent++) { // 2 MiB, and never the end of the envelope
                        out.write(chunk);
                        out.flush();
                    }
                } catch (java.io.IOException refusedWhileSending) {
                    // the server answered and closed before the client finished: what it should do
                }
            });
            sender.setDaemon(true);
            sender.start();
            String answer = readAnswer(socket);
            assertTrue(answer, answer.startsWith("HTTP/1.1 413"));
            assertTrue(answer, answer.contains(":Client</faultcode>") && answer.contains("larger than the limit of 1048576 bytes")
                    && !answer.contains("zzzz"));
        }
        assertTrue(soap("<p:listPlugins/>").contains(">linux<"));
    }

    @Test
    public void soapIsServedOnceAtSoapWhichListsTheServices() {
        awaitStatusUp("database");
        HttpResponse<String> index = get("/soap/");
        assertEquals(index.body(), 200, index.statusCode());
        for (String service : List.of("platform", "tenancy", "fleet", "onboarding", "releases", "schedules", "rollouts")) {
            assertTrue(index.body(), index.body().contains("href=\"/soap/" + service + "?wsdl\""));
            assertEquals(200, get("/soap/" + service + "?wsdl").statusCode());
            assertEquals(404, get("/cxf/" + service + "?wsdl").statusCode());
        }
        assertFalse(index.body(), index.body().contains("getPluginReport"));
        String cxf = get("/cxf/").body();
        assertFalse(cxf, cxf.contains("PlatformService") || cxf.contains("/soap") || cxf.contains("getStatus"));
        assertEquals(404, get("/cxf/api/v1/status").statusCode());
    }

    /** Every operation of every service, called with nothing, or with wrong and oversized values, never faults as Server. */
    @Test
    public void everySoapOperationRefusesBadInputAsTheClientsMistake() {
        awaitStatusUp("database");
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (String service : List.of("platform", "tenancy", "fleet", "onboarding", "releases", "schedules", "rollouts")) {
            String wsdl = get("/soap/" + service + "?wsdl").body();
            java.util.regex.Matcher types = java.util.regex.Pattern.compile(
                    "<xs:complexType name=\"(\\w+)\">(.*?)</xs:complexType>", java.util.regex.Pattern.DOTALL).matcher(wsdl);
            Map<String, String> inputs = new java.util.HashMap<>();
            while (types.find()) {
                inputs.put(types.group(1), types.group(2));
            }
            java.util.Set<String> operations = new java.util.TreeSet<>();
            java.util.regex.Matcher op = java.util.regex.Pattern.compile("<wsdl:operation name=\"(\\w+)\">").matcher(wsdl);
            while (op.find()) {
                operations.add(op.group(1));
            }
            assertFalse(service, operations.isEmpty());
            for (String operation : operations) {
                List<String> bodies = new ArrayList<>();
                bodies.add("<p:" + operation + "/>");
                if (operation.matches("(list|get|query).*")) {
                    StringBuilder b = new StringBuilder("<p:" + operation + ">");
                    java.util.regex.Matcher e = java.util.regex.Pattern.compile("<xs:element [^>]*name=\"(\\w+)\" type=\"xs:(\\w+)\"")
                            .matcher(inputs.getOrDefault(operation, ""));
                    while (e.find()) {
                        b.append("<p:").append(e.group(1)).append('>')
                                .append("string".equals(e.group(2)) ? "q".repeat(5_000) : "-99999999999999999999")
                                .append("</p:").append(e.group(1)).append('>');
                    }
                    bodies.add(b.append("</p:").append(operation).append('>').toString());
                }
                for (String body : bodies) {
                    calls++;
                    String answer = soap("/soap/" + service, token, null, body);
                    if (answer.contains("Fault>") && (!answer.contains(":Client</faultcode>") || answer.contains("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")
                            || answer.length() > 2_000)) {
                        wrong.add(service + "#" + operation + ": " + answer.substring(0, Math.min(400, answer.length())));
                    }
                }
            }
        }
        assertTrue(calls + " calls; wrong: " + String.join("\n", wrong), wrong.isEmpty());
        assertTrue(String.valueOf(calls), calls > 100);
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
        // bin/client with the command as an argument, from a script (no terminal): it runs the command.
        String client = binClient("-a", String.valueOf(port), "-u", "admin", "-p", ADMIN_PASSWORD, "edge:plugin-list --kind OS");
        assertTrue(client, client.contains("linux-os") && !client.contains("HARDWARE") && client.endsWith("exit 0"));
        String refused = binClient("-a", String.valueOf(port), "-u", "admin", "-p", "wrong-password", "edge:status");
        assertFalse(refused, refused.contains("(orchestrator)") || refused.endsWith("exit 0"));
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

    /** Posts an envelope with this header (or none) and body, without a bearer token. */
    private HttpResponse<String> soapEnvelope(String path, String header, String body) {
        String envelope = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:edgeorch:platform:v1\">"
                + header + "<s:Body>" + body + "</s:Body></s:Envelope>";
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "text/xml; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build());
    }

    /** What the server sent on this socket until it closed it or went quiet for a second after answering. */
    private static String readAnswer(java.net.Socket socket) throws java.io.IOException {
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        var in = socket.getInputStream();
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.write(buffer, 0, n);
                if (answer.toString(StandardCharsets.UTF_8).contains("</soap:Envelope>")) {
                    break;
                }
            }
        } catch (java.io.IOException closed) {
            // a reset after the answer is fine; an empty answer fails the caller's assertions
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

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
