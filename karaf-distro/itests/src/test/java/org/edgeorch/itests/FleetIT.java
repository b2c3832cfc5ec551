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

/** Regions, sites, clusters and hosts over REST, SOAP and the shell on the running orchestrator. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FleetIT extends HttpItestSupport {

    @Configuration
    public Option[] config() {
        // as behind a reverse proxy: Location headers follow X-Forwarded-*
        return options(distribution("orchestrator", 18185, 18105, 11499), adminPassword(),
                org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut("etc/custom.properties",
                        "edgeorch.http.trustForwardedHeaders", "true"));
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
        // options anywhere on the line, as Karaf users expect
        String after = shell("edge:host-list fleet --site paris");
        assertTrue(after, after.contains("edge-1") && after.contains("edge-2") && !after.contains("edge-3"));
        String mixed = shell("edge:host-list --site paris fleet --meta rack=r1");
        assertTrue(mixed, mixed.contains("edge-1") && !mixed.contains("edge-2") && !mixed.contains("edge-3"));
    }

    /** Every 201 says where the new resource is, from the request (and a proxy's X-Forwarded-* headers). */
    @Test
    public void createdResourcesHaveALocationBuiltFromTheRequest() {
        project();
        HttpResponse<String> direct = created(call("POST", "/api/v1/projects/fleet/sites", token, "{\"name\":\"lisbon\"}"));
        assertEquals(base() + "/api/v1/projects/fleet/sites/lisbon", direct.headers().firstValue("Location").orElse(null));
        HttpResponse<String> proxied = created(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base()
                        + "/api/v1/projects/fleet/hosts")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "edge.example.com").header("X-Forwarded-Port", "443")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"lisbon-1\",\"serialNumber\":\"SN-L1\"}"))
                .build()));
        assertEquals("https://edge.example.com/api/v1/projects/fleet/hosts/lisbon-1",
                proxied.headers().firstValue("Location").orElse(null));
        // a serial number mistyped at registration is corrected
        HttpResponse<String> corrected = call("PATCH", "/api/v1/projects/fleet/hosts/lisbon-1", token, "{\"serialNumber\":\"SN-L1B\"}");
        assertEquals(corrected.body(), 200, corrected.statusCode());
        assertEquals("SN-L1B", json(corrected).get("serialNumber").asText());
        HttpResponse<String> region = created(call("POST", "/api/v1/projects/fleet/regions", token, "{\"name\":\"loc-test\"}"));
        assertEquals(base() + "/api/v1/projects/fleet/regions/loc-test", region.headers().firstValue("Location").orElse(null));
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

    /** Project "changes", apart from the others' host counts: apac > apac-east; sites tokyo (apac) and osaka (apac-east); hosts t-1 in tokyo, t-2 in osaka. */
    private void apac() {
        awaitStatusUp("database");
        if (call("GET", "/api/v1/projects/changes/hosts/t-1", token, null).statusCode() == 200) {
            return;
        }
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"changes\"}"));
        created(call("POST", "/api/v1/projects/changes/regions", token, "{\"name\":\"apac\",\"metadata\":{\"tier\":\"gold\"}}"));
        created(call("POST", "/api/v1/projects/changes/regions", token, "{\"name\":\"apac-east\",\"parent\":\"apac\"}"));
        created(call("POST", "/api/v1/projects/changes/sites", token, "{\"name\":\"tokyo\",\"region\":\"apac\"}"));
        created(call("POST", "/api/v1/projects/changes/sites", token, "{\"name\":\"osaka\",\"region\":\"apac-east\"}"));
        created(call("POST", "/api/v1/projects/changes/hosts", token, "{\"name\":\"t-1\",\"serialNumber\":\"SN-T1\",\"site\":\"tokyo\"}"));
        created(call("POST", "/api/v1/projects/changes/hosts", token, "{\"name\":\"t-2\",\"serialNumber\":\"SN-T2\",\"site\":\"osaka\"}"));
    }

    @Test
    public void regionSiteAndHostChangesOverRestRelabelTheHostsBelow() {
        apac();
        HttpResponse<String> updated = call("PATCH", "/api/v1/projects/changes/regions/apac", token, "{\"metadata\":{\"tier\":\"jade\"}}");
        assertEquals(updated.body(), 200, updated.statusCode());
        assertEquals("jade", json(updated).get("metadata").get("tier").asText());
        assertEquals(List.of("t-1", "t-2"), names(call("GET", "/api/v1/projects/changes/hosts?meta=tier=jade", token, null)));
        assertTrue(names(call("GET", "/api/v1/projects/changes/hosts?meta=tier=gold", token, null)).stream()
                .noneMatch(n -> n.startsWith("t-")));

        HttpResponse<String> cycle = call("PATCH", "/api/v1/projects/changes/regions/apac", token, "{\"parent\":\"apac-east\"}");
        assertEquals(cycle.body(), 400, cycle.statusCode());
        assertEquals("parent", json(cycle).get("fields").get(0).get("field").asText());
        assertEquals(409, call("DELETE", "/api/v1/projects/changes/regions/apac", token, null).statusCode());
        assertEquals(409, call("DELETE", "/api/v1/projects/changes/sites/osaka", token, null).statusCode());
        assertEquals(404, call("DELETE", "/api/v1/projects/changes/sites/atlantis", token, null).statusCode());
        assertEquals(400, call("PATCH", "/api/v1/projects/changes/sites/osaka", token, "{\"latitude\":100}").statusCode());

        HttpResponse<String> moved = call("PATCH", "/api/v1/projects/changes/hosts/t-2", token, "{\"site\":\"tokyo\",\"metadata\":{\"rack\":\"r7\"}}");
        assertEquals(moved.body(), 200, moved.statusCode());
        assertEquals("apac", json(moved).get("region").asText());
        assertEquals(List.of("t-2"), names(call("GET", "/api/v1/projects/changes/hosts?meta=rack=r7", token, null)));
        assertEquals(204, call("DELETE", "/api/v1/projects/changes/sites/osaka", token, null).statusCode());
        assertEquals(204, call("DELETE", "/api/v1/projects/changes/regions/apac-east", token, null).statusCode());
        assertTrue(call("GET", "/api/v1/projects/changes/regions", token, null).body().contains("\"apac\""));
        assertTrue(json(call("GET", "/api/v1/projects/changes/audit?action=region.delete&outcome=FAILED", token, null))
                .get("total").asInt() >= 1);
    }

    @Test
    public void soapAndShellChangeSitesHostsAndClusters() {
        apac();
        String[] admin = {"admin", ADMIN_PASSWORD};
        String host = soap("/soap/fleet", null, admin, "<p:updateHost><p:project>changes</p:project><p:name>t-1</p:name><p:update>"
                + "<p:metadata><p:entry><p:key>rack</p:key><p:value>r9</p:value></p:entry></p:metadata></p:update></p:updateHost>");
        assertTrue(host, host.contains("r9") && !host.contains("Fault"));
        assertEquals(List.of("t-1"), names(call("GET", "/api/v1/projects/changes/hosts?meta=rack=r9", token, null)));
        String site = soap("/soap/fleet", token, null, "<p:updateSite><p:project>changes</p:project><p:name>tokyo</p:name><p:update>"
                + "<p:address>1-1 Chiyoda</p:address><p:metadata><p:entry><p:key>owner</p:key><p:value>ops-jp</p:value></p:entry>"
                + "</p:metadata></p:update></p:updateSite>");
        assertTrue(site, site.contains("1-1 Chiyoda") && site.contains("apac"));
        assertTrue(names(call("GET", "/api/v1/projects/changes/hosts?meta=owner=ops-jp", token, null)).contains("t-1"));
        String conflict = soap("/soap/fleet", token, null, "<p:deleteRegion><p:project>changes</p:project><p:name>apac</p:name></p:deleteRegion>");
        assertTrue(conflict, conflict.contains("CONFLICT") && conflict.contains(":Client</faultcode>"));

        HttpResponse<String> cluster = call("POST", "/api/v1/projects/changes/clusters", token,
                "{\"name\":\"k8s-t\",\"template\":\"k8s-edge-3-node\",\"hosts\":[\"t-1\",\"t-2\"]}");
        assertEquals(cluster.body(), 201, cluster.statusCode());
        String removed = shell("edge:cluster-remove-hosts changes k8s-t t-1");
        assertTrue(removed, removed.contains("now has 1 host(s): t-2"));
        String updated = shell("edge:cluster-update --template k8s-edge-5-node changes k8s-t");
        assertTrue(updated, updated.contains("k8s-edge-5-node"));
        String region = shell("edge:region-update --meta tier=amber changes apac");
        assertTrue(region, region.contains("tier=amber"));
        assertTrue(names(call("GET", "/api/v1/projects/changes/hosts?meta=tier=amber", token, null)).contains("t-1"));
        String refused = shell("edge:site-delete changes tokyo");
        assertTrue(refused, refused.contains("Error:") && refused.contains("host(s)"));
        assertTrue(shell("edge:cluster-delete changes k8s-t").contains("Deleted cluster k8s-t"));
        assertTrue(!call("GET", "/api/v1/projects/changes/clusters", token, null).body().contains("k8s-t"));
        assertEquals(200, call("GET", "/api/v1/projects/changes/hosts/t-1", token, null).statusCode());
    }

    private HttpResponse<String> csv(String body) {
        return send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/projects/fleet/hosts/import"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }


    private static List<String> names(HttpResponse<String> r) {
        assertEquals(r.body(), 200, r.statusCode());
        List<String> names = new ArrayList<>();
        json(r).get("hosts").forEach(h -> names.add(h.get("name").asText()));
        return names;
    }
}
