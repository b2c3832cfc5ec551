package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two organisations with two projects each, used side by side over REST: isolation, the role matrix,
 * bad input and the audit log, against the running orchestrator.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TenancyIT extends HttpItestSupport {

    private static final String[] PROJECT_ROLES = {"PROJECT_ADMIN", "EDGE_MANAGER", "EDGE_OPERATOR", "HOST_MANAGER", "ONBOARDING", "VIEWER"};

    @Configuration
    public Option[] config() {
        return options(distribution("orchestrator", 18184, 18104, 11399), adminPassword());
    }

    /** Sets up acme (acme-a, acme-b) and globex (globex-a, globex-b) once; idempotent across test methods. */
    private void tenants() {
        awaitStatusUp("database");
        if (call("GET", "/api/v1/orgs/acme", token, null).statusCode() == 200) {
            return;
        }
        for (String org : List.of("acme", "globex")) {
            created(call("POST", "/api/v1/orgs", token, "{\"name\":\"" + org + "\"}"));
            created(call("POST", "/api/v1/orgs/" + org + "/users", token,
                    "{\"username\":\"" + org + "-admin\",\"password\":\"" + org + "-admin-password\"}"));
            created(call("POST", "/api/v1/orgs/" + org + "/roles", token,
                    "{\"subjectType\":\"USER\",\"subject\":\"" + org + "-admin\",\"role\":\"ORG_ADMIN\"}"));
            String orgAdmin = login(org + "-admin", org + "-admin-password");
            for (String p : List.of("a", "b")) {
                created(call("POST", "/api/v1/projects", orgAdmin,
                        "{\"organization\":\"" + org + "\",\"name\":\"" + org + "-" + p + "\"}"));
            }
            for (String role : PROJECT_ROLES) {
                String user = org + "-" + role.toLowerCase().replace('_', '-');
                created(call("POST", "/api/v1/orgs/" + org + "/users", orgAdmin,
                        "{\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}"));
                created(call("POST", "/api/v1/projects/" + org + "-a/roles", orgAdmin,
                        "{\"subjectType\":\"USER\",\"subject\":\"" + user + "\",\"role\":\"" + role + "\"}"));
            }
        }
    }

    private String as(String user) {
        return login(user, user + "-password");
    }

    @Test
    public void twoOrganisationsSeeOnlyTheirOwnProjects() {
        tenants();
        assertEquals(List.of("acme-a", "acme-b"), names(json(call("GET", "/api/v1/projects", as("acme-admin"), null))));
        assertEquals(List.of("globex-a", "globex-b"), names(json(call("GET", "/api/v1/projects", as("globex-admin"), null))));
        assertEquals(List.of("acme-a"), names(json(call("GET", "/api/v1/projects", as("acme-viewer"), null))));
        assertEquals(List.of("acme"), names(json(call("GET", "/api/v1/orgs", as("acme-admin"), null))));
        assertEquals(404, call("GET", "/api/v1/orgs/globex", as("acme-admin"), null).statusCode());
    }

    /**
     * Walks every project-scoped path of the OpenAPI document, every method, with a token of another
     * organisation's administrator: never data, never a change.
     */
    @Test
    public void noProjectScopedPathLetsAnotherTenantReadOrChangeAnything() {
        tenants();
        walkProjectPathsAs(as("globex-admin"));
    }

    /** The same walk with a user of the same organisation whose only role is in the other project. */
    @Test
    public void noProjectScopedPathLetsAMemberOfAnotherProjectReadOrChangeAnything() {
        tenants();
        String orgAdmin = as("acme-admin");
        if (call("GET", "/api/v1/orgs/acme/users", orgAdmin, null).body().contains("\"acme-b-only\"") == false) {
            created(call("POST", "/api/v1/orgs/acme/users", orgAdmin, "{\"username\":\"acme-b-only\",\"password\":\"acme-b-only-password\"}"));
            created(call("POST", "/api/v1/projects/acme-b/roles", orgAdmin,
                    "{\"subjectType\":\"USER\",\"subject\":\"acme-b-only\",\"role\":\"PROJECT_ADMIN\"}"));
        }
        walkProjectPathsAs(as("acme-b-only"));
    }

    private void walkProjectPathsAs(String intruder) {
        String owner = as("acme-admin");
        String rolesBefore = call("GET", "/api/v1/projects/acme-a/roles", owner, null).body();
        String osProfilesBefore = call("GET", "/api/v1/projects/acme-a/os-profiles", owner, null).body();
        JsonNode doc = json(get("/api/v1/openapi.json"));
        List<String> walked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getKey().startsWith("/projects/{project}")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext();) {
                Map.Entry<String, JsonNode> operation = methods.next();
                String method = operation.getKey().toUpperCase();
                String url = "/api/v1" + path.getKey().replace("{project}", "acme-a").replaceAll("\\{[^}]+}", "x");
                JsonNode content = operation.getValue().path("requestBody").path("content");
                HttpResponse<String> r;
                if (content.has("text/csv")) {
                    r = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + url))
                            .header("Authorization", "Bearer " + intruder).header("Content-Type", "text/csv")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name,serial\nsneaky,S1\n")).build());
                } else {
                    // "{}" parses as every request body (all fields absent), so the call reaches authorisation.
                    String body = content.isMissingNode() ? null : "{}";
                    r = call(method, url, intruder, body);
                }
                assertTrue(method + " " + url + " answered " + r.statusCode() + ": " + r.body(),
                        r.statusCode() == 404 || r.statusCode() == 403);
                assertFalse(method + " " + url + " leaked data", r.body().contains("acme-admin") || r.body().contains("\"orgId\""));
                walked.add(method + " " + path.getKey());
            }
        }
        assertTrue(walked.toString(), walked.size() >= 12);
        // The walk reads the paths from the OpenAPI document: make sure the release service's are among them.
        for (String release : List.of("GET /projects/{project}/os-profiles", "POST /projects/{project}/os-profiles",
                "GET /projects/{project}/os-profiles/{name}", "PATCH /projects/{project}/os-profiles/{name}",
                "DELETE /projects/{project}/os-profiles/{name}", "GET /projects/{project}/os-profiles/{profile}/resources",
                "POST /projects/{project}/os-profiles/{profile}/resources",
                "GET /projects/{project}/os-profiles/{profile}/resources/{version}",
                "DELETE /projects/{project}/os-profiles/{profile}/resources/{version}")) {
            assertTrue(release + " not walked: " + walked, walked.contains(release));
        }
        for (String schedule : List.of("GET /projects/{project}/windows", "POST /projects/{project}/windows",
                "GET /projects/{project}/windows/{name}", "PATCH /projects/{project}/windows/{name}",
                "DELETE /projects/{project}/windows/{name}", "GET /projects/{project}/policies",
                "PUT /projects/{project}/policies/{targetType}/{target}",
                "DELETE /projects/{project}/policies/{targetType}/{target}",
                "GET /projects/{project}/hosts/{host}/schedule")) {
            assertTrue(schedule + " not walked: " + walked, walked.contains(schedule));
        }
        for (String rollout : List.of("GET /projects/{project}/rollouts", "POST /projects/{project}/rollouts",
                "GET /projects/{project}/rollouts/{name}", "POST /projects/{project}/rollouts/{name}/start",
                "POST /projects/{project}/rollouts/{name}/pause", "POST /projects/{project}/rollouts/{name}/resume",
                "POST /projects/{project}/rollouts/{name}/abort", "GET /projects/{project}/rollouts/{name}/runs",
                "GET /projects/{project}/hosts/{host}/update-runs")) {
            assertTrue(rollout + " not walked: " + walked, walked.contains(rollout));
        }
        for (String app : List.of("GET /projects/{project}/apps", "POST /projects/{project}/apps",
                "GET /projects/{project}/apps/{app}", "DELETE /projects/{project}/apps/{app}",
                "GET /projects/{project}/apps/{app}/versions", "POST /projects/{project}/apps/{app}/versions",
                "GET /projects/{project}/apps/{app}/versions/{version}",
                "DELETE /projects/{project}/apps/{app}/versions/{version}",
                "GET /projects/{project}/apps/{app}/versions/{version}/profiles",
                "POST /projects/{project}/apps/{app}/versions/{version}/profiles",
                "GET /projects/{project}/apps/{app}/versions/{version}/profiles/{name}",
                "PUT /projects/{project}/apps/{app}/versions/{version}/profiles/{name}",
                "DELETE /projects/{project}/apps/{app}/versions/{version}/profiles/{name}",
                "GET /projects/{project}/deployments", "POST /projects/{project}/deployments",
                "GET /projects/{project}/deployments/{name}", "PATCH /projects/{project}/deployments/{name}",
                "DELETE /projects/{project}/deployments/{name}", "GET /projects/{project}/deployments/{name}/targets",
                "GET /projects/{project}/deployments/{name}/status")) {
            assertTrue(app + " not walked: " + walked, walked.contains(app));
        }
        // Another tenant's events never reach the intruder: the journal and its live stream are 404 before a byte.
        for (String events : List.of("GET /projects/{project}/events", "GET /projects/{project}/events/stream")) {
            assertTrue(events + " not walked: " + walked, walked.contains(events));
        }
        // Alerts, their rules, silences and receivers: every path 404 to another tenant, whatever the body.
        for (String alert : List.of("GET /projects/{project}/alerts", "GET /projects/{project}/alerts/{id}",
                "POST /projects/{project}/alerts/{id}/acknowledge", "GET /projects/{project}/alert-rules",
                "POST /projects/{project}/alert-rules", "GET /projects/{project}/alert-rules/{name}",
                "PATCH /projects/{project}/alert-rules/{name}", "DELETE /projects/{project}/alert-rules/{name}",
                "PUT /projects/{project}/alert-rules/{name}/overrides/{targetType}/{target}",
                "DELETE /projects/{project}/alert-rules/{name}/overrides/{targetType}/{target}",
                "GET /projects/{project}/silences", "POST /projects/{project}/silences",
                "DELETE /projects/{project}/silences/{id}", "GET /projects/{project}/alert-receivers",
                "POST /projects/{project}/alert-receivers", "GET /projects/{project}/alert-receivers/{name}",
                "PATCH /projects/{project}/alert-receivers/{name}", "DELETE /projects/{project}/alert-receivers/{name}",
                "POST /projects/{project}/alert-receivers/{name}/test")) {
            assertTrue(alert + " not walked: " + walked, walked.contains(alert));
        }
        assertEquals(rolesBefore, call("GET", "/api/v1/projects/acme-a/roles", owner, null).body());
        assertEquals(osProfilesBefore, call("GET", "/api/v1/projects/acme-a/os-profiles", owner, null).body());
        assertEquals(200, call("GET", "/api/v1/projects/acme-a", owner, null).statusCode());
    }

    @Test
    public void eachRoleCanDoExactlyItsKindsOfOperation() {
        tenants();
        for (String role : PROJECT_ROLES) {
            String t = as("acme-" + role.toLowerCase().replace('_', '-'));
            boolean admin = role.equals("PROJECT_ADMIN");
            boolean auditor = admin || role.equals("EDGE_MANAGER");
            assertEquals(role + " reads the project", 200, call("GET", "/api/v1/projects/acme-a", t, null).statusCode());
            assertEquals(role + " reads roles", 200, call("GET", "/api/v1/projects/acme-a/roles", t, null).statusCode());
            assertEquals(role + " reads audit", auditor ? 200 : 403,
                    call("GET", "/api/v1/projects/acme-a/audit", t, null).statusCode());
            HttpResponse<String> grant = call("POST", "/api/v1/projects/acme-a/roles", t,
                    "{\"subjectType\":\"USER\",\"subject\":\"acme-viewer\",\"role\":\"EDGE_OPERATOR\"}");
            assertEquals(role + " grants roles: " + grant.body(), admin ? 201 : 403, grant.statusCode());
            if (admin) {
                String id = json(grant).get("id").asText();
                assertEquals(204, call("DELETE", "/api/v1/projects/acme-a/roles/" + id, t, null).statusCode());
            }
            assertEquals(role + " deletes the project", 403, call("DELETE", "/api/v1/projects/acme-a", t, null).statusCode());
            assertEquals(role + " creates projects", 403, call("POST", "/api/v1/projects", t,
                    "{\"organization\":\"acme\",\"name\":\"rogue\"}").statusCode());
            assertEquals(role + " sees no other project", 404, call("GET", "/api/v1/projects/acme-b", t, null).statusCode());
            boolean registers = List.of("PROJECT_ADMIN", "EDGE_MANAGER", "HOST_MANAGER", "ONBOARDING").contains(role);
            boolean configures = List.of("PROJECT_ADMIN", "EDGE_MANAGER").contains(role);
            String host = "host-" + role.toLowerCase().replace('_', '-');
            assertEquals(role + " registers hosts", registers ? 201 : 403, call("POST", "/api/v1/projects/acme-a/hosts", t,
                    "{\"name\":\"" + host + "\",\"serialNumber\":\"SN-" + host + "\"}").statusCode());
            assertEquals(role + " lists hosts", 200, call("GET", "/api/v1/projects/acme-a/hosts", t, null).statusCode());
            assertEquals(role + " creates sites", configures ? 201 : 403, call("POST", "/api/v1/projects/acme-a/sites", t,
                    "{\"name\":\"site-" + role.toLowerCase().replace('_', '-') + "\"}").statusCode());
            boolean operates = configures || role.equals("EDGE_OPERATOR");
            assertEquals(role + " reads alerts", 200, call("GET", "/api/v1/projects/acme-a/alerts", t, null).statusCode());
            assertEquals(role + " reads alert rules", 200, call("GET", "/api/v1/projects/acme-a/alert-rules", t, null)
                    .statusCode());
            assertEquals(role + " changes alert rules", configures ? 200 : 403, call("PATCH",
                    "/api/v1/projects/acme-a/alert-rules/disk-full", t, "{\"threshold\":90}").statusCode());
            assertEquals(role + " silences alerts", operates ? 201 : 403, call("POST", "/api/v1/projects/acme-a/silences",
                    t, "{\"subject\":\"" + host + "\",\"minutes\":5}").statusCode());
            // receivers: read by every role, the secret never shown; changed and tested only by those who configure
            String receiver = "hook-" + role.toLowerCase().replace('_', '-');
            String key = "hmac-key-of-" + receiver;
            assertEquals(role + " adds alert receivers", configures ? 201 : 403, call("POST",
                    "/api/v1/projects/acme-a/alert-receivers", t, "{\"name\":\"" + receiver + "\",\"kind\":\"WEBHOOK\","
                    + "\"url\":\"http://127.0.0.1:1/hook\",\"secret\":\"" + key + "\"}").statusCode());
            HttpResponse<String> receivers = call("GET", "/api/v1/projects/acme-a/alert-receivers", t, null);
            assertEquals(role + " reads alert receivers", 200, receivers.statusCode());
            assertFalse(receivers.body(), receivers.body().contains("hmac-key-of-"));
            if (configures) {
                HttpResponse<String> one = call("GET", "/api/v1/projects/acme-a/alert-receivers/" + receiver, t, null);
                assertEquals(one.body(), true, json(one).get("secret").get("set").asBoolean());
                HttpResponse<String> tried = call("POST", "/api/v1/projects/acme-a/alert-receivers/" + receiver + "/test",
                        t, null);
                assertEquals(tried.body(), 200, tried.statusCode());
                assertFalse(tried.body(), json(tried).get("delivered").asBoolean());
                assertFalse(tried.body(), tried.body().contains(key));
            } else {
                assertEquals(role + " tests alert receivers", 403, call("POST",
                        "/api/v1/projects/acme-a/alert-receivers/hook-project-admin/test", t, null).statusCode());
                assertEquals(role + " changes alert receivers", 403, call("PATCH",
                        "/api/v1/projects/acme-a/alert-receivers/hook-project-admin", t, "{\"minSeverity\":\"CRITICAL\"}")
                        .statusCode());
            }
        }
    }

    @Test
    public void badInputGetsAClearErrorAndChangesNothing() {
        tenants();
        String admin = as("acme-admin");
        assertError(call("GET", "/api/v1/projects", "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", null), 401, "unauthenticated");
        String[] parts = admin.split("\\.");
        assertError(call("GET", "/api/v1/projects", parts[0] + "." + parts[1] + ".AAAA" + parts[2].substring(4), null),
                401, "unauthenticated");
        assertError(call("POST", "/api/v1/projects", admin, "{\"organization\":\"acme\",\"name\":\"x\",\"owner\":\"me\"}"),
                400, "unknown_field");
        // alert rules within bounds, strict JSON, a specific field named
        assertError(call("PATCH", "/api/v1/projects/acme-a/alert-rules/cpu-high", admin, "{\"threshold\":101}"), 400,
                "invalid_field");
        assertError(call("PATCH", "/api/v1/projects/acme-a/alert-rules/cpu-high", admin, "{\"threshold\":\"90\"}"), 400,
                "invalid_field");
        assertError(call("PATCH", "/api/v1/projects/acme-a/alert-rules/cpu-high", admin, "{\"limit\":1}"), 400,
                "unknown_field");
        assertError(call("POST", "/api/v1/projects/acme-a/alert-rules", admin,
                "{\"name\":\"Bad Name\",\"kind\":\"METRIC\",\"parameter\":\"cpu.usage.percent\",\"threshold\":90}"),
                400, "invalid_field");
        assertError(call("POST", "/api/v1/projects/acme-a/alert-rules", admin, "{\"name\":\"x\",\"kind\":\"NOPE\"}"),
                400, "invalid_field");
        assertError(call("DELETE", "/api/v1/projects/acme-a/alert-rules/host-down", admin, null), 409, "conflict");
        assertError(call("PUT", "/api/v1/projects/acme-a/alert-rules/cpu-high/overrides/planet/earth", admin,
                "{\"threshold\":90}"), 400, "invalid_field");
        assertError(call("GET", "/api/v1/projects/acme-a/alerts?state=ON_FIRE", admin, null), 400, "invalid_parameter");
        assertError(call("POST", "/api/v1/projects/acme-a/silences", admin, "{\"subject\":\"h\",\"minutes\":0}"), 400,
                "invalid_field");
        // alert receivers: the field at fault named, strict JSON, nothing stored
        String receivers = "/api/v1/projects/acme-a/alert-receivers";
        assertField(call("POST", receivers, admin, "{\"name\":\"r1\",\"kind\":\"WEBHOOK\",\"url\":\"ftp://x/\"}"), "url");
        assertField(call("POST", receivers, admin, "{\"name\":\"r1\",\"kind\":\"WEBHOOK\",\"url\":\"http://x/\","
                + "\"secret\":\"short\"}"), "secret");
        assertField(call("POST", receivers, admin, "{\"name\":\"r1\",\"kind\":\"ALERTMANAGER\",\"url\":\"http://x/\","
                + "\"secret\":\"0123456789abcdef\"}"), "secret");
        assertField(call("POST", receivers, admin, "{\"name\":\"r1\",\"kind\":\"EMAIL\",\"url\":\"smtp://x:25\","
                + "\"emailFrom\":\"a@b.c\",\"emailTo\":[\"not an address\"]}"), "emailTo");
        assertField(call("POST", receivers, admin, "{\"name\":\"R 1\",\"kind\":\"WEBHOOK\",\"url\":\"http://x/\"}"),
                "name");
        assertError(call("POST", receivers, admin, "{\"name\":\"r1\",\"kind\":\"PAGER\",\"url\":\"http://x/\"}"), 400,
                "invalid_field");
        assertError(call("POST", receivers, admin, "{\"name\":\"r1\",\"kind\":\"WEBHOOK\",\"url\":\"http://x/\","
                + "\"password\":\"p\"}"), 400, "unknown_field");
        assertError(call("PATCH", receivers + "/nope", admin, "{\"minSeverity\":\"CRITICAL\"}"), 404, "not_found");
        assertError(call("POST", receivers + "/nope/test", admin, null), 404, "not_found");
        String kept = call("GET", receivers, admin, null).body();
        assertFalse(kept, kept.contains("\"name\":\"r1\""));
        assertError(call("POST", "/api/v1/projects/acme-a/roles", admin,
                "{\"subjectType\":\"USER\",\"subject\":\"acme-viewer\",\"role\":\"GOD\"}"), 400, "invalid_field");
        assertError(call("POST", "/api/v1/projects", admin, "{\"organization\":\"acme\",\"name\":\"Bad Name!\"}"),
                400, "invalid_field");
        assertError(call("POST", "/api/v1/projects", admin, "{not json"), 400, "invalid_json");
        assertError(call("POST", "/api/v1/projects", admin, "{\"organization\":\"acme\",\"name\":\"big\",\"displayName\":\""
                + "x".repeat(70_000) + "\"}"), 413, "body_too_large");
        assertError(call("POST", "/api/v1/projects", admin, "{\"organization\":\"acme\",\"name\":\"acme-a\"}"), 409, "conflict");
        assertError(call("GET", "/api/v1/projects/acme-a/audit?limit=lots", admin, null), 400, "invalid_parameter");
        assertEquals(List.of("acme-a", "acme-b"), names(json(call("GET", "/api/v1/projects", admin, null))));
        assertError(call("POST", "/api/v1/auth/login", null, "{\"username\":\"acme-admin\",\"password\":\"wrong-password\"}"),
                401, "unauthenticated");
    }

    @Test
    public void aNameAnotherTenantHoldsIsRefusedLikeOneOfOurOwnOverRestSoapAndShell() throws Exception {
        tenants();
        String admin = as("acme-admin");
        HttpResponse<String> home = call("POST", "/api/v1/projects", admin, "{\"organization\":\"acme\",\"name\":\"acme-b\"}");
        HttpResponse<String> foreign = call("POST", "/api/v1/projects", admin, "{\"organization\":\"acme\",\"name\":\"globex-b\"}");
        assertError(foreign, 409, "conflict");
        assertEquals(json(home).get("message").asText().replace("acme-b", "globex-b"), json(foreign).get("message").asText());
        assertTrue(foreign.body(), foreign.body().contains("is not available") && !foreign.body().contains("organisation"));
        HttpResponse<String> user = call("POST", "/api/v1/orgs/acme/users", admin,
                "{\"username\":\"globex-viewer\",\"password\":\"long-enough-password\"}");
        assertError(user, 409, "conflict");
        assertTrue(user.body(), user.body().contains("user name 'globex-viewer' is not available"));

        String soap = soap("/soap/tenancy", null, new String[] {"acme-admin", "acme-admin-password"},
                "<p:createProject><p:organization>acme</p:organization><p:name>globex-a</p:name></p:createProject>");
        assertTrue(soap, soap.contains(":Client</faultcode>") && soap.contains("is not available") && !soap.contains("organisation"));
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH", java.time.Duration.ofSeconds(60),
                () -> ssh(port, "acme-admin", "acme-admin-password", "edge:project-list").contains("acme-a"));
        String shell = ssh(port, "acme-admin", "acme-admin-password",
                "edge:user-create --password long-enough-password acme globex-admin");
        assertTrue(shell, shell.contains("user name 'globex-admin' is not available"));

        // globex's administrators are told that its names were tried from outside, not by whom
        JsonNode told = json(call("GET", "/api/v1/audit?action=project.name-probe", as("globex-admin"), null));
        assertTrue(told.toString(), told.get("total").asLong() >= 2 && !told.toString().contains("acme"));
        assertTrue(json(call("GET", "/api/v1/audit?action=user.name-probe", as("globex-admin"), null)).get("total").asLong() >= 2);
        assertFalse(names(json(call("GET", "/api/v1/projects", admin, null))).contains("globex-b"));
    }

    @Test
    public void controlCharactersAndOverlongNamesAreRefusedNamingTheFieldWithoutEchoingThem() throws Exception {
        tenants();
        String admin = as("acme-admin");
        String nul = "a\\u0000b";
        String huge = "y".repeat(10_000);
        String p = "/api/v1/projects/acme-a";
        // path, body, field at fault: every kind of name the product accepts, with a NUL or 10 000 characters
        String[][] cases = {
                {"/api/v1/orgs", "{\"name\":\"" + nul + "\"}", "name"},
                {"/api/v1/projects", "{\"organization\":\"acme\",\"name\":\"" + huge + "\"}", "name"},
                {"/api/v1/orgs/acme/users", "{\"username\":\"nul-user\",\"displayName\":\"" + nul
                        + "\",\"password\":\"long-enough-password\"}", "displayName"},
                {"/api/v1/tokens", "{\"name\":\"ci" + nul + "\",\"expiresInDays\":1}", "name"},
                {p + "/regions", "{\"name\":\"" + huge + "\"}", "name"},
                {p + "/regions", "{\"name\":\"r-nul\",\"metadata\":{\"tier\":\"" + nul + "\"}}", "metadata"},
                {p + "/sites", "{\"name\":\"" + nul + "\"}", "name"},
                {p + "/clusters", "{\"name\":\"" + huge + "\"}", "name"},
                {p + "/hosts", "{\"name\":\"h-nul\",\"serialNumber\":\"SN-NUL\",\"metadata\":{\"rack\":\"" + nul + "\"}}",
                        "metadata"},
                {p + "/enrolment-tokens", "{\"name\":\"" + nul + "\"}", "name"},
                {p + "/windows", "{\"name\":\"" + huge + "\"}", "name"},
                {p + "/os-profiles", "{\"name\":\"" + nul + "\",\"releaseProfile\":\"edge-os\"}", "name"},
                {p + "/rollouts", "{\"name\":\"" + huge + "\"}", "name"},
                {p + "/apps", "{\"name\":\"" + nul + "\"}", "name"},
                {p + "/apps", "{\"name\":\"app-nul\",\"description\":\"" + nul + "\"}", "description"},
                {p + "/alert-rules", "{\"name\":\"" + huge + "\",\"kind\":\"METRIC\",\"parameter\":\"cpu.usage.percent\","
                        + "\"threshold\":90}", "name"},
                {p + "/silences", "{\"subject\":\"h\",\"comment\":\"" + nul + "\",\"minutes\":10}", "comment"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = call("POST", c[0], c[0].equals("/api/v1/orgs") ? token : admin, c[1]);
            assertEquals(c[0] + " " + r.body(), 400, r.statusCode());
            JsonNode error = json(r);
            assertEquals(c[0] + " " + r.body(), "invalid_field", error.get("code").asText());
            assertEquals(c[0] + " " + r.body(), c[2], error.get("fields").get(0).get("field").asText());
            assertTrue(c[0] + " echoes too much: " + r.body().length(), r.body().length() < 600);
            assertFalse(r.body(), r.body().contains("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"));
        }
        assertFalse(names(json(call("GET", p + "/regions", admin, null))).contains("r-nul"));

        // SOAP: the same rule, as a Client fault naming the field (XML 1.0 cannot carry NUL: a line feed instead)
        String soap = soap("/soap/tenancy", null, new String[] {"acme-admin", "acme-admin-password"},
                "<p:createProject><p:organization>acme</p:organization><p:name>acme-lf</p:name>"
                        + "<p:displayName>two&#10;lines</p:displayName></p:createProject>");
        assertTrue(soap, soap.contains(":Client</faultcode>") && soap.contains("displayName must not contain control characters"));
        String soapLong = soap("/soap/tenancy", null, new String[] {"acme-admin", "acme-admin-password"},
                "<p:createProject><p:organization>acme</p:organization><p:name>" + huge + "</p:name></p:createProject>");
        assertTrue(soapLong.length() + "", soapLong.contains(":Client</faultcode>") && soapLong.length() < 2000);
        // shell: a message, quoting a prefix only
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH", java.time.Duration.ofSeconds(60),
                () -> ssh(port, "acme-admin", "acme-admin-password", "edge:project-list").contains("acme-a"));
        String shell = ssh(port, "acme-admin", "acme-admin-password", "edge:region-create acme-a " + "z".repeat(300));
        assertTrue(shell, shell.contains("must be 1-63 characters") && shell.contains("(300 characters)") && shell.length() < 600);
    }

    /**
     * Every {@code edge:*} command of the running orchestrator, over its SSH shell, with bad input: an unknown option,
     * names of nothing, overlong names, control characters and wrong numbers. Each answers one {@code Error:} line
     * that names no Java class, shows no stack trace and quotes no more than a short prefix of what it was given.
     */
    @Test
    public void everyEdgeCommandAnswersBadInputWithOneShortLine() throws Exception {
        tenants();
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH", java.time.Duration.ofSeconds(60),
                () -> ssh(port, "acme-admin", "acme-admin-password", "edge:project-list").contains("acme-a"));
        String longName = "z".repeat(10_000);
        String control = "bad\u0007\u001b\u007fname";
        Map<String, List<String>> asAdmin = new java.util.TreeMap<>();
        Map<String, List<String>> asTenant = new java.util.TreeMap<>();
        int commands = 0;
        for (org.apache.karaf.shell.api.console.Command c : commandsOfTheAdministrator()) {
            if (!"edge".equals(c.getScope())) {
                continue;
            }
            commands++;
            Class<?> action = (Class<?>) c.getClass().getMethod("getActionClass").invoke(c);
            String name = "edge:" + c.getName();
            List<java.lang.reflect.Field> arguments = new ArrayList<>();
            List<String> textOptions = new ArrayList<>();
            List<String> numberOptions = new ArrayList<>();
            for (Class<?> type = action; type != null; type = type.getSuperclass()) {
                for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                    org.apache.karaf.shell.api.action.Option o = f.getAnnotation(org.apache.karaf.shell.api.action.Option.class);
                    Class<?> t = f.getType();
                    if (o != null && (t == int.class || t == Integer.class || t == long.class || t == Long.class
                            || t == double.class || t == Double.class)) {
                        numberOptions.add(o.name());
                    } else if (o != null && t != boolean.class && t != Boolean.class) {
                        textOptions.add(o.name());
                    }
                    if (f.getAnnotation(org.apache.karaf.shell.api.action.Argument.class) != null) {
                        arguments.add(f);
                    }
                }
            }
            arguments.sort(java.util.Comparator.comparingInt(
                    f -> f.getAnnotation(org.apache.karaf.shell.api.action.Argument.class).index()));
            java.util.function.Function<String, String> line = value -> {
                StringBuilder b = new StringBuilder(name);
                textOptions.forEach(o -> b.append(' ').append(o).append(' ').append(value));
                arguments.forEach(a -> b.append(' ').append(value));
                return b.toString();
            };
            List<String> admin = new ArrayList<>(List.of(name + " --no-such-option-" + "x".repeat(5_000)));
            if (!arguments.isEmpty() || !textOptions.isEmpty()) {
                admin.addAll(List.of(line.apply(longName), line.apply(control)));
            }
            for (String option : numberOptions) {
                for (String wrong : List.of("ten", "99999999999999999999", "NaN")) {
                    admin.add(line.apply("no-such-thing") + " " + option + " " + wrong);
                }
            }
            asAdmin.put(name, admin);
            if (!arguments.isEmpty()) {
                asTenant.put(name, List.of(line.apply("no-such-thing")));
            }
        }
        assertTrue("the walk found the commands: " + commands, commands > 100);
        List<String> wrong = new ArrayList<>();
        long started = System.nanoTime();
        walk(port, "admin", ADMIN_PASSWORD, asAdmin, true, wrong);
        walk(port, "acme-admin", "acme-admin-password", asTenant, false, wrong);
        System.out.printf("shell walk: %d commands, %d lines in %d s%n", commands,
                asAdmin.values().stream().mapToInt(List::size).sum() + asTenant.values().stream().mapToInt(List::size).sum(),
                java.time.Duration.ofNanos(System.nanoTime() - started).toSeconds());
        assertEquals(String.join("\n", wrong), 0, wrong.size());
    }

    /**
     * Runs each line in an SSH exec channel (Karaf ends the SSH session with its one command); collects each answer
     * that is not one short error line (with {@code mustFail} false, only answers that look like a failure must be
     * one such line: a name of nothing may be a name a command creates).
     */
    private static void walk(int port, String user, String password, Map<String, List<String>> lines, boolean mustFail,
            List<String> wrong) throws Exception {
        for (Map.Entry<String, List<String>> command : lines.entrySet()) {
            for (String line : command.getValue()) {
                String answer = ssh(port, user, password, line).strip();
                String problem = shellAnswerProblem(answer, mustFail);
                if (problem != null) {
                    String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
                    wrong.add(user + ": " + shown.replaceAll("\\p{Cntrl}", "?") + " -> " + problem + ": "
                            + (answer.length() > 300 ? answer.substring(0, 300) + "..." : answer).replaceAll("\\p{Cntrl}", "?"));
                }
            }
        }
    }

    @Test
    public void repeatedFailedLoginsAreThrottledWith429AndRecover() {
        tenants();
        String login = "{\"username\":\"acme-viewer\",\"password\":\"%s\"}";
        for (int i = 0; i < 5; i++) {
            assertError(call("POST", "/api/v1/auth/login", null, String.format(login, "wrong-password")), 401, "unauthenticated");
        }
        HttpResponse<String> throttled = call("POST", "/api/v1/auth/login", null, String.format(login, "acme-viewer-password"));
        assertError(throttled, 429, "too_many_requests");
        assertTrue(throttled.headers().firstValue("Retry-After").isPresent());
        await("the back-off to end", java.time.Duration.ofSeconds(30),
                () -> call("POST", "/api/v1/auth/login", null, String.format(login, "acme-viewer-password")).statusCode() == 200);
    }

    @Test
    public void tokensCanBeIssuedListedAndRevoked() {
        tenants();
        String admin = as("acme-admin");
        JsonNode issued = json(created(call("POST", "/api/v1/tokens", admin, "{\"name\":\"ci\",\"expiresInDays\":7}")));
        String apiToken = issued.get("token").asText();
        assertEquals("acme-admin", json(call("GET", "/api/v1/auth/me", apiToken, null)).get("username").asText());
        String listed = call("GET", "/api/v1/tokens", apiToken, null).body();
        assertTrue(listed.contains("\"ci\"") && !listed.contains(apiToken));
        assertEquals(204, call("DELETE", "/api/v1/tokens/" + issued.get("id").asText(), admin, null).statusCode());
        assertError(call("GET", "/api/v1/auth/me", apiToken, null), 401, "unauthenticated");
    }

    @Test
    public void changesAndRefusalsAreAudited() {
        tenants();
        String viewer = as("acme-viewer");
        call("POST", "/api/v1/projects/acme-a/roles", viewer, "{\"subjectType\":\"USER\",\"subject\":\"acme-viewer\",\"role\":\"PROJECT_ADMIN\"}");
        JsonNode page = json(call("GET", "/api/v1/projects/acme-a/audit?actor=acme-viewer&outcome=DENIED", as("acme-admin"), null));
        assertTrue(page.get("total").asLong() >= 1);
        JsonNode e = page.get("events").get(0);
        assertEquals("acme-a", e.get("project").asText());
        assertEquals("127.0.0.1", e.get("sourceAddress").asText());
        JsonNode grants = json(call("GET", "/api/v1/projects/acme-a/audit?action=role.grant&limit=2&offset=0", as("acme-admin"), null));
        assertEquals(2, grants.get("events").size());
        assertTrue(grants.get("total").asLong() >= PROJECT_ROLES.length);
        assertEquals(0, json(call("GET", "/api/v1/audit?project=acme-a", as("globex-admin"), null)).get("total").asLong());
    }

    @Test
    public void sshAndShellUseTheSameAccountsAndRules() throws Exception {
        tenants();
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH", java.time.Duration.ofSeconds(60),
                () -> ssh(port, "acme-admin", "acme-admin-password", "edge:project-list").contains("acme-a"));
        String acme = ssh(port, "acme-admin", "acme-admin-password", "edge:project-list");
        assertTrue(acme, acme.contains("acme-b") && !acme.contains("globex"));
        String globex = ssh(port, "globex-admin", "globex-admin-password", "edge:project-list");
        assertTrue(globex, globex.contains("globex-a") && !globex.contains("acme"));

        String refused = ssh(port, "acme-viewer", "acme-viewer-password", "edge:role-grant acme-a acme-viewer PROJECT_ADMIN");
        assertTrue(refused, refused.contains("do not allow MEMBERS_MANAGE"));
        String crossTenant = ssh(port, "globex-admin", "globex-admin-password", "edge:role-list acme-a");
        assertTrue(crossTenant, crossTenant.contains("project 'acme-a' does not exist"));
        // Only platform administrators get Karaf's own administrative commands.
        String bundles = ssh(port, "acme-admin", "acme-admin-password", "bundle:list");
        assertFalse(bundles, bundles.contains("Active"));
        String config = ssh(port, "acme-admin", "acme-admin-password", "config:list");
        assertFalse(config, config.contains("org.edgeorch.store"));
        assertTrue(ssh(port, "admin", ADMIN_PASSWORD, "bundle:list").contains("Active"));

        try {
            ssh(port, "acme-admin", "wrong-password-here", "edge:project-list");
            throw new AssertionError("a wrong password was accepted over SSH");
        } catch (org.apache.sshd.common.SshException expected) {
            // authentication failed
        }

        String created = ssh(port, "acme-admin", "acme-admin-password",
                "edge:user-create --password shell-user-password acme shell-user");
        assertTrue(created, created.contains("Created user shell-user"));
        assertTrue(ssh(port, "acme-admin", "acme-admin-password", "edge:role-grant acme-b shell-user VIEWER").contains("Granted VIEWER"));
        assertEquals(List.of("acme-b"), names(json(call("GET", "/api/v1/projects", as("shell-user"), null))));
        String audit = ssh(port, "acme-admin", "acme-admin-password", "edge:audit-list --project acme-b --action role.grant");
        assertTrue(audit, audit.contains("shell-user") && audit.contains("shell"));
        String token = ssh(port, "shell-user", "shell-user-password", "edge:token-create --days 1 laptop");
        String value = token.lines().filter(l -> l.split("\\.").length == 3).findFirst().orElseThrow().strip();
        assertEquals("shell-user", json(call("GET", "/api/v1/auth/me", value, null)).get("username").asText());
    }

    @Test
    public void soapUsesTheSameAccountsTokensAndRules() {
        tenants();
        String[] acmeAdmin = {"acme-admin", "acme-admin-password"};
        String projects = soap("/soap/tenancy", null, acmeAdmin, "<p:listProjects/>");
        assertTrue(projects, projects.contains(">acme-a<") && projects.contains(">acme-b<") && !projects.contains("globex"));
        String globex = soap("/soap/tenancy", as("globex-admin"), null, "<p:listProjects/>");
        assertTrue(globex, globex.contains(">globex-a<") && !globex.contains("acme"));

        String created = soap("/soap/tenancy", null, acmeAdmin,
                "<p:createProject><p:organization>acme</p:organization><p:name>acme-soap</p:name></p:createProject>");
        assertTrue(created, created.contains(">acme-soap<"));
        assertTrue(names(json(call("GET", "/api/v1/projects", as("acme-admin"), null))).contains("acme-soap"));

        String forbidden = soap("/soap/tenancy", null, new String[] {"acme-viewer", "acme-viewer-password"},
                "<p:grantProjectRole><p:project>acme-a</p:project><p:subjectType>USER</p:subjectType>"
                        + "<p:subject>acme-viewer</p:subject><p:role>PROJECT_ADMIN</p:role></p:grantProjectRole>");
        assertTrue(forbidden, forbidden.contains("FORBIDDEN") && forbidden.contains(":Client</faultcode>"));
        String hidden = soap("/soap/tenancy", null, new String[] {"globex-admin", "globex-admin-password"},
                "<p:listProjectRoles><p:project>acme-a</p:project></p:listProjectRoles>");
        assertTrue(hidden, hidden.contains("NOT_FOUND") && !hidden.contains("acme-admin"));
        String events = soap("/soap/events", null, new String[] {"globex-admin", "globex-admin-password"},
                "<p:listEvents><p:project>acme-a</p:project><p:offset>0</p:offset><p:limit>0</p:limit></p:listEvents>");
        assertTrue(events, events.contains("NOT_FOUND") && events.contains(":Client</faultcode>") && !events.contains("subject>"));
        String invalid = soap("/soap/tenancy", null, acmeAdmin,
                "<p:grantProjectRole><p:project>acme-a</p:project><p:subjectType>USER</p:subjectType>"
                        + "<p:subject>acme-viewer</p:subject><p:role>GOD</p:role></p:grantProjectRole>");
        assertTrue(invalid, invalid.contains("INVALID") && invalid.contains("role"));
        String audit = soap("/soap/tenancy", null, acmeAdmin,
                "<p:queryAudit><p:project>acme-soap</p:project><p:offset>0</p:offset><p:limit>10</p:limit></p:queryAudit>");
        assertTrue(audit, audit.contains("project.create") && audit.contains("acme-admin"));
    }

    // ---- helpers ------------------------------------------------------------------------------


    private static void assertField(HttpResponse<String> r, String field) {
        assertError(r, 400, "invalid_field");
        assertEquals(r.body(), field, json(r).get("fields").get(0).get("field").asText());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(r.body(), status, r.statusCode());
        assertEquals(r.body(), code, json(r).get("code").asText());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get("name").asText()));
        return names;
    }
}
