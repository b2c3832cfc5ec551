package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** Regions, sites and hosts over REST and the shell on the running orchestrator. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FleetIT extends HttpItestSupport {

    @Configuration
    public Option[] config() {
        return options(distribution("orchestrator", 18185, 18105, 11499), adminPassword());
    }

    private void project() {
        awaitStatusUp("database");
        if (call("GET", "/api/v1/projects/fleet", token, null).statusCode() == 200) {
            return;
        }
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"fleet\"}"));
        created(call("POST", "/api/v1/projects/fleet/regions", token, "{\"name\":\"eu\",\"metadata\":{\"tier\":\"gold\"}}"));
        created(call("POST", "/api/v1/projects/fleet/regions", token, "{\"name\":\"eu-west\",\"parent\":\"eu\"}"));
        created(call("POST", "/api/v1/projects/fleet/sites", token,
                "{\"name\":\"paris\",\"region\":\"eu-west\",\"latitude\":48.86,\"longitude\":2.35,\"metadata\":{\"owner\":\"ops\"}}"));
        created(call("POST", "/api/v1/projects/fleet/sites", token, "{\"name\":\"oslo\"}"));
    }

    @Test
    public void hostsAreRegisteredImportedAndFiltered() {
        project();
        created(call("POST", "/api/v1/projects/fleet/hosts", token,
                "{\"name\":\"edge-1\",\"serialNumber\":\"SN-1\",\"site\":\"paris\",\"metadata\":{\"rack\":\"r1\"}}"));
        JsonNode host = json(call("GET", "/api/v1/projects/fleet/hosts/edge-1", token, null));
        assertEquals("REGISTERED", host.get("status").asText());
        assertEquals("gold", host.get("effectiveMetadata").get("tier").asText());
        assertEquals("ops", host.get("effectiveMetadata").get("owner").asText());

        HttpResponse<String> imported = csv("name,serial,uuid,site,meta.rack\n"
                + "edge-2,SN-2,,paris,r2\nedge-3,,0b7d6f7e-8a3c-4d2e-9f10-2b3c4d5e6f70,oslo,r1\n");
        assertEquals(imported.body(), 201, imported.statusCode());
        assertEquals(3, json(call("GET", "/api/v1/projects/fleet/hosts", token, null)).get("total").asInt());
        assertEquals(List.of("edge-1", "edge-2"), names(call("GET", "/api/v1/projects/fleet/hosts?region=eu", token, null)));
        assertEquals(List.of("edge-1", "edge-3"), names(call("GET", "/api/v1/projects/fleet/hosts?meta=rack=r1", token, null)));
        assertEquals(List.of("edge-3"), names(call("GET", "/api/v1/projects/fleet/hosts?text=0b7d6f7e", token, null)));
        assertEquals(List.of("edge-3", "edge-2"),
                names(call("GET", "/api/v1/projects/fleet/hosts?sort=name&order=desc&limit=2", token, null)));
        HttpResponse<String> cluster = call("POST", "/api/v1/projects/fleet/clusters", token,
                "{\"name\":\"k8s-a\",\"template\":\"k8s-edge-3-node\",\"hosts\":[\"edge-1\",\"edge-2\"]}");
        assertEquals(cluster.body(), 201, cluster.statusCode());
        assertTrue(shell("edge:cluster-list fleet").contains("edge-1, edge-2"));
        String shell = shell("edge:host-list --meta rack=r1 fleet");
        assertTrue(shell, shell.contains("edge-1") && shell.contains("edge-3") && !shell.contains("edge-2"));
    }

    @Test
    public void soapRegistersAndListsHostsWithTheSameRules() {
        project();
        String[] admin = {"admin", ADMIN_PASSWORD};
        String registered = soap("/soap/fleet", null, admin, "<p:registerHost><p:project>fleet</p:project><p:host>"
                + "<p:name>soap-1</p:name><p:serialNumber>SN-SOAP</p:serialNumber><p:site>oslo</p:site></p:host></p:registerHost>");
        assertTrue(registered, registered.contains("REGISTERED") && registered.contains("soap-1"));
        String page = soap("/soap/fleet", token, null, "<p:listHosts><p:project>fleet</p:project><p:site>oslo</p:site>"
                + "<p:offset>0</p:offset><p:limit>10</p:limit></p:listHosts>");
        assertTrue(page, page.contains("soap-1"));
        String bad = soap("/soap/fleet", token, null, "<p:registerHost><p:project>fleet</p:project><p:host>"
                + "<p:name>soap-2</p:name></p:host></p:registerHost>");
        assertTrue(bad, bad.contains("INVALID") && bad.contains(":Client</faultcode>"));
        String hidden = soap("/soap/fleet", token, null, "<p:listHosts><p:project>nobody</p:project>"
                + "<p:offset>0</p:offset><p:limit>10</p:limit></p:listHosts>");
        assertTrue(hidden, hidden.contains("NOT_FOUND"));
    }

    @Test
    public void badInputIsRefusedAndChangesNothing() {
        project();
        int before = json(call("GET", "/api/v1/projects/fleet/hosts", token, null)).get("total").asInt();
        HttpResponse<String> badCsv = csv("name,serial,site\nok-1,S-OK,paris\nbad name,S-X,paris\nok-2,S-Y,atlantis\n");
        assertEquals(badCsv.body(), 400, badCsv.statusCode());
        JsonNode error = json(badCsv);
        assertEquals("invalid_csv", error.get("code").asText());
        assertEquals("line 3", error.get("fields").get(0).get("field").asText());
        assertEquals(before, json(call("GET", "/api/v1/projects/fleet/hosts", token, null)).get("total").asInt());
        assertEquals(400, call("POST", "/api/v1/projects/fleet/hosts", token, "{\"name\":\"x\"}").statusCode());
        assertEquals(400, call("POST", "/api/v1/projects/fleet/hosts", token, "{\"name\":\"x\",\"uuid\":\"nope\"}").statusCode());
        assertEquals(400, call("POST", "/api/v1/projects/fleet/sites", token, "{\"name\":\"far\",\"latitude\":123}").statusCode());
        assertEquals(400, call("GET", "/api/v1/projects/fleet/hosts?status=SLEEPING", token, null).statusCode());
        assertEquals(400, call("GET", "/api/v1/projects/fleet/hosts?limit=5000", token, null).statusCode());
        assertEquals(400, call("GET", "/api/v1/projects/fleet/hosts?meta=novalue", token, null).statusCode());
        assertEquals(404, call("GET", "/api/v1/projects/fleet/hosts/ghost", token, null).statusCode());
        assertEquals(before, json(call("GET", "/api/v1/projects/fleet/hosts", token, null)).get("total").asInt());
    }

    private HttpResponse<String> csv(String body) {
        return send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/projects/fleet/hosts/import"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> created(HttpResponse<String> r) {
        assertEquals(r.body(), 201, r.statusCode());
        return r;
    }

    private static List<String> names(HttpResponse<String> r) {
        assertEquals(r.body(), 200, r.statusCode());
        List<String> names = new ArrayList<>();
        json(r).get("hosts").forEach(h -> names.add(h.get("name").asText()));
        return names;
    }
}
