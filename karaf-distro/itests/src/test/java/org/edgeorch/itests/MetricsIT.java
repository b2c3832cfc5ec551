package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /metrics} on the running orchestrator: Prometheus client_java embedded in the observability bundle resolves
 * in Karaf, the scrape token is checked against its hash, the text format is clean under {@code promtool check metrics},
 * OpenMetrics is answered when asked for, the fleet is counted without a host label, the opt-in per-host endpoint is
 * project-scoped, and a real Prometheus (Debian's) scrapes it and answers a PromQL query about the fleet.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsIT extends HttpItestSupport {

    static final String SCRAPE_TOKEN = "itest-scrape-token-0123456789abcdef";

    @Configuration
    public Option[] config() throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(SCRAPE_TOKEN.getBytes(StandardCharsets.UTF_8)));
        return options(distribution("orchestrator", 18197, 18117, 12299), adminPassword(),
                editConfigurationFilePut("etc/org.edgeorch.observability.cfg", "scrapeTokenSha256", hash),
                editConfigurationFilePut("etc/org.edgeorch.observability.cfg", "fleetCacheSeconds", "0"),
                // every scrape sees the calls just made (the page cache has a unit test, ExpositionCacheTest)
                editConfigurationFilePut("etc/org.edgeorch.observability.cfg", "expositionCacheSeconds", "0"),
                editConfigurationFilePut("etc/org.edgeorch.observability.cfg", "perHostMetrics", "true"));
    }

    private void fleet() {
        awaitStatusUp("database");
        if (call("GET", "/api/v1/projects/metrics", token, null).statusCode() == 200) {
            return;
        }
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"metrics\"}"));
        for (String h : new String[] {"m1", "m2", "m3"}) {
            created(call("POST", "/api/v1/projects/metrics/hosts", token,
                    "{\"name\":\"" + h + "\",\"serialNumber\":\"SN-" + h + "\"}"));
        }
        assertEquals(200, call("POST", "/api/v1/projects/metrics/hosts/m3/invalidate", token,
                "{\"reason\":\"returned\"}").statusCode());
    }

    private HttpResponse<String> scrape(String path, String bearer, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return send(b.build());
    }

    private static String promtool(String body) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("promtool exits", p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() + " " + out;
    }

    @Test
    public void theScrapeIsAuthenticatedCleanAndCountsTheFleetWithoutHosts() throws Exception {
        fleet();
        Bundle observability = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName().equals("org.edgeorch.observability")).findFirst().orElseThrow();
        assertEquals(Bundle.ACTIVE, observability.getState());

        HttpResponse<String> none = scrape("/metrics", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("unauthenticated", json(none).get("code").asText());
        assertEquals(401, scrape("/metrics", SCRAPE_TOKEN + "x", null).statusCode());
        assertEquals("an API token is not a scrape token", 401, scrape("/metrics", token, null).statusCode());

        HttpResponse<String> text = scrape("/metrics", SCRAPE_TOKEN, null);
        assertEquals(text.body(), 200, text.statusCode());
        assertTrue(text.headers().firstValue("Content-Type").orElse(""), text.headers().firstValue("Content-Type")
                .orElse("").startsWith("text/plain; version=0.0.4"));
        String body = text.body();
        assertTrue(body, body.contains("edgeorch_hosts{project=\"metrics\",site=\"\",status=\"REGISTERED\"} 2.0"));
        assertTrue(body, body.contains("edgeorch_hosts{project=\"metrics\",site=\"\",status=\"INVALIDATED\"} 1.0"));
        assertTrue(body, body.contains("jvm_memory_used_bytes{area=\"heap\"}"));
        assertTrue(body, body.contains("edgeorch_db_pool_connections{state=\"max\"}"));
        assertTrue("REST calls are timed: " + body, body.matches(
                "(?s).*edgeorch_http_request_duration_seconds_count\\{api=\"rest\",code=\"2xx\",method=\"POST\"} [1-9].*"));
        assertFalse("no host label on the global endpoint", body.contains("\"m1\"") || body.contains("host=\""));
        assertTrue(promtool(body), promtool(body).startsWith("0 "));

        HttpResponse<String> open = scrape("/metrics", SCRAPE_TOKEN, "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
        assertEquals(200, open.statusCode());
        assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(open.body().endsWith("# EOF\n"));
    }

    @Test
    public void perHostSeriesAreProjectScoped() throws Exception {
        fleet();
        HttpResponse<String> own = scrape("/metrics/projects/metrics/hosts", token, null);
        assertEquals(own.body(), 200, own.statusCode());
        assertTrue(own.body(), own.body().contains(
                "edgeorch_host_status{host=\"m3\",project=\"metrics\",site=\"\",status=\"INVALIDATED\"} 1.0"));
        assertTrue(promtool(own.body()), promtool(own.body()).startsWith("0 "));
        assertEquals(401, scrape("/metrics/projects/metrics/hosts", null, null).statusCode());
        assertEquals(401, scrape("/metrics/projects/metrics/hosts", "not-a-token", null).statusCode());
        assertEquals(404, scrape("/metrics/projects/nope/hosts", token, null).statusCode());
        assertEquals(404, scrape("/metrics/elsewhere", SCRAPE_TOKEN, null).statusCode());

        if (call("GET", "/api/v1/orgs/rival", token, null).statusCode() != 200) {
            created(call("POST", "/api/v1/orgs", token, "{\"name\":\"rival\"}"));
            created(call("POST", "/api/v1/orgs/rival/users", token, "{\"username\":\"rival-admin\",\"password\":\"rival-admin-password\"}"));
            created(call("POST", "/api/v1/orgs/rival/roles", token,
                    "{\"subjectType\":\"USER\",\"subject\":\"rival-admin\",\"role\":\"ORG_ADMIN\"}"));
        }
        String rival = login("rival-admin", "rival-admin-password");
        HttpResponse<String> theirs = scrape("/metrics/projects/metrics/hosts", rival, null);
        assertEquals(404, theirs.statusCode());
        assertFalse(theirs.body().contains("m1"));
    }

    @Test
    public void aRealPrometheusScrapesAndAnswersAQueryAboutTheFleet() throws Exception {
        fleet();
        Path dir = Files.createTempDirectory("prometheus");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "scrape_configs:",
                "  - job_name: edgeorch",
                "    authorization:",
                "      credentials: " + SCRAPE_TOKEN,
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + System.getProperty("edge.it.httpPort") + "']",
                ""));
        File log = dir.resolve("prometheus.log").toFile();
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log).start();
        try {
            String query = URLEncoder.encode("sum by (status) (edgeorch_hosts{project=\"metrics\"})", StandardCharsets.UTF_8);
            String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + query;
            JsonNode[] result = new JsonNode[1];
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            Processes.await("Prometheus to scrape the orchestrator (" + log + ")", Duration.ofSeconds(60), () -> {
                // until Prometheus listens, the connection is refused (an IOException: not yet)
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return false;
                }
                result[0] = json(r).get("data").get("result");
                return result[0].size() == 2;
            });
            for (JsonNode series : result[0]) {
                String status = series.get("metric").get("status").asText();
                assertEquals(series.toString(), "REGISTERED".equals(status) ? "2" : "1", series.get("value").get(1).asText());
            }
            HttpResponse<String> up = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/query?query=up")).GET().build());
            assertTrue(up.body(), json(up).get("data").get("result").get(0).get("value").get(1).asText().equals("1"));
            assertFalse("the token is not in Prometheus's log", Files.readString(log.toPath()).contains(SCRAPE_TOKEN));
        } finally {
            Processes.killTree(prometheus);
        }
    }
}
