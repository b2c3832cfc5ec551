package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.edgeorch.agent.Agent;
import org.edgeorch.agent.simulated.SimulatedUpdater;
import org.edgeorch.observability.testing.AlertPeers;
import org.edgeorch.oci.OciClient;
import org.edgeorch.oci.testing.RegistryHarness;
import org.edgeorch.plugin.simulated.SimulatedHardware;
import org.edgeorch.release.oci.ReleasePublisher;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.release.ReleaseManifest;
import org.edgeorch.spi.release.ReleaseManifest.OsType;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real browser: Debian's Chromium driven by Selenium through Debian's chromedriver, against
 * the orchestrator distribution run as its own process. One orchestrator for the whole class; every test logs in
 * through the login page as the user it is about. Screenshots go to {@code target/web-screenshots/}.
 */
public class WebIT {

    /** Free ports, so that the test runs beside other orchestrators on this machine. */
    private static final int HTTP = freePort();
    private static final Path SHOTS = Path.of(System.getProperty("edge.it.work", "target"), "web-screenshots");
    private static final String LONG_NAME = "edge-host-with-a-really-long-name-that-operators-gave-it-" + "x".repeat(63 - 57);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SOUTHBOUND = freePort();
    /** The audience the orchestrator requires of the provider's tokens, and one it must refuse. */
    private static final String AUDIENCE = "https://edge.example.test/api";
    private static final String OTHER_AUDIENCE = "https://other.example.test/api";
    private static int oidcPort;
    private static Process oidc;
    private static Path WORK;
    private static OrchestratorProcess orchestrator;
    /** The rollout test's registry, agents (in this JVM) and their updaters. */
    private static final String WEBHOOK_TOKEN = "web-it-webhook";
    private static RegistryHarness registry;
    private static final List<Agent> agents = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final ScheduledExecutorService agentThreads = Executors.newScheduledThreadPool(4);
    private static ChromeDriver browser;
    private static WebDriverWait await;

    @BeforeClass
    public static void setUp() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("edge.it.work")), "web");
        WORK = work;
        startTheProvider(work);
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("org.edgeorch.southbound.cfg", Map.of("port", String.valueOf(SOUTHBOUND)));
        // hosts sync every 2 s, so a silent one is NO_CONNECTION (three missed syncs) within seconds
        settings.put("org.edgeorch.fleet.cfg", Map.of("syncIntervalSeconds", "2"));
        // the rollout test's releases: a real registry, polled every 2 s and telling the orchestrator by webhook
        registry = RegistryHarness.start(List.of(new RegistryHarness.Endpoint("orchestrator",
                URI.create(url("/api/v1/release/notifications")), Map.of("Authorization", "Bearer " + WEBHOOK_TOKEN),
                List.of("pull"), List.of("application/octet-stream"))));
        settings.put("org.edgeorch.release.cfg", Map.of("registryUrl", registry.uri().toString(), "webhookToken", WEBHOOK_TOKEN,
                "pollIntervalSeconds", "2"));
        settings.put("org.edgeorch.tenancy.cfg", Map.of("oidcIssuer", issuer(), "oidcJwksUri", issuer() + "/jwks",
                "oidcAudience", AUDIENCE, "oidcOrganization", "default", "oidcClientId", "edge-dashboard",
                "oidcScope", "openid profile"));
        orchestrator = new OrchestratorProcess(work.resolve("orchestrator"), HTTP, freePort(), freePortPair(), settings);
        orchestrator.start();
        fleet(work);
        browser = chromium();
        // a live page redraws when an event arrives: an element found just before may be gone, so look again
        await = new WebDriverWait(browser, Duration.ofSeconds(15));
        await.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SHOTS);
    }

    @AfterClass
    public static void tearDown() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (oidc != null) {
            Processes.killTree(oidc);
        }
        agents.forEach(Agent::close);
        agentThreads.shutdownNow();
        if (registry != null) {
            registry.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
            // The pages ended many event streams (each page left, each test's new login); a reader leaving is how a
            // stream ends, not an error: CXF logged an ERROR and a stack trace for each, then a WARN and another for
            // closing the response that could not be sent
            Path log = WORK.resolve("orchestrator/data/log/karaf.log");
            List<String> errors = Files.readAllLines(log).stream().filter(l -> l.contains("Problem with writing the data")
                    || l.contains("Could not send Message") || l.contains("EventResource") && l.contains("ERROR")).toList();
            assertEquals("closed event streams logged as errors in " + log, List.of(), errors);
        }
    }

    /**
     * Project "shop": regions eu ⊃ eu-west, sites with coordinates, 10,000 hosts imported in one CSV (a few in
     * ERROR-free states all REGISTERED), one with a very long name; a viewer and an operator. Organisation "rival"
     * with its own project and host, which nobody of the default organisation may see.
     */
    private static void fleet(Path work) throws Exception {
        orchestrator.json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"shop\"}");
        orchestrator.json("POST", "/api/v1/projects/shop/regions", "{\"name\":\"eu\"}");
        orchestrator.json("POST", "/api/v1/projects/shop/regions", "{\"name\":\"eu-west\",\"parent\":\"eu\"}");
        orchestrator.json("POST", "/api/v1/projects/shop/sites",
                "{\"name\":\"paris\",\"region\":\"eu-west\",\"latitude\":48.86,\"longitude\":2.35}");
        orchestrator.json("POST", "/api/v1/projects/shop/sites",
                "{\"name\":\"berlin\",\"region\":\"eu\",\"latitude\":52.52,\"longitude\":13.40}");
        StringBuilder csv = new StringBuilder("name,serial,site\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append(String.format("store-%05d,SN-%05d,%s%n", i, i, i % 2 == 0 ? "paris" : "berlin"));
        }
        HttpResponse<String> imported = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + HTTP + "/api/v1/projects/shop/hosts/import"))
                .header("Authorization", "Bearer " + orchestrator.login("admin", OrchestratorProcess.ADMIN_PASSWORD))
                .header("Content-Type", "text/csv").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(imported.body(), 200, imported.statusCode() / 100 * 100);
        orchestrator.json("POST", "/api/v1/projects/shop/hosts",
                "{\"name\":\"" + LONG_NAME + "\",\"serialNumber\":\"SN-LONG\",\"site\":\"paris\",\"metadata\":{\"rack\":\"r1\"}}");
        apps(work);
        for (String role : List.of("VIEWER", "EDGE_OPERATOR")) {
            String user = role.toLowerCase().replace('_', '-');
            orchestrator.json("POST", "/api/v1/orgs/default/users", "{\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}");
            orchestrator.json("POST", "/api/v1/projects/shop/roles", "{\"subjectType\":\"USER\",\"subject\":\"" + user + "\",\"role\":\"" + role + "\"}");
        }
        orchestrator.json("POST", "/api/v1/orgs", "{\"name\":\"rival\"}");
        orchestrator.json("POST", "/api/v1/orgs/rival/users", "{\"username\":\"rival-admin\",\"password\":\"rival-admin-password\"}");
        orchestrator.json("POST", "/api/v1/orgs/rival/roles", "{\"subjectType\":\"USER\",\"subject\":\"rival-admin\",\"role\":\"ORG_ADMIN\"}");
        String rival = orchestrator.login("rival-admin", "rival-admin-password");
        assertEquals(201, orchestrator.callAs(rival, "POST", "/api/v1/projects", "{\"organization\":\"rival\",\"name\":\"rival-p\"}").statusCode());
        assertEquals(201, orchestrator.callAs(rival, "POST", "/api/v1/projects/rival-p/hosts",
                "{\"name\":\"rival-host\",\"serialNumber\":\"RIVAL-1\"}").statusCode());
    }

    /** An application "kiosk" with one version signed by openssl, deployed to two hosts by list. */
    private static void apps(Path work) throws Exception {
        run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                "/CN=kiosk-signer", "-days", "30", "-keyout", "kiosk.key", "-out", "kiosk.crt");
        orchestrator.json("POST", "/api/v1/release-signers", JSON.writeValueAsString(Map.of("name", "kiosk-2026",
                "certificate", Files.readString(work.resolve("kiosk.crt")))));
        String manifest = "{\"schemaVersion\":1,\"application\":\"kiosk\",\"version\":\"1.2.0\",\"runtime\":\"CONTAINER\","
                + "\"artifacts\":[{\"name\":\"kiosk\",\"repository\":\"apps/kiosk\",\"digest\":\"sha256:" + "ab".repeat(32) + "\"}],"
                + "\"parameters\":[{\"name\":\"GREETING\",\"type\":\"STRING\",\"defaultValue\":\"hello\"}]}";
        Path file = Files.writeString(work.resolve("kiosk.json"), manifest);
        run(work, "openssl", "cms", "-sign", "-binary", "-in", file.toString(), "-signer", "kiosk.crt", "-inkey", "kiosk.key",
                "-outform", "DER", "-out", "kiosk.sig");
        orchestrator.json("POST", "/api/v1/projects/shop/apps", "{\"name\":\"kiosk\",\"description\":\"the shop front\"}");
        orchestrator.json("POST", "/api/v1/projects/shop/apps/kiosk/versions", JSON.writeValueAsString(Map.of("manifest", manifest,
                "signature", Base64.getEncoder().encodeToString(Files.readAllBytes(work.resolve("kiosk.sig"))))));
        orchestrator.json("POST", "/api/v1/projects/shop/deployments", "{\"name\":\"kiosk-paris\",\"application\":\"kiosk\","
                + "\"version\":\"1.2.0\",\"overrides\":{\"GREETING\":\"bonjour\"},\"targetKind\":\"HOSTS\","
                + "\"hosts\":[\"store-00000\",\"store-00002\"]}");
    }

    private static int freePort() {
        try {
            return AlertPeers.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A free port whose next one is free too (the orchestrator's RMI registry and server). */
    private static int freePortPair() {
        for (int i = 0; i < 100; i++) {
            int port = freePort();
            try (java.net.ServerSocket next = new java.net.ServerSocket(port + 1)) {
                return port;
            } catch (java.io.IOException e) {
                // taken: another
            }
        }
        throw new IllegalStateException("no two free consecutive ports");
    }

    private static String issuer() {
        return "http://127.0.0.1:" + oidcPort;
    }

    /** node-oidc-provider on a free port (.ci/oidc/run.sh installs it from npm on first use), answering discovery. */
    private static void startTheProvider(Path work) throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            oidcPort = s.getLocalPort();
        }
        oidc = new ProcessBuilder(Path.of(System.getProperty("edge.ci.dir"), "oidc", "run.sh").toString(),
                String.valueOf(oidcPort), url("/ui/oidc-callback"), AUDIENCE, OTHER_AUDIENCE)
                .redirectErrorStream(true).redirectOutput(work.resolve("oidc-provider.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        Processes.await("the OpenID Connect provider answers (" + work.resolve("oidc-provider.log") + ")", Duration.ofSeconds(180), () -> {
            if (!oidc.isAlive()) {
                throw new AssertionError("the provider stopped: " + Files.readString(work.resolve("oidc-provider.log")));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** A client-credentials token of the provider's "robot" client for an audience. */
    private static String robotToken(String audience) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer() + "/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("robot:robot-secret".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&resource="
                        + java.net.URLEncoder.encode(audience, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 200, r.statusCode());
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " timed out", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
    }

    private static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        // root in a container: no sandbox; a small /dev/shm: use /tmp
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768",
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + HTTP + path;
    }

    private static void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static void logInAs(String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(url("/ui/login"));
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear(); localStorage.clear();");
        browser.get(url("/ui/login"));
        WebElement name = await.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        name.sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        click(By.cssSelector("#login-form button[type=submit]"));
        await.until(d -> "overview".equals(d.findElement(By.id("main")).getAttribute("data-page"))
                && !d.findElements(By.cssSelector("#status-tiles .tile")).isEmpty());
    }

    private static void open(String path, String page) {
        browser.get(url(path));
        await.until(d -> page.equals(d.findElement(By.id("main")).getAttribute("data-page"))
                && d.findElement(By.id("main")).getAttribute("aria-busy") == null
                && d.findElements(By.xpath("//main/p[text()='Loading…']")).isEmpty());
    }

    /** Clicks the element, found again if a live redraw replaced it between finding and clicking. */
    private static void click(By by) {
        await.until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** The element's text, found again if a live redraw replaced it meanwhile. */
    private static String text(String css) {
        return textOf(By.cssSelector(css));
    }

    private static String textOf(By by) {
        return await.until(d -> d.findElement(by).getText());
    }

    private static boolean fitsTheWindow() {
        Object r = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1;");
        return Boolean.TRUE.equals(r);
    }

    @Test
    public void anAdministratorLogsInAndOpensEveryPage() throws Exception {
        browser.manage().window().setSize(new Dimension(1366, 768));
        browser.get(url("/ui/login"));
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear(); localStorage.clear();");
        browser.get(url("/ui/projects/shop/hosts"));
        // not logged in: the login page, which returns to the page asked for
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        shot("01-login");
        browser.findElement(By.name("username")).sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys("wrong-password");
        click(By.cssSelector("#login-form button[type=submit]"));
        await.until(d -> !d.findElement(By.cssSelector("#login-form .form-error")).getText().isEmpty());
        browser.findElement(By.name("password")).clear();
        browser.findElement(By.name("password")).sendKeys(OrchestratorProcess.ADMIN_PASSWORD);
        click(By.cssSelector("#login-form button[type=submit]"));
        await.until(d -> "hosts".equals(d.findElement(By.id("main")).getAttribute("data-page")));
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "1–50 of 10,001"));

        open("/ui/projects/shop/overview", "overview");
        // attention first: the tiles start with ERROR and NO_CONNECTION; REGISTERED counts every imported host
        await.until(d -> d.findElements(By.cssSelector(".tile[data-status=REGISTERED]")).size() == 1);
        List<WebElement> tiles = browser.findElements(By.cssSelector("#status-tiles .tile"));
        assertEquals("ERROR", tiles.get(0).getAttribute("data-status"));
        assertEquals("NO_CONNECTION", tiles.get(1).getAttribute("data-status"));
        assertEquals("10001", browser.findElement(By.cssSelector(".tile[data-status=REGISTERED]")).getAttribute("data-count"));
        assertTrue(text("#active-rollouts").contains("No rollout is running"));
        // kiosk-paris targets two hosts that never report: still deploying
        assertTrue(text("#active-deployments"), text("#active-deployments").contains("kiosk-paris") && text("#active-deployments").contains("DEPLOYING"));
        assertTrue(fitsTheWindow());
        shot("02-overview-1366x768");

        // the host list: the API's filters, sort and paging, all in the URL
        open("/ui/projects/shop/hosts?site=berlin&sort=NAME&order=desc&limit=25", "hosts");
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "1–25 of 5,000"));
        assertEquals("store-09999", browser.findElement(By.cssSelector("#host-results tbody tr td a")).getText());
        click(By.xpath("//button[text()='Next →']"));
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "26–50 of 5,000"));
        assertTrue(browser.getCurrentUrl().contains("offset=25"));
        WebElement text = browser.findElement(By.cssSelector("#host-filters input[name=text]"));
        text.sendKeys("store-0004");
        click(By.cssSelector("#host-filters button[type=submit]"));
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "1–5 of 5"));
        assertTrue(fitsTheWindow());
        shot("03-hosts-filtered");

        // a long name neither widens the page nor hides the rest of the row
        open("/ui/projects/shop/hosts?text=really-long", "hosts");
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "1–1 of 1"));
        assertTrue(fitsTheWindow());
        click(By.linkText(LONG_NAME));
        await.until(d -> "hosts".equals(d.findElement(By.id("main")).getAttribute("data-page"))
                && !d.findElements(By.id("host-status")).isEmpty());
        assertTrue(text("main h1").contains(LONG_NAME));
        assertTrue(text("main").contains("rack=r1"));
        assertTrue(text("main").contains("The host has not reported its inventory yet."));
        assertTrue("the host's own audit events", text("main").contains("host.register"));
        assertTrue(text("#host-history"), text("#host-history tbody").contains("REGISTERED"));
        assertFalse(browser.findElements(By.id("host-invalidate")).isEmpty());
        assertTrue(fitsTheWindow());
        shot("04-host-detail-long-name");

        open("/ui/projects/shop/sites", "sites");
        assertTrue(text("main").contains("eu-west"));
        assertTrue(text("main").contains("48.8600, 2.3500"));
        // the map draws from the shipped outline (no tile server here) with one healthy circle per site
        await.until(d -> "true".equals(d.findElement(By.id("site-map")).getAttribute("data-ready")));
        assertFalse("the country outline is drawn", browser.findElements(By.cssSelector("#site-map svg path:not(.site-marker)")).isEmpty());
        assertEquals(2, browser.findElements(By.cssSelector("#site-map path.site-marker.site-ok")).size());
        assertEquals(List.of("berlin", "paris"), browser.findElements(By.cssSelector("#site-map path.site-marker")).stream()
                .map(e -> e.getAttribute("data-site")).sorted().toList());
        shot("05-sites");
        open("/ui/projects/shop/apps", "apps");
        assertTrue(text("main").contains("kiosk"));
        assertTrue(text("main").contains("CN=kiosk-signer"));
        open("/ui/projects/shop/deployments", "deployments");
        assertTrue(text("#deployment-list").contains("kiosk-paris"));
        click(By.linkText("kiosk-paris"));
        await.until(d -> d.getCurrentUrl().endsWith("/deployments/kiosk-paris") && text("main").contains("Targeted hosts (2)"));
        assertTrue(text("main").contains("store-00002"));
        assertTrue(text("main").contains("GREETING=bonjour"));
        shot("05b-deployment");
        open("/ui/projects/shop/rollouts", "rollouts");
        assertTrue(text("main").contains("No rollout."));
        open("/ui/projects/shop/os-profiles", "os-profiles");
        open("/ui/releases", "releases");
        open("/ui/projects/shop/audit?action=host.register", "audit");
        assertTrue(text("#audit-results").contains(LONG_NAME));
        shot("06-audit");
    }

    /**
     * A real node enrols in project "field" and runs; an hour of its telemetry is plotted on its page over the range
     * chosen, and a range the API refuses gets the API's words next to the field. Then its power is cut: its page
     * turns NO_CONNECTION by itself (the event stream, or the slow refresh where there is none), without a reload.
     */
    @Test
    public void aRunningHostsTelemetryIsPlottedAndItTurnsNoConnectionWhenItStopsSyncing() throws Exception {
        orchestrator.json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"field\"}");
        try (NodeProcess node = NodeProcess.enrolling(WORK.resolve("field-node"), orchestrator, SOUTHBOUND, "field", null, 11, null,
                Map.of("updater", "simulated"), Map.of())) {
            node.start();
            Processes.await("the field host is RUNNING", Duration.ofSeconds(120), () -> orchestrator.json("GET",
                    "/api/v1/projects/field/hosts?status=RUNNING", null).get("total").asInt() == 1);
            String host = orchestrator.json("GET", "/api/v1/projects/field/hosts", null).get("hosts").get(0).get("name").asText();
            sendAnHourOfTelemetry(node);
            browser.manage().window().setSize(new Dimension(1366, 768));
            logInAs("admin", OrchestratorProcess.ADMIN_PASSWORD);
            open("/ui/projects/field/hosts/" + host, "hosts");
            await.until(d -> !d.findElements(By.id("host-status")).isEmpty());
            assertTrue(text("#host-status"), text("#host-status").contains("RUNNING"));

            // the last hour by default: a point a minute, a line per file system and per direction of eth0
            await.until(d -> "true".equals(d.findElement(By.id("telemetry-plots")).getAttribute("data-ready")));
            assertEquals("60", browser.findElement(By.id("telemetry-plots")).getAttribute("data-step"));
            assertEquals("true", browser.findElement(By.cssSelector("button.range[data-range='1h']")).getAttribute("aria-pressed"));
            assertTrue(points("cpu") >= 50);
            assertFalse("uPlot drew the CPU plot", browser.findElements(By.cssSelector("#plot-cpu canvas")).isEmpty());
            assertTrue(text("#plot-fs"), text("#plot-fs").contains("/data"));
            assertTrue(text("#plot-net"), text("#plot-net").contains("eth0 in") && text("#plot-net").contains("eth0 out"));
            // eth0 received 60 kB a minute: 1000 B/s between two steps, read by the plot's label
            assertTrue(browser.findElement(By.id("plot-net")).getAttribute("aria-label"),
                    browser.findElement(By.id("plot-net")).getAttribute("aria-label").contains("eth0 in latest 1000 B/s"));
            assertTrue(points("temperature") >= 50);
            ((JavascriptExecutor) browser).executeScript("document.getElementById('telemetry-plots').scrollIntoView();");
            assertTrue(fitsTheWindow());
            shot("08a-host-telemetry-1h");

            // another range: the plots are drawn again with the API's step for it, and the URL says which
            click(By.cssSelector("button.range[data-range='24h']"));
            await.until(d -> "288".equals(d.findElement(By.id("telemetry-plots")).getAttribute("data-step")));
            assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().endsWith("?range=24h"));
            assertTrue(points("cpu") >= 10);
            // a range of one's own, refused by the API: its field error next to the field, the plots kept
            click(By.xpath("//details[summary[text()='Another range']]/summary"));
            WebElement step = browser.findElement(By.cssSelector("#telemetry-range input[name=step]"));
            step.sendKeys("soon");
            click(By.cssSelector("#telemetry-range button[type=submit]"));
            await.until(d -> !text("#telemetry-range .field[data-field=step] .field-error").isEmpty());
            assertEquals("true", step.getAttribute("aria-invalid"));
            assertEquals("", text("#telemetry-range .field[data-field=from] .field-error"));
            WebElement from = browser.findElement(By.cssSelector("#telemetry-range input[name=from]"));
            String to = browser.findElement(By.cssSelector("#telemetry-range input[name=to]")).getAttribute("value");
            from.clear();
            from.sendKeys(to);
            step.clear();
            click(By.cssSelector("#telemetry-range button[type=submit]"));
            await.until(d -> text("#telemetry-range .field[data-field=from] .field-error").contains("before"));
            assertTrue(points("cpu") >= 10);
            shot("08b-host-telemetry-range-error");
            // and a good one is in the URL, so the page opened from it shows the same range
            from.clear();
            from.sendKeys(java.time.Instant.parse(to).minusSeconds(1800).toString());
            click(By.cssSelector("#telemetry-range button[type=submit]"));
            await.until(d -> d.getCurrentUrl().contains("from="));
            String shared = browser.getCurrentUrl();
            browser.get(shared);
            await.until(d -> !d.findElements(By.id("telemetry-plots")).isEmpty()
                    && "true".equals(d.findElement(By.id("telemetry-plots")).getAttribute("data-ready")));
            assertEquals("the default step over half an hour", "60", browser.findElement(By.id("telemetry-plots")).getAttribute("data-step"));
            assertTrue(points("cpu") >= 25 && points("cpu") <= 31);

            ((JavascriptExecutor) browser).executeScript("window.edgeSamePage = true;");
            node.kill();
            new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> text("#host-status").contains("NO CONNECTION"));
            // the status history has the change too, newest first, with the orchestrator's reason
            await.until(d -> text("#host-history tbody tr").contains("NO CONNECTION"));
            assertEquals("the page changed without a reload", Boolean.TRUE,
                    ((JavascriptExecutor) browser).executeScript("return window.edgeSamePage === true;"));
            shot("08-host-no-connection-live");

            alertsOfTheSilentHost(node, host);
        }
    }

    /**
     * The host that stopped syncing fires host-down: the overview and the alerts page show it, an administrator
     * acknowledges and silences it there (a bad duration gets the API's field error next to the field), and when
     * the host is switched on again the alert leaves the firing list by itself (alert.changed on the event stream).
     */
    private static void alertsOfTheSilentHost(NodeProcess node, String host) throws Exception {
        click(By.xpath("//nav//a[text()='Alerts']"));
        await.until(d -> "alerts".equals(d.findElement(By.id("main")).getAttribute("data-page"))
                && d.findElement(By.id("main")).getAttribute("aria-busy") == null);
        String firing = "#alert-results .alert-rule[data-rule='host-down'][data-subject='" + host + "']";
        WebElement rule = await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(firing)));
        assertEquals("FIRING", rule.getAttribute("data-state"));
        String id = rule.getAttribute("data-alert");
        String row = "//tr[.//span[@data-alert='" + id + "']]";
        assertTrue(textOf(By.xpath(row)), textOf(By.xpath(row)).contains("CRITICAL"));
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.edgeSamePage === true;"));
        shot("17-alerts-firing");

        click(By.cssSelector("button.ack[data-alert='" + id + "']"));
        await.until(d -> !d.findElements(By.xpath(row + "//span[@class='acked']")).isEmpty());
        assertTrue(text("#alert-results"), textOf(By.xpath(row + "//span[@class='acked']")).startsWith("admin"));
        assertTrue("acknowledged once", browser.findElements(By.cssSelector("button.ack[data-alert='" + id + "']")).isEmpty());
        assertEquals("admin", orchestrator.json("GET", "/api/v1/projects/field/alerts/" + id, null).get("acknowledgedBy").asText());

        // Silence… fills the form with the alert's rule and host
        click(By.cssSelector("button.silence[data-alert='" + id + "']"));
        WebElement minutes = await.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#silence-form input[name=minutes]")));
        assertEquals("host-down", new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#silence-form select[name=rule]")))
                .getFirstSelectedOption().getAttribute("value"));
        assertEquals(host, browser.findElement(By.cssSelector("#silence-form input[name=subject]")).getAttribute("value"));
        minutes.clear();
        minutes.sendKeys("99999");
        click(By.cssSelector("#silence-form button[type=submit]"));
        await.until(d -> text("#silence-form .field[data-field=minutes] .field-error").contains("30 days"));
        assertEquals("true", minutes.getAttribute("aria-invalid"));
        shot("18-silence-field-error");
        assertEquals(0, orchestrator.json("GET", "/api/v1/projects/field/silences", null).size());
        minutes.clear();
        minutes.sendKeys("30");
        browser.findElement(By.cssSelector("#silence-form input[name=comment]")).sendKeys("power cut, on it");
        click(By.cssSelector("#silence-form button[type=submit]"));
        await.until(d -> !d.findElements(By.cssSelector("#silence-list button.end-silence")).isEmpty());
        com.fasterxml.jackson.databind.JsonNode silence = orchestrator.json("GET", "/api/v1/projects/field/silences", null).get(0);
        assertEquals("host-down", silence.get("rule").asText());
        assertEquals(host, silence.get("subject").asText());
        assertTrue(silence.get("active").asBoolean());
        assertTrue(text("#silence-list"), text("#silence-list").contains("power cut, on it"));
        shot("19-alert-acknowledged-and-silenced");

        // the overview counts it among the firing alerts
        open("/ui/projects/field/overview", "overview");
        await.until(d -> "1".equals(d.findElement(By.id("firing-count")).getAttribute("data-count")));
        assertTrue(text("#firing-alerts"), text("#firing-alerts").contains("host-down"));

        // switched on again: the alert resolves, and the page open on it follows without a reload
        open("/ui/projects/field/alerts", "alerts");
        await.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(firing)));
        ((JavascriptExecutor) browser).executeScript("window.edgeSamePage = true;");
        node.start();
        new WebDriverWait(browser, Duration.ofSeconds(180)).until(d -> d.findElements(By.cssSelector(firing)).isEmpty()
                && text("#alert-results").contains("No alert is firing."));
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.edgeSamePage === true;"));
        assertEquals("RESOLVED", orchestrator.json("GET", "/api/v1/projects/field/alerts/" + id, null).get("state").asText());
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#alert-filters select[name=state]"))).selectByValue("RESOLVED");
        click(By.cssSelector("#alert-filters button[type=submit]"));
        await.until(d -> d.getCurrentUrl().endsWith("?state=RESOLVED")
                && !d.findElements(By.cssSelector("#alert-results .alert-rule[data-alert='" + id + "'][data-state=RESOLVED]")).isEmpty());
        shot("20-alert-resolved");
        // and the silence ends from the page
        click(By.cssSelector("#silence-list button.end-silence"));
        await.until(d -> text("#silence-list").contains("No silence is active."));
        assertFalse(orchestrator.json("GET", "/api/v1/projects/field/silences", null).get(0).get("active").asBoolean());
    }

    private static int points(String plot) {
        return Integer.parseInt(browser.findElement(By.id("plot-" + plot)).getAttribute("data-points"));
    }

    /**
     * The node agent does not sample telemetry yet, so the test sends an hour of a host's figures (a set a minute)
     * the way the agent will: one southbound sync with the host's own credentials from its data folder, through
     * curl's TLS client, checked by the orchestrator's Edge-Telemetry-Taken answer.
     */
    private static void sendAnHourOfTelemetry(NodeProcess node) throws Exception {
        long now = System.currentTimeMillis() / 60_000 * 60_000;
        List<Map<String, Object>> sets = new java.util.ArrayList<>();
        for (int i = 60; i >= 1; i--) {
            int m = 60 - i;
            sets.add(Map.of("at", now - i * 60_000L, "samples", List.of(
                    sample("cpu.usage.percent", "", 20 + 15 * Math.sin(m / 6.0)), sample("load.1", "", 0.5 + m % 7 / 10.0),
                    sample("load.5", "", 0.6), sample("load.15", "", 0.55), sample("memory.used.percent", "", 41 + m / 10.0),
                    sample("fs.used.percent", "/", 35.2), sample("fs.used.percent", "/data", 62 + m / 30.0),
                    sample("net.rx.bytes", "eth0", 1_000_000 + m * 60_000), sample("net.tx.bytes", "eth0", 400_000 + m * 12_000),
                    sample("temperature.celsius", "cpu", 46 + 5 * Math.sin(m / 6.0)))));
        }
        Path body = Files.writeString(WORK.resolve("telemetry-sync.json"), JSON.writeValueAsString(
                Map.of("status", "RUNNING", "agentVersion", "web-it", "reports", List.of(), "telemetry", sets)));
        Path agent = node.home.resolve("data/agent");
        Path headers = WORK.resolve("telemetry-sync.headers");
        run(WORK, "curl", "-sS", "--fail-with-body", "-o", "/dev/null", "-D", headers.toString(), "--cert",
                agent.resolve("identity.pem").toString(), "--cacert", agent.resolve("ca.pem").toString(),
                "-H", "Content-Type: application/json", "--data-binary", "@" + body,
                "https://localhost:" + SOUTHBOUND + "/southbound/v1/sync");
        assertTrue(Files.readString(headers), Files.readString(headers).toLowerCase().contains("edge-telemetry-taken: 60"));
    }

    private static Map<String, Object> sample(String name, String device, double value) {
        return Map.of("name", name, "device", device, "value", value);
    }

    /**
     * With an OpenID Connect provider configured (node-oidc-provider, a real one): the login page offers it, the
     * provider's own login and consent pages log the user in (authorization code with PKCE, in the browser), and
     * the dashboard works with the provider's access token, with the role its claim grants. The orchestrator takes
     * that provider's tokens only for its own audience, and a callback this browser did not start is refused.
     */
    @Test
    public void aUserOfTheIdentityProviderLogsInThereWithTheRoleItsTokenGrants() throws Exception {
        browser.manage().window().setSize(new Dimension(1366, 768));
        browser.get(url("/ui/login"));
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear(); localStorage.clear();");
        browser.get(url("/ui/projects/shop/hosts"));
        WebElement provider = await.until(ExpectedConditions.visibilityOfElementLocated(By.id("oidc-login")));
        assertEquals("Log in with 127.0.0.1:" + oidcPort, provider.getText());
        String csp = orchestrator.call("GET", "/ui/login", null).headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue("the provider's token endpoint, and only it, may be called: " + csp, csp.contains("connect-src 'self' " + issuer() + ";"));
        shot("13-login-with-provider");
        provider.click();
        // the provider's own pages: any user name and password, then consent
        WebElement login = await.until(ExpectedConditions.visibilityOfElementLocated(By.name("login")));
        assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().startsWith(issuer() + "/interaction/"));
        login.sendKeys("olivia");
        browser.findElement(By.name("password")).sendKeys("whatever");
        shot("14-provider-login-page");
        click(By.cssSelector("button[type=submit]"));
        await.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='Continue']"))).click();
        // back on the page asked for, as olivia, a VIEWER of shop by the provider's edgeorch_roles claim
        await.until(d -> d.getCurrentUrl().endsWith("/ui/projects/shop/hosts"));
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "1–50 of 10,001"));
        assertEquals("olivia", text("#who-name"));
        assertTrue("a viewer registers no host", browser.findElements(By.id("register-form")).isEmpty());
        assertTrue(browser.findElements(By.xpath("//nav//a[text()='Audit']")).isEmpty());
        shot("15-provider-user-hosts");
        String token = (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('edgeorch.token');");
        com.fasterxml.jackson.databind.JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals(issuer(), claims.get("iss").asText());
        assertEquals(AUDIENCE, claims.get("aud").asText());
        assertEquals(200, orchestrator.callAs(token, "GET", "/api/v1/projects/shop/hosts/store-00001", null).statusCode());
        assertEquals(403, orchestrator.callAs(token, "DELETE", "/api/v1/projects/shop/hosts/store-00001", null).statusCode());
        // the page's event stream with this token: its role is in the token, not the database, and the stream's
        // re-check every 30 s must find it there (it read stored roles only, and ended every 30 s); read below
        SseLines stream = new SseLines(url("/api/v1/projects/shop/events/stream"), token);

        // the audience is checked: the same provider's valid token for another audience is refused
        HttpResponse<String> other = orchestrator.callAs(robotToken(OTHER_AUDIENCE), "GET", "/api/v1/auth/me", null);
        assertEquals(other.body(), 401, other.statusCode());
        assertTrue(other.body(), other.body().contains("audience"));
        HttpResponse<String> ours = orchestrator.callAs(robotToken(AUDIENCE), "GET", "/api/v1/auth/me", null);
        assertEquals(ours.body(), 200, ours.statusCode());
        assertEquals("robot", JSON.readTree(ours.body()).get("username").asText());
        // the public configuration the login page read
        com.fasterxml.jackson.databind.JsonNode config = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url("/api/v1/auth/oidc"))).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("edge-dashboard", config.get("clientId").asText());
        assertEquals(issuer() + "/token", config.get("tokenEndpoint").asText());

        // a callback this browser did not start: refused on the page, and nobody is logged in
        browser.get(url("/ui/oidc-callback?code=stolen&state=forged&iss=" + java.net.URLEncoder.encode(issuer(), StandardCharsets.UTF_8)));
        WebElement refused = await.until(ExpectedConditions.visibilityOfElementLocated(By.id("oidc-error")));
        assertTrue(refused.getText(), refused.getText().contains("not started here"));
        assertEquals(null, ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('edgeorch.token');"));
        shot("16-forged-callback-refused");

        // two keepalives (20 s each) and the stream has passed its 30 s re-check; an event after it still arrives
        try (stream) {
            Processes.await("two keepalives on olivia's stream: " + stream.lines, Duration.ofSeconds(60),
                    () -> stream.lines.stream().filter(l -> l.equals(": keepalive")).count() >= 2);
            orchestrator.json("POST", "/api/v1/projects/shop/hosts", "{\"name\":\"oidc-probe\",\"serialNumber\":\"SN-OIDC-PROBE\"}");
            orchestrator.json("DELETE", "/api/v1/projects/shop/hosts/oidc-probe", null);
            Processes.await("oidc-probe registered and deleted, on olivia's stream past its re-check: " + stream.lines,
                    Duration.ofSeconds(15), () -> stream.lines.contains("event: host.deleted"));
            assertTrue(stream.lines.toString(), stream.lines.contains("event: host.registered"));
            assertFalse("the stream did not end: " + stream.lines, stream.lines.contains("event: error"));
        }
    }

    /** A Server-Sent Events stream read line by line on its own thread (the lines as received, blank ones left out). */
    private static final class SseLines implements AutoCloseable {
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.io.InputStream body;

        SseLines(String url, String bearer) throws Exception {
            HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + bearer).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            body = r.body();
            Thread t = new Thread(() -> {
                try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (!line.isEmpty()) {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            }, "sse-lines");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws java.io.IOException {
            body.close();
        }
    }

    /**
     * A rollout in two waves to four hosts (the real agent code in this JVM with a simulated A/B updater, releases
     * signed here and published to a real registry): started, paused and resumed from its page, whose wave bars
     * advance live to the end; a second rollout is aborted from its page; a viewer sees no control and is refused.
     */
    @Test
    public void aRolloutStartedFromItsPageAdvancesItsWaveBarsLiveAndIsPausedResumedAndAborted() throws Exception {
        browser.manage().window().setSize(new Dimension(1366, 768));
        rolloutFleet(4);
        orchestrator.json("POST", "/api/v1/projects/roll/rollouts", "{\"name\":\"to-2-0-0\",\"osProfile\":\"emt\","
                + "\"version\":\"2.0.0\",\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{\"count\":2,\"soak\":\"PT6S\","
                + "\"hostTimeout\":\"PT2M\"},{\"hostTimeout\":\"PT2M\"}],\"onFailure\":\"PAUSE\"}");
        logInAs("admin", OrchestratorProcess.ADMIN_PASSWORD);
        open("/ui/projects/roll/os-profiles", "os-profiles");
        assertTrue(text("main"), text("main").contains("OS resources of emt") && text("main").contains("2.0.1"));
        open("/ui/releases", "releases");
        assertTrue(text("main"), text("main").contains("2.0.0") && text("main").contains("web-it-releases"));
        shot("20-releases");

        open("/ui/projects/roll/rollouts/to-2-0-0", "rollouts");
        assertTrue(text("#rollout-head"), text("#rollout-head").contains("READY"));
        assertEquals(List.of("1", "2"), browser.findElements(By.cssSelector("#rollout-waves li")).stream()
                .map(e -> e.getAttribute("data-wave")).toList());
        ((JavascriptExecutor) browser).executeScript("window.edgeSamePage = true;");
        click(By.id("rollout-start"));
        await.until(d -> text("#rollout-head").contains("RUNNING") && !d.findElements(By.id("rollout-pause")).isEmpty());
        click(By.id("rollout-pause"));
        await.until(d -> text("#rollout-head").contains("PAUSED") && !d.findElements(By.id("rollout-resume")).isEmpty());
        assertEquals("PAUSED", orchestrator.json("GET", "/api/v1/projects/roll/rollouts/to-2-0-0", null).get("state").asText());
        shot("21-rollout-paused");
        click(By.id("rollout-resume"));
        await.until(d -> text("#rollout-head").contains("RUNNING"));

        // the first wave's bar fills while the second waits out the soak, then the second's: all on the open page
        new WebDriverWait(browser, Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class)
                .until(d -> succeeded(1) == 2 && succeeded(2) == 0);
        shot("22-rollout-first-wave-done");
        new WebDriverWait(browser, Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class)
                .until(d -> succeeded(2) == 2 && text("#rollout-head").contains("FINISHED"));
        assertEquals("the bars moved without a reload", Boolean.TRUE,
                ((JavascriptExecutor) browser).executeScript("return window.edgeSamePage === true;"));
        assertTrue(text("#rollout-runs"), text("#rollout-runs").contains("roll-host-4") && !text("#rollout-runs").contains("FAILED"));
        assertTrue("no control is left on a finished rollout", browser.findElements(By.cssSelector("#rollout-actions button")).isEmpty());
        shot("23-rollout-finished");

        // another rollout, aborted from its page (after the browser's confirmation)
        orchestrator.json("POST", "/api/v1/projects/roll/rollouts", "{\"name\":\"to-2-0-1\",\"osProfile\":\"emt\","
                + "\"version\":\"2.0.1\",\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{}],\"onFailure\":\"PAUSE\"}");
        open("/ui/projects/roll/rollouts", "rollouts");
        assertTrue(text("#rollout-list"), text("#rollout-list").contains("to-2-0-1") && text("#rollout-list").contains("FINISHED"));
        click(By.linkText("to-2-0-1"));
        await.until(d -> d.getCurrentUrl().endsWith("/rollouts/to-2-0-1") && !d.findElements(By.id("rollout-abort")).isEmpty());
        click(By.id("rollout-abort"));
        await.until(ExpectedConditions.alertIsPresent()).accept();
        await.until(d -> text("#rollout-head").contains("ABORTED"));
        assertEquals("ABORTED", orchestrator.json("GET", "/api/v1/projects/roll/rollouts/to-2-0-1", null).get("state").asText());
        shot("24-rollout-aborted");

        // a viewer of the project: the rollout without controls, and a direct pause refused
        orchestrator.json("POST", "/api/v1/projects/roll/roles", "{\"subjectType\":\"USER\",\"subject\":\"viewer\",\"role\":\"VIEWER\"}");
        orchestrator.json("POST", "/api/v1/projects/roll/rollouts", "{\"name\":\"waiting\",\"osProfile\":\"emt\","
                + "\"version\":\"2.0.1\",\"hosts\":{\"status\":\"RUNNING\"},\"waves\":[{}]}");
        logInAs("viewer", "viewer-password");
        open("/ui/projects/roll/rollouts/waiting", "rollouts");
        assertTrue(text("#rollout-head"), text("#rollout-head").contains("READY"));
        assertTrue("a viewer has no rollout controls", browser.findElements(By.cssSelector("#rollout-actions button")).isEmpty());
        HttpResponse<String> refused = orchestrator.callAs(orchestrator.login("viewer", "viewer-password"), "POST",
                "/api/v1/projects/roll/rollouts/waiting/start", null);
        assertEquals(refused.body(), 403, refused.statusCode());
        shot("25-rollout-viewer");
    }

    /** How many hosts of a wave the open rollout page shows as succeeded. */
    private static int succeeded(int wave) {
        return Integer.parseInt(browser.findElement(By.cssSelector("#rollout-waves li[data-wave='" + wave + "'] .bar"))
                .getAttribute("data-succeeded"));
    }

    /**
     * Project "roll": OS profile emt following releases ^2.0.0, releases 2.0.0 and 2.0.1 signed by a key of this test
     * and published to the registry, and {@code hosts} agents (roll-host-1…) RUNNING on 1.0.0.
     */
    private static void rolloutFleet(int hosts) throws Exception {
        HostCertificateAuthority key = HostCertificateAuthority.createRoot("web-it-releases", Duration.ofDays(30));
        orchestrator.json("POST", "/api/v1/release-signers", JSON.writeValueAsString(
                Map.of("name", "web-it-releases", "certificate", HostCertificateAuthority.pem(key.certificate()))));
        orchestrator.json("POST", "/api/v1/projects", "{\"organization\":\"default\",\"name\":\"roll\"}");
        orchestrator.json("POST", "/api/v1/projects/roll/os-profiles", "{\"name\":\"emt\",\"releaseProfile\":\"emt\",\"versionRange\":\"^2.0.0\"}");
        OciClient client = new OciClient(registry.uri());
        for (String version : List.of("2.0.0", "2.0.1")) {
            byte[] bytes = new byte[1 << 20];
            new java.util.Random(version.hashCode()).nextBytes(bytes);
            Path image = Files.write(WORK.resolve("emt-" + version + ".img"), bytes);
            new ReleasePublisher().publish(client, "os/", new ReleaseManifest(null, "emt", version, OsType.IMMUTABLE, "x86_64",
                    null, 0, "NONE", "", List.of(), List.of(), null), image,
                    m -> ReleaseSignatures.sign(m, Pems.privateKey(key.privateKeyPem()), List.of(key.certificate())), null);
        }
        Processes.await("both releases offered to roll", Duration.ofSeconds(30),
                () -> orchestrator.json("GET", "/api/v1/projects/roll/os-profiles/emt/resources", null).size() == 2);
        String secret = orchestrator.json("POST", "/api/v1/projects/roll/enrolment-tokens",
                "{\"name\":\"t\",\"validity\":\"PT1H\"}").get("secret").asText();
        String fingerprint = orchestrator.json("GET", "/api/v1/southbound/ca", null).get("sha256Fingerprint").asText();
        for (int i = 1; i <= hosts; i++) {
            String name = "roll-host-" + i;
            long seed = 300 + i;
            SimulatedUpdater updater = new SimulatedUpdater(WORK.resolve(name + "/update"), "1.0.0", v -> true, Duration.ofMillis(500));
            Agent agent = new Agent(new Agent.Settings(URI.create("https://localhost:" + SOUTHBOUND), secret, fingerprint,
                    WORK.resolve(name), name, null, null, Duration.ofSeconds(2)), () -> SimulatedHardware.forHost(seed),
                    agentThreads, null, null, updater);
            agent.start(Duration.ZERO);
            agents.add(agent);
        }
        Processes.await(hosts + " hosts of roll RUNNING", Duration.ofSeconds(60), () -> orchestrator.json("GET",
                "/api/v1/projects/roll/hosts?status=RUNNING", null).get("total").asInt() == hosts);
    }

    @Test
    public void badInputInAFormShowsTheApisFieldErrorNextToTheField() throws Exception {
        browser.manage().window().setSize(new Dimension(1366, 768));
        logInAs("admin", OrchestratorProcess.ADMIN_PASSWORD);
        open("/ui/projects/shop/hosts", "hosts");
        click(By.cssSelector("details.register summary"));
        browser.findElement(By.cssSelector("#register-form input[name=name]")).sendKeys("bad name with spaces");
        browser.findElement(By.cssSelector("#register-form input[name=serialNumber]")).sendKeys("SN-BAD");
        click(By.cssSelector("#register-form button[type=submit]"));
        WebElement error;
        try {
            error = await.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#register-form .field[data-field=name] .field-error")));
        } catch (org.openqa.selenium.TimeoutException e) {
            System.out.println("DIAG now=" + ((JavascriptExecutor) browser).executeScript("return performance.now()") + " "
                    + ((JavascriptExecutor) browser).executeScript("return JSON.stringify(performance.getEntriesByType('resource')"
                    + ".map(r => [r.name.replace(location.origin, ''), Math.round(r.startTime), Math.round(r.requestStart),"
                    + " Math.round(r.responseStart), Math.round(r.responseEnd)]))"));
            throw e;
        }
        await.until(d -> !error.getText().isEmpty());
        assertEquals("true", browser.findElement(By.cssSelector("#register-form input[name=name]")).getAttribute("aria-invalid"));
        assertEquals("", text("#register-form .field[data-field=serialNumber] .field-error"));
        shot("07-register-field-error");
        // and nothing was made
        assertEquals(0, orchestrator.json("GET", "/api/v1/projects/shop/hosts?text=SN-BAD", null).get("total").asInt());
    }

    @Test
    public void aViewerSeesNoWriteControlsAndItsWritesAreRefused() throws Exception {
        browser.manage().window().setSize(new Dimension(1366, 768));
        logInAs("viewer", "viewer-password");
        assertTrue("viewers may not read the audit log", browser.findElements(By.xpath("//nav//a[text()='Audit']")).isEmpty());
        open("/ui/projects/shop/hosts", "hosts");
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "1–50 of 10,001"));
        assertTrue(browser.findElements(By.id("register-form")).isEmpty());
        open("/ui/projects/shop/hosts/store-00001", "hosts");
        await.until(ExpectedConditions.presenceOfElementLocated(By.id("host-status")));
        assertTrue(browser.findElements(By.id("host-actions")).isEmpty());
        // the telemetry range buttons only choose what to look at; nothing else on a viewer's host page is a button
        assertTrue("no write button on a viewer's host page",
                browser.findElements(By.xpath("//main//button[not(ancestor::*[@id='telemetry'])]")).isEmpty());
        assertFalse(browser.findElements(By.cssSelector("#telemetry button.range")).isEmpty());
        open("/ui/projects/shop/os-profiles", "os-profiles");
        assertTrue(browser.findElements(By.id("profile-form")).isEmpty());
        open("/ui/projects/shop/alerts", "alerts");
        assertTrue("a viewer silences nothing", browser.findElements(By.id("silence-form")).isEmpty());
        assertTrue(browser.findElements(By.cssSelector("#alert-results button, #silence-list button")).isEmpty());
        shot("08-viewer-host-list");
        // the same call the hidden button would make, with the viewer's own token from the browser session
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/v1/projects/shop/hosts/store-00001', {method: 'DELETE', headers: {Authorization: 'Bearer ' + sessionStorage.getItem('edgeorch.token')}})"
                        + ".then(r => done(r.status), e => done(String(e)));");
        assertEquals(403L, status);
        Object silence = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/v1/projects/shop/silences', {method: 'POST', headers: {'Content-Type': 'application/json',"
                        + " Authorization: 'Bearer ' + sessionStorage.getItem('edgeorch.token')}, body: JSON.stringify({rule: 'host-down', minutes: 10})})"
                        + ".then(r => done(r.status), e => done(String(e)));");
        assertEquals(403L, silence);
        assertEquals(0, orchestrator.json("GET", "/api/v1/projects/shop/silences", null).size());
        assertEquals(200, orchestrator.call("GET", "/api/v1/projects/shop/hosts/store-00001", null).statusCode());
    }

    @Test
    public void anOperatorMayOperateButNotConfigure() throws Exception {
        logInAs("edge-operator", "edge-operator-password");
        open("/ui/projects/shop/hosts/store-00002", "hosts");
        await.until(ExpectedConditions.presenceOfElementLocated(By.id("host-status")));
        assertTrue("HOST_WRITE is not an operator's", browser.findElements(By.id("host-actions")).isEmpty());
        open("/ui/projects/shop/hosts", "hosts");
        assertTrue(browser.findElements(By.id("register-form")).isEmpty());
        // silencing is operating: the form is there
        open("/ui/projects/shop/alerts", "alerts");
        assertFalse(browser.findElements(By.id("silence-form")).isEmpty());
    }

    @Test
    public void anotherTenantsHostIsNotFound() throws Exception {
        logInAs("admin", OrchestratorProcess.ADMIN_PASSWORD);
        browser.get(url("/ui/projects/rival-p/hosts/rival-host"));
        await.until(d -> "notfound".equals(d.findElement(By.id("main")).getAttribute("data-page")));
        assertTrue(text("main").contains("Not found"));
        assertFalse(text("main").contains("RIVAL-1"));
        shot("09-other-tenant-not-found");
        assertEquals(404, orchestrator.call("GET", "/api/v1/projects/rival-p/hosts/rival-host", null).statusCode());
        // a host that does not exist in one's own project: the API's 404 becomes the same page
        browser.get(url("/ui/projects/shop/hosts/rival-host"));
        await.until(d -> "notfound".equals(d.findElement(By.id("main")).getAttribute("data-page")));
    }

    @Test
    public void thePhoneLayoutFitsAndEveryControlIsReachableByKeyboard() throws Exception {
        logInAs("admin", OrchestratorProcess.ADMIN_PASSWORD);
        browser.manage().window().setSize(new Dimension(390, 844));
        open("/ui/projects/shop/overview", "overview");
        assertTrue(fitsTheWindow());
        shot("10-overview-phone");
        open("/ui/projects/shop/hosts/" + LONG_NAME, "hosts");
        await.until(ExpectedConditions.presenceOfElementLocated(By.id("host-status")));
        assertTrue(fitsTheWindow());
        shot("11-host-detail-phone");
        click(By.id("menu-toggle"));
        await.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//nav//a[text()='Hosts']")));
        shot("12-menu-phone");

        browser.manage().window().setSize(new Dimension(1366, 768));
        open("/ui/projects/shop/hosts", "hosts");
        await.until(ExpectedConditions.textToBe(By.id("host-range"), "1–50 of 10,001"));
        // the page moves focus to <main> when it loads, so the navigation before it is reached with
        // Shift+Tab: walk forward through the filters and the table, then back up into the navigation
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 140; i++) {
            // keys go to whatever has the focus (a focused <main> or scroll region is not "interactable" for sendKeys)
            Actions keys = new Actions(browser);
            (i < 60 ? keys.sendKeys(Keys.TAB) : keys.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT)).perform();
            // read in one script, so a redraw between two reads cannot leave a stale element; a select's text is
            // all of its options, and what the user sees focused is the control's name
            reached.add((String) ((JavascriptExecutor) browser).executeScript("const e = document.activeElement;"
                    + "const tag = e.tagName.toLowerCase();"
                    + "return tag + ':' + (tag === 'select' ? '' : (e.innerText || '').trim()) + ':' + e.getAttribute('name');"));
        }
        String all = String.join("|", reached);
        assertTrue(all, all.contains("a:Hosts:"));
        assertTrue(all, all.contains("a:Overview:"));
        assertTrue(all, all.contains("select::status"));
        assertTrue(all, all.contains("button:Apply:"));
        assertTrue(all, all.contains("a:store-00000:"));
        // Enter on a focused host link opens it
        browser.findElement(By.linkText("store-00000")).sendKeys(Keys.ENTER);
        await.until(ExpectedConditions.presenceOfElementLocated(By.id("host-status")));
        assertTrue(text("main h1").contains("store-00000"));
    }

    @Test
    public void theDashboardLoadsNothingFromOutsideAndServesCompressedFiles() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(url("/ui/projects/shop/hosts"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp, csp.contains("default-src 'self'"));
        assertFalse("no absolute URL in the shell", new String(page.body()).contains("http"));
        HttpResponse<byte[]> js = http.send(HttpRequest.newBuilder(URI.create(url("/ui/js/app.js")))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", js.headers().firstValue("Content-Encoding").orElse(""));
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, http.send(HttpRequest.newBuilder(URI.create(url("/ui/js/app.js"))).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        HttpResponse<String> climb = http.send(HttpRequest.newBuilder(URI.create(url("/ui/js/..%2F..%2Fetc%2Fpasswd"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(climb.statusCode() + " " + climb.body(), climb.statusCode() == 404 || climb.statusCode() == 400);
        assertFalse(climb.body().contains("root:"));
        HttpResponse<String> lib = http.send(HttpRequest.newBuilder(URI.create(url("/ui/lib/leaflet-1.9.4/leaflet.js"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, lib.statusCode());
        assertTrue(lib.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
    }
}
