package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Applications over REST and the shell against the running orchestrator: versions signed by openssl and checked
 * against the release trust store, profiles with a secret that no answer, audit entry or log line shows, and
 * deployments by metadata selector or host list whose targets follow the fleet.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppIT extends HttpItestSupport {

    private static final String SECRET = "s3cret-db-pa55word-4711";
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    private static final String TEMPLATE = "[{\"name\":\"GREETING\",\"type\":\"STRING\",\"defaultValue\":\"hello\"},"
            + "{\"name\":\"WORKERS\",\"type\":\"INTEGER\",\"defaultValue\":\"2\",\"min\":1,\"max\":16},"
            + "{\"name\":\"DB_PASSWORD\",\"type\":\"STRING\",\"secret\":true,\"mandatory\":true}]";

    @Configuration
    public Option[] config() {
        return options(distribution("orchestrator", 18190, 18110, 11990), adminPassword());
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " timed out", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
        return out;
    }

    private static String manifest(String version) {
        return "{\"schemaVersion\":1,\"application\":\"web\",\"version\":\"" + version + "\",\"runtime\":\"CONTAINER\","
                + "\"artifacts\":[{\"name\":\"web\",\"repository\":\"apps/web\",\"digest\":\"" + DIGEST + "\"}],"
                + "\"parameters\":" + TEMPLATE + "}";
    }

    /** The manifest written to a file and signed by openssl, as a build pipeline would: {manifest, base64 signature}. */
    private static String[] signed(Path dir, String key, String manifest) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "manifest", ".json"), manifest);
        Path sig = dir.resolve(file.getFileName() + ".sig");
        run(dir, "openssl", "cms", "-sign", "-binary", "-in", file.toString(), "-signer", key + ".crt", "-inkey", key + ".key",
                "-outform", "DER", "-out", sig.toString());
        return new String[] {manifest, Base64.getEncoder().encodeToString(Files.readAllBytes(sig))};
    }

    private static String body(String[] signed) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("manifest", signed[0], "signature", signed[1]));
    }

    @Test
    public void signedVersionsProfilesWithSecretsAndDeploymentsBySelectorOverRestAndShell() throws Exception {
        awaitStatusUp("database");
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "apps");
        for (String key : List.of("apps", "stranger")) {
            run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                    "/CN=" + key, "-days", "30", "-keyout", key + ".key", "-out", key + ".crt");
        }
        String pem = Files.readString(work.resolve("apps.crt")).replace("\n", "\\n");
        created(call("POST", "/api/v1/release-signers", token, "{\"name\":\"apps-2026\",\"certificate\":\"" + pem + "\"}"));
        created(call("POST", "/api/v1/projects", token, "{\"organization\":\"default\",\"name\":\"shop\"}"));
        for (String[] h : new String[][] {{"pos-1", "berlin", "pos"}, {"pos-2", "berlin", "pos"}, {"office-1", "paris", "office"}}) {
            created(call("POST", "/api/v1/projects/shop/hosts", token, "{\"name\":\"" + h[0] + "\",\"serialNumber\":\"SN-"
                    + h[0] + "\",\"metadata\":{\"site\":\"" + h[1] + "\",\"tier\":\"" + h[2] + "\"}}"));
        }
        String base = "/api/v1/projects/shop";
        created(call("POST", base + "/apps", token, "{\"name\":\"web\",\"description\":\"the shop front\"}"));

        // unsigned, signed by a stranger, tampered: 400 on the signature field, nothing published
        assertError(call("POST", base + "/apps/web/versions", token, JSON.writeValueAsString(
                java.util.Map.of("manifest", manifest("1.0.0")))), 400, "signature");
        assertError(call("POST", base + "/apps/web/versions", token, body(signed(work, "stranger", manifest("1.0.0")))),
                400, "signature");
        String[] good = signed(work, "apps", manifest("1.0.0"));
        assertError(call("POST", base + "/apps/web/versions", token, body(new String[] {good[0].replace("hello", "howdy"),
                good[1]})), 400, "signature");
        assertError(call("POST", base + "/apps/web/versions", token, body(signed(work, "apps",
                manifest("1.0.0").replace("CONTAINER", "WASM")))), 400, "manifest.runtime");
        assertError(call("POST", base + "/apps/web/versions", token, body(signed(work, "apps",
                manifest("1.0.0").replace(DIGEST, "latest")))), 400, "manifest.artifacts[0].digest");
        assertEquals(0, json(call("GET", base + "/apps/web/versions", token, null)).size());

        JsonNode v = json(created(call("POST", base + "/apps/web/versions", token, body(good))));
        assertEquals("CONTAINER", v.get("runtime").asText());
        assertTrue(v.get("signer").asText(), v.get("signer").asText().contains("CN=apps"));

        // profiles: wrong values name their field; the secret is sealed and redacted
        assertError(call("POST", base + "/apps/web/versions/1.0.0/profiles", token,
                "{\"name\":\"store\",\"values\":{\"WORKERS\":\"lots\"}}"), 400, "values.WORKERS");
        assertError(call("POST", base + "/apps/web/versions/1.0.0/profiles", token,
                "{\"name\":\"store\",\"values\":{\"WORKERS\":\"99\"}}"), 400, "values.WORKERS");
        HttpResponse<String> profile = created(call("POST", base + "/apps/web/versions/1.0.0/profiles", token,
                "{\"name\":\"store\",\"values\":{\"WORKERS\":\"4\",\"DB_PASSWORD\":\"" + SECRET + "\"}}"));
        assertEquals("********", json(profile).get("values").get("DB_PASSWORD").asText());

        // deployments: selector syntax, missing mandatory values, then one by selector and one by list
        assertError(call("POST", base + "/deployments", token, "{\"name\":\"pos\",\"application\":\"web\",\"version\":\"1.0.0\","
                + "\"targetKind\":\"SELECTOR\",\"selector\":\"tier in pos\"}"), 400, "selector");
        assertError(call("POST", base + "/deployments", token, "{\"name\":\"pos\",\"application\":\"web\",\"version\":\"1.0.0\","
                + "\"targetKind\":\"SELECTOR\",\"selector\":\"tier=pos\"}"), 400, "overrides.DB_PASSWORD");
        assertError(call("POST", base + "/deployments", token, "{\"name\":\"pos\",\"application\":\"web\",\"version\":\"1.0.0\","
                + "\"targetKind\":\"EVERYWHERE\"}"), 400, "targetKind");
        JsonNode d = json(created(call("POST", base + "/deployments", token, "{\"name\":\"pos\",\"application\":\"web\","
                + "\"version\":\"1.0.0\",\"profile\":\"store\",\"overrides\":{\"GREETING\":\"moin\"},\"targetKind\":\"SELECTOR\","
                + "\"selector\":\"site=berlin, tier in (pos)\"}")));
        assertEquals("site=berlin, tier in (pos)", d.get("selector").asText());
        assertEquals(List.of("pos-1", "pos-2"), hosts(call("GET", base + "/deployments/pos/targets", token, null)));
        call("PATCH", base + "/hosts/pos-2", token, "{\"metadata\":{\"site\":\"berlin\",\"tier\":\"lab\"}}");
        assertEquals(List.of("pos-1"), hosts(call("GET", base + "/deployments/pos/targets", token, null)));
        created(call("POST", base + "/deployments", token, "{\"name\":\"office\",\"application\":\"web\",\"version\":\"1.0.0\","
                + "\"profile\":\"store\",\"targetKind\":\"HOSTS\",\"hosts\":[\"office-1\"]}"));
        assertEquals(List.of("office-1"), hosts(call("GET", base + "/deployments/office/targets", token, null)));
        assertError(call("DELETE", base + "/apps/web", token, null), 409, null);

        // the shell shows the same, with the secret redacted
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH", java.time.Duration.ofSeconds(60), () -> ssh(port, "admin", ADMIN_PASSWORD, "edge:deployment-list shop")
                .contains("pos"));
        String shown = ssh(port, "admin", ADMIN_PASSWORD, "edge:deployment-show shop pos");
        assertTrue(shown, shown.contains("pos-1") && !shown.contains("pos-2") && shown.contains("moin"));
        String profiles = ssh(port, "admin", ADMIN_PASSWORD, "edge:app-profile-list shop web 1.0.0");
        assertTrue(profiles, profiles.contains("store") && profiles.contains("********"));
        String refused = ssh(port, "admin", ADMIN_PASSWORD, "edge:deployment-create --selector \"tier in pos\" shop bad web 1.0.0");
        assertTrue(refused, refused.contains("selector, at character"));

        // the secret is in no answer, no audit entry and no log line
        for (String path : List.of(base + "/apps/web/versions/1.0.0/profiles", base + "/deployments", base + "/deployments/pos",
                base + "/audit?limit=500")) {
            String answer = call("GET", path, token, null).body();
            assertFalse(path + " shows the secret", answer.contains(SECRET));
        }
        assertFalse(shown.contains(SECRET) || profiles.contains(SECRET));
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        assertTrue(log + " exists", Files.exists(log));
        assertFalse("the log shows the secret", Files.readString(log).contains(SECRET));
        assertTrue(call("GET", base + "/audit?action=deployment.create", token, null).body().contains("selector site=berlin"));

        // deployment packages: a versioned set of application versions with a profile each, deployed together
        created(call("POST", base + "/packages", token, "{\"name\":\"front\",\"description\":\"the shop front\"}"));
        assertError(call("POST", base + "/packages", token, "{\"name\":\"Front Office\"}"), 400, "name");
        assertError(call("POST", base + "/packages/front/versions", token, "{\"version\":\"1.0.0\",\"entries\":"
                + "[{\"application\":\"web\",\"version\":\"9.9.9\"}]}"), 400, "entries[0].version");
        assertError(call("POST", base + "/packages/front/versions", token, "{\"version\":\"1.0.0\",\"entries\":"
                + "[{\"application\":\"web\",\"version\":\"1.0.0\",\"profile\":\"nope\"}]}"), 400, "entries[0].profile");
        // without the profile the mandatory secret has no value: nothing is deployed
        created(call("POST", base + "/packages/front/versions", token, "{\"version\":\"0.9.0\",\"entries\":"
                + "[{\"application\":\"web\",\"version\":\"1.0.0\"}]}"));
        assertError(call("POST", base + "/packages/front/deployments", token, "{\"name\":\"lab\",\"version\":\"0.9.0\","
                + "\"targetKind\":\"SELECTOR\",\"selector\":\"tier=lab\"}"), 400, "overrides.DB_PASSWORD");
        JsonNode pv = json(created(call("POST", base + "/packages/front/versions", token, "{\"version\":\"1.0.0\","
                + "\"entries\":[{\"application\":\"web\",\"version\":\"1.0.0\",\"profile\":\"store\"}]}")));
        assertEquals("store", pv.get("entries").get(0).get("profile").asText());
        JsonNode members = json(created(call("POST", base + "/packages/front/deployments", token, "{\"name\":\"lab\","
                + "\"version\":\"1.0.0\",\"targetKind\":\"SELECTOR\",\"selector\":\"tier=lab\"}")));
        assertEquals(1, members.size());
        assertEquals("lab-web", members.get(0).get("name").asText());
        assertEquals("front", members.get(0).get("packageName").asText());
        assertEquals(List.of("pos-2"), hosts(call("GET", base + "/deployments/lab-web/targets", token, null)));
        assertError(call("DELETE", base + "/deployments/lab-web", token, null), 409, null);
        assertError(call("DELETE", base + "/packages/front/versions/1.0.0", token, null), 409, null);
        assertEquals(200, call("PATCH", base + "/packages/front/deployments/lab", token, "{\"version\":\"1.0.0\"}").statusCode());
        String packages = ssh(port, "admin", ADMIN_PASSWORD, "edge:package-list shop");
        assertTrue(packages, packages.contains("front") && packages.contains("1.0.0, 0.9.0"));
        String pkgMembers = ssh(port, "admin", ADMIN_PASSWORD, "edge:package-show --deployment lab shop front");
        assertTrue(pkgMembers, pkgMembers.contains("lab-web") && pkgMembers.contains("store"));
        String undeployed = ssh(port, "admin", ADMIN_PASSWORD, "edge:package-undeploy shop lab front");
        assertTrue(undeployed, undeployed.contains("Removed package deployment lab"));
        assertEquals(404, call("GET", base + "/deployments/lab-web", token, null).statusCode());
        assertEquals(204, call("DELETE", base + "/packages/front", token, null).statusCode());
    }

    private static List<String> hosts(HttpResponse<String> r) {
        assertEquals(r.body(), 200, r.statusCode());
        List<String> out = new ArrayList<>();
        json(r).forEach(h -> out.add(h.get("host").asText()));
        return out;
    }

    /** A 4xx with the JSON error model; {@code field} the first field error's name, when given. */
    private static void assertError(HttpResponse<String> r, int status, String field) {
        assertEquals(r.body(), status, r.statusCode());
        JsonNode error = json(r);
        assertFalse(r.body(), r.body().contains("org.edgeorch") || r.body().contains("Exception"));
        if (field != null) {
            assertEquals(r.body(), field, error.get("fields").get(0).get("field").asText());
        }
    }
}
